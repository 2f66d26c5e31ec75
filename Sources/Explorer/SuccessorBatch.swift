import PackedSystem

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
    /// Positions of the first occurrence of each distinct state, in order (after `findFirstOccurrences()`).
    private(set) var firsts: UnsafeMutablePointer<Int32>
    /// How many positions `firsts` holds.
    private(set) var firstCount = 0
    /// With `recordsTargets` on: per position, the position of its state's first occurrence (set by
    /// `findFirstOccurrences()`), and at a first occurrence's position the stored state's number (set by the
    /// insertion, `setTarget(_:_:)`). Off, neither is written: only the search that records its successor graph
    /// (`SuccessorGraph`) pays for them.
    var recordsTargets = false {
        didSet { allocateTargets() }
    }
    private var firstOf: UnsafeMutablePointer<Int32>
    private var stored: UnsafeMutablePointer<Int32>
    /// The table of `findFirstOccurrences()` when the caller lends none.
    private let ownTable = OccurrenceTable()
    private let trailingPadding = CacheLinePadding()

    init(wordCount: Int) {
        self.wordCount = wordCount
        words = .allocate(capacity: capacity * wordCount)
        parents = .allocate(capacity: capacity)
        actions = .allocate(capacity: capacity)
        hashes = .allocate(capacity: capacity)
        firsts = .allocate(capacity: capacity)
        firstOf = .allocate(capacity: 1)
        stored = .allocate(capacity: 1)
    }

    /// Sizes `firstOf` and `stored` for the batch's capacity while `recordsTargets` is on (else one element each).
    private func allocateTargets() {
        firstOf.deallocate()
        stored.deallocate()
        let size = recordsTargets ? capacity : 1
        firstOf = .allocate(capacity: size)
        stored = .allocate(capacity: size)
    }

    deinit {
        words.deallocate()
        parents.deallocate()
        actions.deallocate()
        hashes.deallocate()
        firsts.deallocate()
        firstOf.deallocate()
        stored.deallocate()
    }

    /// Empties the batch.
    @inline(__always)
    func removeAll() { count = 0 }

    /// Room for this many states before the next growth (the generated chunk expansion writes up to it).
    var room: Int { capacity }

    /// Takes the states written at and after `count` directly into the arrays, up to `newCount` (at most `room`).
    @inline(__always)
    func setCount(_ newCount: Int) {
        precondition(newCount >= count && newCount <= capacity, "successors written beyond the batch")
        count = newCount
    }

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

    /// Lists in `firsts` the position of the first occurrence of each distinct state of the batch, in order.
    /// A later copy of a state would only find the state its first copy stored (or found), so inserting the
    /// first occurrences in order stores the same states, numbered the same, with the same parents: the one-
    /// thread search skips the table lookups (cache misses in a large store) of the repeats. The table (the
    /// batch's own unless the caller lends one, `OccurrenceTable`) lives in the cache.
    func findFirstOccurrences(in table: OccurrenceTable? = nil) {
        // Two copies of the loop, so that the search that records nothing has no test of the flag in it. Each in a
        // function of its own: with both inlined into this one, deep K=70 took 1.5% longer on one thread
        // (`farm-bench -n 11`, 1.012-1.026 in three builds; with the recording copy left out, 1.000).
        let table = table ?? ownTable
        if recordsTargets { findFirstOccurrencesRecordingRepeats(table) } else { findFirstOccurrencesOnly(table) }
    }

    @inline(never)
    private func findFirstOccurrencesOnly(_ table: OccurrenceTable) { findFirstOccurrences(table, recording: false) }

    @inline(never)
    private func findFirstOccurrencesRecordingRepeats(_ table: OccurrenceTable) { findFirstOccurrences(table, recording: true) }

    @inline(__always)
    private func findFirstOccurrences(_ table: OccurrenceTable, recording: Bool) {
        var slots = 16
        while slots < 2 * count { slots *= 2 }
        let seen = table.emptied(slots)
        let mask = slots - 1
        firstCount = 0
        for k in 0..<count {
            // The high bits: the store's table indexes with the low ones, and a different mix spreads better.
            var slot = Int(truncatingIfNeeded: hashes[k] >> 40) & mask
            var repeated = false
            while true {
                let entry = seen[slot]
                if entry == 0 { break }
                let other = Int(entry) - 1
                if hashes[other] == hashes[k], sameState(other, k) {
                    repeated = true
                    break
                }
                slot = (slot + 1) & mask
            }
            if repeated {
                // The first copy is the one in the slot the probe stopped at.
                if recording { firstOf[k] = seen[slot] - 1 }
                continue
            }
            if recording { firstOf[k] = Int32(k) }
            seen[slot] = Int32(k + 1)
            firsts[firstCount] = Int32(k)
            firstCount += 1
        }
    }

    /// Takes the first `count` positions of `firsts`, written by a caller that listed the first occurrences
    /// itself (`NeighbourRepeats`).
    func setFirstCount(_ count: Int) {
        precondition(count <= self.count, "more first occurrences than successors")
        firstCount = count
    }

    /// With `recordsTargets` on: records the stored number of the state at `position`, a first occurrence, once
    /// the insertion has found or stored it.
    @inline(__always)
    func setTarget(_ position: Int, _ index: Int) { stored[position] = Int32(truncatingIfNeeded: index) }

    /// With `recordsTargets` on, after the insertion: the stored number of the successor at `position`.
    @inline(__always)
    func target(_ position: Int) -> Int32 { stored[Int(firstOf[position])] }

    /// With `recordsTargets` on: per first occurrence's position, the stored number set by `setTarget` (valid until
    /// the batch next grows, that is while it is not appended to).
    var storedTargets: UnsafeMutablePointer<Int32> { stored }

    @inline(__always)
    private func sameState(_ a: Int, _ b: Int) -> Bool {
        let x = words + a * wordCount
        let y = words + b * wordCount
        for w in 0..<wordCount where x[w] != y[w] { return false }
        return true
    }

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
        firsts.deallocate()
        firsts = .allocate(capacity: bigger)
        capacity = bigger
        allocateTargets()
    }
}

/// The open-addressing table through which `SuccessorBatch.findFirstOccurrences` lists a batch's first occurrences
/// (position + 1, 0 empty). Each batch has one; a worker of the parallel search lends its own to every chunk it
/// lists that way (`NeighbourRepeats`), so that the table it empties and probes is the one it used for the chunk
/// before, still in its cache, as the one-thread search's single batch's is, instead of a table per chunk of the
/// round, each last touched a round earlier (256 KB for a chunk of p2p-scale's 32,000 successors).
final class OccurrenceTable {
    private var slots: UnsafeMutablePointer<Int32>
    private var capacity = 0

    init() { slots = .allocate(capacity: 1) }

    deinit { slots.deallocate() }

    /// The table's first `count` slots, all empty (grown to that size first).
    func emptied(_ count: Int) -> UnsafeMutablePointer<Int32> {
        if count > capacity {
            slots.deallocate()
            slots = .allocate(capacity: count)
            capacity = count
        }
        slots.update(repeating: 0, count: count)
        return slots
    }
}
