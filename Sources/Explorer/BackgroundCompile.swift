import Foundation
import ModelLanguage
import PackedSystem

/// `--native auto`'s generated code, built on a thread of its own while the search goes on with the interpreter:
/// the C is generated at once, then compiled when the search says `start()`, and the search asks `library()`
/// between chunks (between rounds in the parallel search) and switches when it is there. The states, their order,
/// the verdicts and the traces are the same whenever it switches (`NativeSwitchTests`).
///
/// Why beside the search: the library's large models generate 1.5 to 4.3 MB of C, 2 to 10 s of `cc`, which a
/// search that waited for the compiler would repay only after millions of states. A search that ends first kills
/// the compiler (`finish()`).
final class BackgroundCompile: @unchecked Sendable {
    /// Guards every variable below.
    private let lock = NSLock()
    /// Bytes of generated C, once generated (0 when the generator does not cover the model).
    private var generatedBytes: Int?
    /// Set once the compile ended: the library, or nil when it failed (the search then stays on the interpreter).
    private var outcome: NativeLibrary??
    private var cancelled = false
    private var compiling = false
    /// Set when the system refused the thread: nothing is compiled.
    private var threadless = false
    /// Signalled by `start()` and `finish()`: the thread waits for it between generating and compiling.
    private let go = DispatchSemaphore(value: 0)
    /// One compile at a time in the process: `check` runs several variant combinations at once, each search on
    /// the cores, and two compilers beside them slowed every one (v2-qemu-p2p's matrix at N = 4, whose searches
    /// end before most compiles do).
    private static let gate = DispatchSemaphore(value: 1)
    /// Signalled when the thread has returned (its temporary directory removed, its compiler reaped).
    private let ended = DispatchSemaphore(value: 0)

    /// Generates the C of `system` now, on a thread of its own, and compiles it with `compiler` (C of at most
    /// `sourceLimit` bytes) once `start()` is called. `stop` is the run's limits as the search polls them: a limit
    /// or a signal kills the compiler as it stops the search.
    /// (`stackSize`: the thread's stack; tests ask for one the system refuses, and nothing is compiled then.)
    init(_ system: TransitionSystem, compiler: String, sourceLimit: Int, stackSize: Int = stackSize,
         stop: @escaping @Sendable () -> StopReason?) {
        let refused = ThreadLauncher.start(stackSize: stackSize) { [self] in
            let source = try? NativeLibrary.generate(system)
            lock.withLock { generatedBytes = source?.utf8.count ?? 0 }
            go.wait()
            var library: NativeLibrary?
            let holdsGate = lock.withLock { compiling }
            if let source, holdsGate, !isCancelled {
                library = try? NativeLibrary.build(source: source, compiler: compiler, sourceLimit: sourceLimit) { [self] in
                    isCancelled ? .engineError("the search ended before the compile") : stop()
                }
            }
            if holdsGate { Self.gate.signal() }
            lock.withLock { outcome = .some(library) }
            ended.signal()
        }
        if refused != nil {
            // No thread, no compile: ended at once without a library, and `start()` never takes the gate.
            lock.withLock {
                threadless = true
                generatedBytes = 0
                outcome = .some(nil)
            }
            ended.signal()
        }
    }

    /// The stack of the compile's thread (the C generator recurses over expressions, as the front end does).
    static let stackSize = 8 << 20

    private var isCancelled: Bool { lock.withLock { cancelled } }

    /// The bytes of generated C once the generator is done (0 when it does not cover the model), else nil.
    var sourceBytes: Int? { lock.withLock { generatedBytes } }

    /// Whether `start()` let the compiler run.
    var started: Bool { lock.withLock { compiling } }

    /// Lets the compiler run when no other compile of the process runs (`waiting`: once the other ends). True
    /// when it runs, or ran; false when another compile holds the gate (ask again later).
    @discardableResult
    func start(waiting: Bool = false) -> Bool {
        if started { return true }
        if lock.withLock({ threadless }) { return false }
        if waiting {
            Self.gate.wait()
        } else if Self.gate.wait(timeout: .now()) != .success {
            return false
        }
        lock.withLock { compiling = true }
        go.signal()
        return true
    }

    /// The library once compiled and loaded; nil while it is not, or when the compile failed.
    func library() -> NativeLibrary? { lock.withLock { outcome ?? nil } }

    /// Whether the compile has ended (with a library or without).
    var hasEnded: Bool { lock.withLock { outcome != nil } }

    /// Compiles now, once any other compile of the process has ended, and waits until it has
    /// (`ExplorerOptions.nativeCompileInForeground`); `library()` then has the result.
    func wait() {
        start(waiting: true)
        awaitEnd()
    }

    /// Waits for the thread to return; later calls return at once.
    private func awaitEnd() {
        ended.wait()
        ended.signal()
    }

    /// Stops a compile not started or still running (its compiler's process group is killed and its temporary
    /// directory removed within a few milliseconds, `CompilerProcess`) and waits for the thread, so that nothing
    /// of it outlives the search.
    func finish() {
        let waitingToCompile = lock.withLock {
            cancelled = true
            return !compiling
        }
        // The thread still waits between generating and compiling: let it return without compiling.
        if waitingToCompile { go.signal() }
        awaitEnd()
    }
}
