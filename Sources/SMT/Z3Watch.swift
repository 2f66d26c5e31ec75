import CZ3
import Foundation
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
/// Interrupts only go out while a query is between `begin` and `end`, under the same lock as those two, so a
/// late interrupt never reaches the next query nor a term constructor (which would fail with "canceled").
/// While the reason holds the interrupt is repeated at every poll: one that arrives just before Z3 installs
/// its handler would otherwise be lost.
final class Z3Watch: @unchecked Sendable {
    /// The context's handle; only used under `lock` while `closed` is false.
    private let context: OpaquePointer
    private let interruption: (@Sendable () -> StopReason?)?
    private let lock = NSLock()
    /// The deadline (monotonic seconds) of the query running now, or infinity; nil when no query runs.
    private var deadline: Double?
    private var closed = false
    /// How often the thread looks: the bound on how late a limit or a signal stops a query.
    static let pollMicroseconds: UInt32 = 50_000

    init(context: OpaquePointer, interruption: (@Sendable () -> StopReason?)?) {
        self.context = context
        self.interruption = interruption
        let thread = Thread { [self] in watch() }
        thread.stackSize = 1 << 16
        thread.start()
    }

    /// Runs one Z3 query, interrupting it once `timeoutMilliseconds` (nil: no own limit) have passed or the
    /// run's interruption answers.
    func during<T>(timeoutMilliseconds: Int?, _ query: () throws -> T) rethrows -> T {
        let limit = timeoutMilliseconds.map { Clock.now() + Double(max(1, $0)) / 1000 } ?? .infinity
        lock.withLock { deadline = limit }
        defer { lock.withLock { deadline = nil } }
        return try query()
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
                if let deadline, Clock.now() > deadline || interruption?() != nil {
                    Z3_interrupt(context)
                }
                return false
            }
            if done { return }
        }
    }
}
