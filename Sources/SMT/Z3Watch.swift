import CZ3
import Foundation
import ModelLanguage
import PackedSystem

/// Stops a running Z3 query from outside: a thread that, every 50 ms while a query runs, calls `Z3_interrupt`
/// on the context when the query's own time limit has passed or the run's interruption (SIGINT, SIGTERM, the
/// command's spent budget) answers.
///
/// Why it exists: Z3's `timeout` parameter is only looked at where the solver polls for it, and Spacer (the
/// fixedpoint engine) was seen running minutes past it, where the command's watchdog then had to kill the
/// process with no verdicts printed. `Z3_interrupt` is Z3's supported way to stop a procedure from another
/// thread; the interrupted query returns unknown ("canceled" or "interrupted"), and the next query on the same
/// context is not affected (measured on Z3 4.8.12 with a C program: a fresh solver answered normally right after).
///
/// Interrupts only go out while a query runs (inside `during`, under the same lock that starts and ends it), so
/// none reaches the next query. While the reason holds the interrupt is repeated at every poll: one that arrives
/// just before Z3 installs its handler would otherwise be lost.
///
/// The late interrupt. "While a query runs" is as seen from Swift; Z3 4.8.12's `Z3_interrupt` does two things:
/// it calls the running query's handler, if one is installed, and it cancels the context's resource limit
/// outright (`reslimit::cancel`), which only the next solver check's `scoped_rlimit` clears again (api_context.cpp
/// and api_solver.cpp at tag z3-4.8.12). A query that has already cleared its limit on the way out (the
/// answer computed, the handler about to be removed) but has not yet returned to `during` is still "running" for
/// the watch: an interrupt there leaves the context cancelled, and the next call that is not a check fails with
/// the error "canceled" (`Z3_solver_get_model`, `Z3_simplify`; reproduced in C and in `Z3WatchTests`). A query
/// ends in that window when it answers just as its deadline passes; on a loaded machine its thread may also be
/// descheduled there for longer than the watch's 50 ms. The run then stopped with the engine error
/// "Z3: canceled" instead of its share's stop reason (v2-user-access #16 at load 30+). So the watch records every
/// interrupt it sends to a query (`takeInterrupt`), and the context clears the cancellation after such a query
/// (`Z3Context.clearInterrupt`, an empty check on a solver of its own).
final class Z3Watch: @unchecked Sendable {
    /// The context's handle; only used under `lock` while `closed` is false.
    private let context: OpaquePointer
    private let interruption: (@Sendable () -> StopReason?)?
    private let lock = NSLock()
    /// The deadline (monotonic seconds) of the query running now, or infinity; nil when no query runs.
    private var deadline: Double?
    /// Why the watch interrupted the query running now or the last one, until `takeInterrupt` reads it.
    private var interrupt: Interrupt?
    private var closed = false

    /// Why the watch interrupted a query.
    enum Interrupt: Equatable {
        /// The query's own time limit passed.
        case limit
        /// The run's interruption answered (a signal, the command's spent budget).
        case interruption(StopReason)
    }
    /// How often the thread looks: the bound on how late a limit or a signal stops a query.
    static let pollMicroseconds: UInt32 = 50_000

    /// Starts the watch's thread; throws when the system refuses it (without it a query could outlast every
    /// limit, so the engine reports the refusal instead of running unwatched).
    init(context: OpaquePointer, interruption: (@Sendable () -> StopReason?)?, stackSize: Int = 1 << 16) throws {
        self.context = context
        self.interruption = interruption
        if let refused = ThreadLauncher.start(stackSize: stackSize, { [self] in watch() }) {
            throw SMTError("cannot watch Z3's queries: \(refused)")
        }
    }

    /// Runs one Z3 query, interrupting it once `timeoutMilliseconds` (nil: no own limit) have passed or the
    /// run's interruption answers.
    func during<T>(timeoutMilliseconds: Int?, _ query: () throws -> T) rethrows -> T {
        let limit = timeoutMilliseconds.map { Clock.now() + Double(max(1, $0)) / 1000 } ?? .infinity
        lock.withLock {
            deadline = limit
            interrupt = nil
        }
        defer { lock.withLock { deadline = nil } }
        return try query()
    }

    /// Whether the watch has interrupted the query running now (or the last one, until `takeInterrupt`).
    var hasInterrupted: Bool { lock.withLock { interrupt != nil } }

    /// Why the watch interrupted the last query (nil: it did not), once; after `during` has returned.
    func takeInterrupt() -> Interrupt? {
        lock.withLock {
            defer { interrupt = nil }
            return interrupt
        }
    }

    /// Ends the thread (at its next poll); no interrupt goes out after this returns. Called before the context
    /// is deleted.
    func close() {
        lock.withLock { closed = true }
    }

    private func watch() {
        while true {
            usleep(Self.pollMicroseconds)
            let done: Bool = lock.withLock {
                if closed { return true }
                guard let deadline else { return false }
                if let reason = interruption?() {
                    interrupt = interrupt ?? .interruption(reason)
                    Z3_interrupt(context)
                } else if Clock.now() > deadline {
                    interrupt = interrupt ?? .limit
                    Z3_interrupt(context)
                }
                return false
            }
            if done { return }
        }
    }
}
