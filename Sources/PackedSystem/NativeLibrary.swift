import Foundation

/// Whether the explicit search generates successors with native code (`--native`).
public enum NativeMode: String, Sendable, CaseIterable {
    /// Compile beside the search once it has stored `autoStateThreshold` states and run for about as long as the
    /// compile takes (`estimatedCompileSeconds`: a shorter search would not repay the compiler), when the generated
    /// C is at most `autoSourceLimit` bytes and a compiler runs, and switch to it when it is loaded; else stay on
    /// the interpreter, silently.
    case auto
    /// Compile whatever the size; when that fails the search runs on the interpreter with a note saying why.
    case on
    /// Never: the machine's kernels and interpreter only.
    case off
}

/// A system's successor generation compiled to a shared object with the system C compiler and loaded
/// (`NativeGenerator` writes the C). One library serves every machine of the system; it stays loaded for the
/// life of the process (the code is small, and a machine may outlive the explorer that built it).
public final class NativeLibrary: @unchecked Sendable {
    /// `vmc_expand`: see `NativeGenerator.expansion()`.
    typealias Expand = @convention(c) (UnsafePointer<UInt64>, Int32, UnsafeMutablePointer<UInt64>,
                                        UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<Int64>,
                                        UnsafeMutablePointer<Int>) -> Int32
    let expand: Expand
    /// `vmc_expand_chunk`: see `NativeGenerator.expansionOfChunk()`.
    public typealias ExpandChunk = @convention(c) (UnsafePointer<UInt64>, Int64, Int64, UnsafeMutablePointer<UInt64>,
                                                   UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>,
                                                   UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<Int64>,
                                                   UnsafeMutablePointer<Int>) -> Int64
    /// The expansion of a range of stored states into the one-thread search's successor batch.
    public let expandChunk: ExpandChunk
    /// `vmc_evaluate(program, state, value)`: the expression program at `program` on `state` into `value`; 0, or 1
    /// when the interpreter must evaluate it (see `NativeGenerator.evaluation()`).
    public typealias Evaluate = @convention(c) (Int32, UnsafePointer<UInt64>, UnsafeMutablePointer<Int64>) -> Int32
    /// `Machine.evaluate`'s first try.
    public let evaluate: Evaluate
    /// Seconds spent compiling and loading (`build(source:)`; the C's generation, a few hundredths of a second, not
    /// included).
    public let compileSeconds: Double
    /// Bytes of generated C.
    public let sourceBytes: Int

    /// Why no library was built.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// Set when the run's limits stopped the compiler (the deadline, a signal, the command's spent budget):
        /// the reason `stop` gave. The compiler's process group was killed and the temporary directory removed.
        public let stopReason: StopReason?

