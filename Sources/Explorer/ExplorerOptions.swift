import PackedSystem

/// Limits and switches for an explicit-state run.
public struct ExplorerOptions: Sendable {
    /// The limits (states, memory, time, interruption), the type every engine shares.
    public var budget = EngineBudget()
    /// Seconds between progress reports.
    public var progressInterval: Double = 1
    /// Reduce by symmetry when the model declares scalarsets (and has no liveness properties).
    public var symmetry = true
    /// Worker threads for the search; every thread count gives the same states, verdicts and traces.
    public var threads = 1
    /// Whether the search (the one-thread search and every parallel worker) generates successors with native code
    /// compiled for the model (`NativeLibrary`); the interpreter is the fallback, and every result is the same
    /// either way.
    public var native = NativeMode.off
    /// The stored states after which `--native auto` generates the C, to compile it once the search has run the
    /// compile's estimated time (`NativeLibrary.autoStateThreshold`); tests lower it to switch small searches midway.
    var nativeStateThreshold = NativeLibrary.autoStateThreshold
    /// Tests: `--native auto` waits for its compile where it starts it instead of compiling beside the search, so
    /// that the chunk the search switches at is known.
    var nativeCompileInForeground = false
    /// Tests: the seconds of search after which `--native auto` compiles, instead of the compile's estimated time
    /// (`NativeLibrary.estimatedCompileSeconds`), so that a short search switches midway.
    var nativeCompileAfterSeconds: Double?
    /// The C compiler the native code is built with (`NativeLibrary.defaultCompiler`: `$CC`, else `cc`); tests
    /// give a fake one without changing the process's environment.
    var nativeCompiler = NativeLibrary.defaultCompiler
    /// States expanded before their successors are inserted together, by the one-thread and the parallel search
    /// alike: `ExplicitExplorer.chunkSize`, which the SMT engine's reading of its sample assumes. Tests make it
    /// smaller, so that small models have many chunks per level.
    var chunkStates = ExplicitExplorer.chunkSize
    /// Chunks of `chunkStates` (2,048) frontier states per round of the parallel search (at most 2048); smaller
    /// rounds let tests exercise many rounds on small models. A round's successors, its claimed index lines and
    /// its per-candidate arrays should mostly stay in the caches from one phase to the next: with chunks of 256
    /// states, rounds of 64 took 0.92x the CPU time of rounds of 256 on deep K=70 (Benchmarks/README.md, "Two
    /// threads: the phase pool"). With chunks of 2,048, rounds of 16 (32,768 states): 8 took 1.026x their wall on
    /// p2p-scale N=6 and 0.985x on deep K=70 (two threads, `farm-bench`, medians; "The chunk: 2,048 states").
    var parallelChunksPerRound = 16
    /// How the parallel search runs its rounds: each on the threads or on one, whichever is faster (`RoundPacer`),
    /// or always on the threads.
    public var parallelRounds = ParallelRounds.adaptive
    /// The stack of each helper thread of the parallel search (`PhasePool.helperStackSize`); tests ask for one
    /// the system refuses, to run the search on the threads it does start.
    var helperStackSize = PhasePool.helperStackSize
    /// Whether the state store's large arrays ask for huge pages (`StoreMapping.hugePages`, where the reasons for
    /// leaving them off by default are): `--huge-pages`.
    public var hugePages = false
    /// Tests: the most bytes any one array of the state store may grow to, as if the system refused more
    /// (`StopReason.outOfMemory`).
    var storeMappingLimit: Int?
    /// Tests: the parallel search's rounds run in these modes in turn instead of as `parallelRounds` chooses.
    var roundModePattern: [RoundPacer.Mode] = []
    /// Tests: a parallel round's lead inserts exactly its first this-many chunks, after the other threads have
    /// claimed the rest, so that it takes over every claim of a state its chunks hold (`insertAsLead`); by
    /// default the lead and the claims run at once and meet where they meet.
    var leadChunksAfterClaims: Int?
    /// Tests and measurements: whether the parallel search expands the next round while a led round is inserted
    /// (`RoundAhead`); off, every round is expanded in a phase of its own.
    var expandsAhead = true

    /// Default options: no limits.
    public init() {}
}

/// A progress report during a run.
public struct ExplorerProgress: Sendable {
    /// Distinct states so far.
    public let states: Int
    /// Current breadth-first depth.
    public let depth: Int
    /// Seconds since the start.
    public let seconds: Double

    /// States per second so far.
    public var statesPerSecond: Double { seconds > 0 ? Double(states) / seconds : 0 }
}
