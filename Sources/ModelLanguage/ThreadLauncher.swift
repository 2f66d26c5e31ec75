import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts threads and says when the system refuses one.
///
/// Why not Foundation's `Thread`: its `start()` returns nothing when `pthread_create` fails (under an address-space
/// limit, `ulimit -v`, a 512 MiB stack cannot be reserved), so a caller that then waits for the thread waited
/// forever: `vfio-mc check` under `ulimit -v 900000` hung before loading the model, deaf to SIGTERM. Every thread
/// of the tool starts here, and each caller decides what a refusal means: a smaller stack, fewer threads, the work
/// on the calling thread, or an error in words.
public enum ThreadLauncher {
    private final class Work {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Runs `body` on a new detached thread with a stack of `stackSize` bytes. Returns nil when it started, else
    /// the system's reason in words (`body` then never runs).
    public static func start(stackSize: Int, _ body: @escaping @Sendable () -> Void) -> String? {
        var attributes = pthread_attr_t()
        var status = pthread_attr_init(&attributes)
        guard status == 0 else { return reason(status) }
        defer { pthread_attr_destroy(&attributes) }
        status = pthread_attr_setstacksize(&attributes, max(stackSize, Int(PTHREAD_STACK_MIN)))
        guard status == 0 else { return reason(status) }
        status = pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        guard status == 0 else { return reason(status) }
        let context = Unmanaged.passRetained(Work(body)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        status = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            Unmanaged<Work>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return reason(status)
        }
        return nil
    }

    /// Runs `body(w)` for every worker `w` in `0..<workers`, each on a thread of its own with a stack of
    /// `stackSize` bytes (worker 0 on the calling thread), and returns when all have returned. A worker whose
    /// thread the system refuses runs on the calling thread after worker 0, so `body` must not wait for another
    /// worker to start: every caller's workers take jobs from a shared queue until it is empty.
    ///
    /// Why not `DispatchQueue.concurrentPerform`: when the system refuses libdispatch a thread it retries once a
    /// second, for ever (`_dispatch_temporary_resource_shortage`): `vfio-mc check Models` under `ulimit -v
    /// 100000` slept there until killed.
    public static func perform(workers: Int, stackSize: Int = 8 << 20, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        var refused: [Int] = []
        for worker in 1..<max(1, workers) {
            group.enter()
            if start(stackSize: stackSize, {
                body(worker)
                group.leave()
            }) != nil {
                group.leave()
                refused.append(worker)
            }
        }
        if workers >= 1 { body(0) }
        for worker in refused { body(worker) }
        group.wait()
    }

    private static func reason(_ status: Int32) -> String {
        "the system refused a thread (\(String(cString: strerror(status))))"
    }
}
