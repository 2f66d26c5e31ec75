import PackedSystem

/// Per ground action, the firings and failures one thread counted while expanding states. Each thread of a
/// search owns one (the one-thread search its explorer's, a parallel search one per worker), so the hot loop
/// increments plain memory with no atomics and no sharing; the counts are summed after the search, and a sum
/// does not depend on which thread expanded which state, so one and two threads give the same coverage.
final class ActionCounters {
    private let leadingPadding = CacheLinePadding()
    let count: Int
    /// Firings per ground action (enabled and fired, failed or not).
    let fired: UnsafeMutablePointer<Int>
    /// Failed firings per ground action.
    let failed: UnsafeMutablePointer<Int>
    private let trailingPadding = CacheLinePadding()

    init(actions: Int) {
        count = actions
        // Whole lines of their own: two workers' counters are allocated one after the other.
        fired = ThreadOwnedMemory.allocate(capacity: actions)
        fired.initialize(repeating: 0, count: max(1, actions))
        failed = ThreadOwnedMemory.allocate(capacity: actions)
        failed.initialize(repeating: 0, count: max(1, actions))
    }

    deinit {
        ThreadOwnedMemory.deallocate(fired)
        ThreadOwnedMemory.deallocate(failed)
    }

    /// Adds another thread's counts to these.
    func add(_ other: ActionCounters) {
        for action in 0..<min(count, other.count) {
            fired[action] += other.fired[action]
            failed[action] += other.failed[action]
        }
    }
}