        init(description: String, stopReason: StopReason? = nil) {
            self.description = description
            self.stopReason = stopReason
        }
    }

    /// The largest generated C `--native auto` compiles. `cc -O1` on this project's 2-core machine: the library's
    /// largest models, v2-qemu-p2p's 2.4 MB in 2.3 s and v2-device's 4.3 MB in 10 s (0.34 GB of memory); the
    /// others (up to 205 KB) in well under a second. The compile runs beside the search (`BackgroundCompile`), so
    /// a large C costs the search nothing while it compiles, only a core; past 8 MB the compiler's time and
    /// memory are more than a search is likely to repay.
    public static let autoSourceLimit = 8 << 20

    /// The stored states after which `--native auto` generates the C (beside the search, in a few hundredths of a
    /// second for the largest models); it compiles it once the search has run `estimatedCompileSeconds`.
    public static let autoStateThreshold = 1 << 16

    /// About how long `cc -O1` takes on `bytes` of generated C on this project's 2-core machine: 0.2 s and 1 s
    /// per MB (measured: deep's 7 KB 0.05 s, p2p-scale's 112 KB 0.32 s, v1-ndma-p2p's 186 KB 0.35 s, v2-qemu80's 1.5
    /// MB 1.62 s, v2-hypothetical-no-p2p-step's 1.9 MB 1.73 s, v2-qemu-p2p's 2.4 MB 2.26 s; v2-device's 4.3 MB, 10.3
    /// s, is under-estimated). `--native auto` starts the compile once the search has run that long: a search
    /// that ends sooner never pays for a compile, and one that runs on pays at most about as much again as it
    /// had already run (the compiler takes a core from a search on every core, or from the other combinations
    /// that `check` runs at once), against the generated code's two to three times the interpreter's speed.
    public static func estimatedCompileSeconds(bytes: Int) -> Double {
        0.2 + Double(bytes) / 1_000_000
    }

    /// The optimisation level: `-O1` compiles the large models' C in 0.6x the time of `-O2` (v2-qemu-p2p 2.26 s
    /// against 3.69 s, v2-device 10.3 s against 15.0 s) and the code it gives runs as fast (`farm-bench`, one
    /// thread, `--native on`: deep K=70 1.015x the wall of `-O2`, 7 pairs; p2p-scale N=6 0.974x, 1 pair;
    /// v2-qemu-p2p's A_ERROR combination at N=5 10.5 s against 12.2 s, compile included).
    static let optimisation = "-O1"

    /// The compiler command: `$CC` when set, else `cc`.
    public static var defaultCompiler: String {
        ProcessInfo.processInfo.environment["CC"].flatMap { $0.isEmpty ? nil : $0 } ?? "cc"
    }

    private init(expand: Expand, expandChunk: ExpandChunk, evaluate: Evaluate, compileSeconds: Double, sourceBytes: Int) {
        self.expand = expand
        self.expandChunk = expandChunk
        self.evaluate = evaluate
        self.compileSeconds = compileSeconds
        self.sourceBytes = sourceBytes
    }

    /// Generates, compiles (`cc -O1 -shared -fPIC` in a fresh temporary directory, removed afterwards) and loads
    /// the successor generation of `system` with `compiler` (a command found on PATH, or a path). Throws `Failure`
    /// with the reason when the generator does not cover the model, no compiler runs, the compiler fails or the
    /// library does not load.
    /// With `sourceLimit`, C longer than that many bytes is not compiled (a `Failure`).
    /// `stop` is asked every few milliseconds while the compiler runs (`CompilerProcess`): when it answers, the
    /// compiler and every process it started are killed, the temporary directory is removed, and the `Failure`
    /// carries the answer as its `stopReason`.
    public static func build(_ system: TransitionSystem, compiler: String = defaultCompiler,
                             sourceLimit: Int? = nil, stop: (@Sendable () -> StopReason?)? = nil) throws -> NativeLibrary {
        try build(source: generate(system), compiler: compiler, sourceLimit: sourceLimit, stop: stop)
    }

    /// The C of `system`'s successor generation (`NativeGenerator`). Throws `Failure` when the generator does not
    /// cover the model.
    public static func generate(_ system: TransitionSystem) throws -> String {
        do {
            return try system.nativeGenerator.source()
        } catch {
            throw Failure(description: "not generated: \(error)")
        }
    }

    /// `build(_:compiler:sourceLimit:stop:)` from C that `generate` gave.
    public static func build(source: String, compiler: String = defaultCompiler,
                             sourceLimit: Int? = nil, stop: (@Sendable () -> StopReason?)? = nil) throws -> NativeLibrary {
        let started = Date()
        if let sourceLimit, source.utf8.count > sourceLimit {
            throw Failure(description: "the generated C has \(source.utf8.count) bytes, over the \(sourceLimit) that are compiled")
        }
        if let reason = stop?() {
            throw Failure(description: "not compiled: \(reason)", stopReason: reason)
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vfio-mc-native-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        } catch {
            throw Failure(description: "no temporary directory: \(error.localizedDescription)")
        }
        defer { CompilerProcess.remove(directory) }
        let sourceFile = directory.appendingPathComponent("expand.c")
        let libraryFile = directory.appendingPathComponent("expand.so")
        let errorsFile = directory.appendingPathComponent("errors.txt")
        do {
            try source.write(to: sourceFile, atomically: false, encoding: .utf8)
        } catch {
            throw Failure(description: "cannot write the C source: \(error.localizedDescription)")
        }
        let outcome: CompilerProcess.Outcome
        do {
            outcome = try CompilerProcess.run(compiler, arguments: [optimisation, "-shared", "-fPIC", "-w", "-o", libraryFile.path, sourceFile.path],
                                              errors: errorsFile, temporaryDirectory: directory, stop: stop)
        } catch let error as CompilerProcess.SpawnError {
            throw Failure(description: "cannot run \(compiler): \(error.message)")
        }
        func messages() -> String {
            let data = (try? Data(contentsOf: errorsFile)) ?? Data()
            let text = String(decoding: data.prefix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? "" : ": \(text)"
        }
        switch outcome {
        case .exited(0):
            break
        case .exited(let status):
            throw Failure(description: "\(compiler) failed (status \(status))" + messages())
        case .signalled(let signal):
            throw Failure(description: "\(compiler) was killed by signal \(signal)" + messages())
        case .stopped(let reason):
            throw Failure(description: "\(compiler) stopped: \(reason)", stopReason: reason)
        }
        guard let handle = dlopen(libraryFile.path, RTLD_NOW | RTLD_LOCAL) else {
            throw Failure(description: "cannot load the library: " + (dlerror().map { String(cString: $0) } ?? "unknown error"))
        }
        guard let symbol = dlsym(handle, "vmc_expand"), let chunkSymbol = dlsym(handle, "vmc_expand_chunk"),
              let evaluateSymbol = dlsym(handle, "vmc_evaluate") else {
            dlclose(handle)
            throw Failure(description: "the library has no vmc_expand, vmc_expand_chunk or vmc_evaluate")
        }
        return NativeLibrary(expand: unsafeBitCast(symbol, to: Expand.self), expandChunk: unsafeBitCast(chunkSymbol, to: ExpandChunk.self),
                             evaluate: unsafeBitCast(evaluateSymbol, to: Evaluate.self),
                             compileSeconds: Date().timeIntervalSince(started), sourceBytes: source.utf8.count)
    }
}

extension CompiledCode {
    /// The C generator over this code, the given actions and the expression programs at `predicates`.
    func nativeGenerator(layout: StateLayout, actions: [GroundAction], predicates: [Int32]) -> NativeGenerator {
        NativeGenerator(wordCount: layout.wordCount, code: instructions, dimensions: dimensions, cellFields: cellFields,
                        tableEntries: tableEntries, constantLists: constantLists, forkTargets: forkTargets, actions: actions,
                        layout: layout, predicates: predicates)
    }
}

extension TransitionSystem {
    /// The generator of this system's C: its actions, and the expressions of its state properties and of its
    /// terminal test (what `Machine.evaluate` is asked during a search).
    var nativeGenerator: NativeGenerator {
        let predicates = properties.flatMap { [$0.predicateProgram, $0.targetProgram].compactMap { $0 } } + [terminalProgram]
        return code.nativeGenerator(layout: layout, actions: actions, predicates: predicates)
    }

    /// The generated C of this system's successor generation and state properties (for tests and inspection).
    public func nativeSource() throws -> String {
        try nativeGenerator.source()
    }
}
