import Dispatch
import Foundation
@testable import ModelLanguage
import Testing

/// Threads the system refuses are said, not waited for: `vfio-mc check` under `ulimit -v 900000` used to hang
/// before loading the model, when Foundation's `Thread` could not reserve `LargeStack`'s 512 MiB and the caller
/// waited for a thread that never ran.
@Suite struct ThreadLauncherTests {
    /// A stack far beyond any address space.
    static let impossible = 1 << 60

    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        func raise() { lock.withLock { raised = true } }
        var value: Bool { lock.withLock { raised } }
    }

    @Test func aRefusedThreadSaysWhyAndNeverRuns() {
        let ran = Flag()
        let refused = ThreadLauncher.start(stackSize: Self.impossible) { ran.raise() }
        #expect(refused?.hasPrefix("the system refused a thread (") == true, "\(String(describing: refused))")
        #expect(!ran.value)
    }

    @Test func aStartedThreadRunsItsBody() {
        let done = DispatchSemaphore(value: 0)
        #expect(ThreadLauncher.start(stackSize: 1 << 20) { done.signal() } == nil)
        #expect(done.wait(timeout: .now() + 30) == .success)
    }

    /// The first stack refused, the next granted: the work runs on a thread of its own; every stack refused: on
    /// the calling thread. Either way the result comes back.
    @Test func largeStackTakesASmallerStackThenTheCallingThread() {
        let caller = pthread_self()
        let elsewhere = LargeStack.run(stackSizes: [Self.impossible, 8 << 20]) { pthread_equal(pthread_self(), caller) == 0 }
        #expect(elsewhere)
        let here = LargeStack.run(stackSizes: [Self.impossible, Self.impossible]) { pthread_equal(pthread_self(), caller) != 0 }
        #expect(here)
        let checked = LargeStack.run(stackSizes: [Self.impossible]) { Frontend.check(SourceFile(name: "m", text: "model m\nvar x: 0..1 = 0\n")) }
        if case .failure(let errors) = checked { Issue.record("\(errors)") }
    }
}
