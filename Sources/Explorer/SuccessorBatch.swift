/// Successors collected from a chunk of expanded states, inserted together so that their hash-table and
/// stored-state cache misses overlap (prefetched) instead of stalling one after the other.
final class SuccessorBatch {
    /// Keeps the mutable fields of batches filled by different threads on different cache lines.
    private let leadingPadding = CacheLinePadding()
    let wordCount: Int
    private(set) var count = 0
    private var capacity = 1024
    private(set) var words: UnsafeMutablePointer<UInt64>
    private(set) var parents: UnsafeMutablePointer<UInt32>
    private(set) var actions: UnsafeMutablePointer<UInt32>
    private(set) var hashes: UnsafeMutablePointer<UInt64>
    private let trailingPadding = CacheLinePadding()

    init(wordCount: Int) {
        self.wordCount = wordCount
        words = .allocate(capacity: capacity * wordCount)
        parents = .allocate(capacity: capacity)
        actions = .allocate(capacity: capacity)
        hashes = .allocate(capacity: capacity)
    }

    deinit {
        words.deallocate()
        parents.deallocate()
        actions.deallocate()
        hashes.deallocate()
    }

    /// Empties the batch.
    @inline(__always)
    func removeAll() { count = 0 }

    /// Appends `number` states stored back to back at `states`, all with the same parent and action.
    @inline(__always)
    func append(_ states: UnsafePointer<UInt64>, number: Int, parent: UInt32, action: UInt32) {
        while count + number > capacity { grow() }
        (words + count * wordCount).update(from: states, count: number * wordCount)
        for k in 0..<number {
            parents[count + k] = parent
            actions[count + k] = action
            hashes[count + k] = StateStore.hash(states + k * wordCount, wordCount)
        }
        count += number
    }

    /// Appends `number` states stored back to back at `states`, all with the same parent, the k-th produced by
    /// ground action `actions[k]`.
    @inline(__always)
    func append(_ states: UnsafePointer<UInt64>, actions produced: UnsafePointer<UInt32>, number: Int, parent: UInt32) {
        while count + number > capacity { grow() }
        let target = words + count * wordCount
        for k in 0..<number * wordCount { target[k] = states[k] }
        for k in 0..<number {
            parents[count + k] = parent
            actions[count + k] = produced[k]
            hashes[count + k] = StateStore.hash(states + k * wordCount, wordCount)
        }
        count += number
    }

    /// The k-th state.
    @inline(__always)
    func state(_ k: Int) -> UnsafeMutablePointer<UInt64> { words + k * wordCount }

    private func grow() {
        let bigger = capacity * 2
        func move<T>(_ old: UnsafeMutablePointer<T>, _ size: Int) -> UnsafeMutablePointer<T> {
            let fresh = UnsafeMutablePointer<T>.allocate(capacity: bigger * size)
            fresh.update(from: old, count: count * size)
            old.deallocate()
            return fresh
        }
        words = move(words, wordCount)
        parents = move(parents, 1)
        actions = move(actions, 1)
        hashes = move(hashes, 1)
        capacity = bigger
    }
}

/// 128 bytes that keep the fields of objects written by different threads off each other's cache lines (and
/// their adjacent-line prefetch pairs). A precaution against false sharing between the chunks and workers of a
/// parallel round, which are allocated one after another: on the 2-core benchmark machine it made no difference
/// measurable through the run-to-run noise.
struct CacheLinePadding {
    private let bytes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}
