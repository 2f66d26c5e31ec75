import Foundation

/// Runs `body` on its own thread and waits at most `seconds` for it; nil when it did not finish in time
/// (the thread is then abandoned, and the caller records the hang). For tests that must report a hang of the
/// code under test instead of hanging themselves; the limit is a guard, not a measurement.
public func runWithDeadline<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
    let box = DeadlineBox<T>()
    let thread = Thread {
        box.value = body()
        box.done.signal()
    }
    thread.stackSize = 4 << 20
    thread.start()
    guard box.done.wait(timeout: .now() + seconds) == .success else { return nil }
    return box.value
}

/// The result slot of `runWithDeadline`, written by the worker before it signals.
private final class DeadlineBox<T>: @unchecked Sendable {
    var value: T?
    let done = DispatchSemaphore(value: 0)
}
