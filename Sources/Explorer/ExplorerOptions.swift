import PackedSystem

/// Limits and switches for an explicit-state run.
public struct ExplorerOptions: Sendable {
    /// Stop (without a verdict for undecided properties) once this many distinct states are stored.
    public var maxStates: Int?
    /// Stop before the engine's structures would exceed this many bytes.
    public var maxMemoryBytes: Int?
    /// Stop after this many seconds.
    public var timeoutSeconds: Double?
    /// Seconds between progress reports.
    public var progressInterval: Double = 1
    /// Reduce by symmetry when the model declares scalarsets (and has no liveness properties).
    public var symmetry = true
    /// Worker threads for the search; every thread count gives the same states, verdicts and traces.
    public var threads = 1
    /// Chunks of 256 frontier states per round of the parallel search (at most 2048); smaller rounds let tests
    /// exercise many rounds on small models.
    var parallelChunksPerRound = 256

    /// Asked between batches whether to stop now (for example after SIGINT); a non-nil answer is the stop
    /// reason, and the run ends as at a time limit: partial statistics, undecided properties.
    public var interruption: (@Sendable () -> String?)?

    /// The same memory limit and interruption for building the system (grounding) before the search.
    public var buildBudget: BuildBudget { BuildBudget(maxResidentBytes: maxMemoryBytes, interruption: interruption) }

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
