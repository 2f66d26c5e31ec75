import Foundation

/// Whether the explicit search generates successors with native code (`--native`).
public enum NativeMode: String, Sendable, CaseIterable {
    /// Compile once the search has stored `autoStateThreshold` states (a search that ends sooner would not repay
    /// the compiler's time), when the generated C is at most `autoSourceLimit` bytes (larger models take seconds
    /// to compile) and a compiler runs; else stay on the interpreter, silently.
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
    /// Seconds spent generating and compiling.
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

    /// The largest generated C `--native auto` compiles: 1 MB took about 2 s of `cc -O2` on this project's
    /// 2-core machine (v2-qemu80's 1.5 MB: 3.1 s; v2-device's 4.3 MB: 15 s), while the library's other models
    /// (up to 205 KB) took 0.02 to 0.36 s.
    public static let autoSourceLimit = 1 << 20

    /// The stored states after which `--native auto` compiles: about 1.5 s of one-thread search on p2p-scale,
    /// against 0.05 to 0.4 s of compiling the C of the models under `autoSourceLimit`.
    public static let autoStateThreshold = 1 << 21

    /// The compiler command: `$CC` when set, else `cc`.
    public static var defaultCompiler: String {
        ProcessInfo.processInfo.environment["CC"].flatMap { $0.isEmpty ? nil : $0 } ?? "cc"
    }

    private init(expand: Expand, expandChunk: ExpandChunk, compileSeconds: Double, sourceBytes: Int) {
        self.expand = expand
        self.expandChunk = expandChunk
        self.compileSeconds = compileSeconds
        self.sourceBytes = sourceBytes
    }

    /// Generates, compiles (`cc -O2 -shared -fPIC` in a fresh temporary directory, removed afterwards) and loads
    /// the successor generation of `system` with `compiler` (a command found on PATH, or a path). Throws `Failure`
    /// with the reason when the generator does not cover the model, no compiler runs, the compiler fails or the
    /// library does not load.
    /// With `sourceLimit`, C longer than that many bytes is not compiled (a `Failure`).
    /// `stop` is asked every few milliseconds while the compiler runs (`CompilerProcess`): when it answers, the
    /// compiler and every process it started are killed, the temporary directory is removed, and the `Failure`
    /// carries the answer as its `stopReason`.
    public static func build(_ system: TransitionSystem, compiler: String = defaultCompiler,
                             sourceLimit: Int? = nil, stop: (@Sendable () -> StopReason?)? = nil) throws -> NativeLibrary {
        let started = Date()
        let source: String
        do {
            source = try system.code.nativeGenerator(layout: system.layout, actions: system.actions).source()
        } catch {
            throw Failure(description: "not generated: \(error)")
        }
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
            outcome = try CompilerProcess.run(compiler, arguments: ["-O2", "-shared", "-fPIC", "-w", "-o", libraryFile.path, sourceFile.path],
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
        guard let symbol = dlsym(handle, "vmc_expand"), let chunkSymbol = dlsym(handle, "vmc_expand_chunk") else {
            dlclose(handle)
            throw Failure(description: "the library has no vmc_expand or vmc_expand_chunk")
        }
        return NativeLibrary(expand: unsafeBitCast(symbol, to: Expand.self), expandChunk: unsafeBitCast(chunkSymbol, to: ExpandChunk.self),
                             compileSeconds: Date().timeIntervalSince(started), sourceBytes: source.utf8.count)
    }
}

extension CompiledCode {
    /// The C generator over this code and the given actions.
    func nativeGenerator(layout: StateLayout, actions: [GroundAction]) -> NativeGenerator {
        NativeGenerator(wordCount: layout.wordCount, code: instructions, dimensions: dimensions, cellFields: cellFields,
                        tableEntries: tableEntries, constantLists: constantLists, forkTargets: forkTargets, actions: actions,
                        layout: layout)
    }
}

extension TransitionSystem {
    /// The generated C of this system's successor generation (for tests and inspection).
    public func nativeSource() throws -> String {
        try code.nativeGenerator(layout: layout, actions: actions).source()
    }
}
