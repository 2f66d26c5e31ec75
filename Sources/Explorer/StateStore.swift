import CExplorerSupport
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every distinct state found, numbered in discovery (breadth-first) order, with the index of its parent and
/// the ground action that produced it, plus an exact hash index over the packed words.
/// Memory per state: `8 * wordCount` (words) + 8 (parent, action) + 8 to 16 (index slots at load 1/4 to 1/2).
public final class StateStore {
    /// Parent index of an initial state.
    public static let noParent = UInt32.max

    /// Words per state.
    public let wordCount: Int
    /// Number of states stored.
    public private(set) var count = 0
    /// Room for this many states without growing.
    private(set) var capacity = 0
    private var words: UnsafeMutablePointer<UInt64>
    private var parents: UnsafeMutablePointer<UInt32>
    private var actions: UnsafeMutablePointer<UInt32>
    private var slots: UnsafeMutablePointer<UInt32>
    private var slotMask = 0

    /// Creates an empty store.
    public init(wordCount: Int, initialCapacity: Int = 1 << 12) {
        self.wordCount = wordCount
        capacity = max(16, initialCapacity)
        words = Self.allocate(UInt64.self, capacity * wordCount)
        parents = Self.allocate(UInt32.self, capacity)
        actions = Self.allocate(UInt32.self, capacity)
        let slotCount = capacity * 2
        slots = Self.allocateZeroed(UInt32.self, slotCount)
        slotMask = slotCount - 1
    }

    deinit {
        free(words)
        free(parents)
        free(actions)
        free(slots)
    }

    private static func allocate<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        guard let raw = malloc(max(1, count) * MemoryLayout<T>.stride) else { fatalError("out of memory") }
        adviseHugePages(raw, max(1, count) * MemoryLayout<T>.stride)
        return raw.bindMemory(to: T.self, capacity: count)
    }

    private static func allocateZeroed<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        guard let raw = calloc(max(1, count), MemoryLayout<T>.stride) else { fatalError("out of memory") }
        adviseHugePages(raw, max(1, count) * MemoryLayout<T>.stride)
        return raw.bindMemory(to: T.self, capacity: count)
    }

    private static func reallocate<T>(_ pointer: UnsafeMutablePointer<T>, _ count: Int) -> UnsafeMutablePointer<T> {
        guard let raw = realloc(pointer, count * MemoryLayout<T>.stride) else { fatalError("out of memory") }
        adviseHugePages(raw, count * MemoryLayout<T>.stride)
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// Asks Linux to back a large array with 2 MiB pages: random probes into a table of gigabytes otherwise
    /// miss the TLB on almost every access. A hint only; ignored where unsupported.
    private static func adviseHugePages(_ raw: UnsafeMutableRawPointer, _ bytes: Int) {
        #if os(Linux)
        let hugePage = 2 << 20
        guard bytes >= 2 * hugePage else { return }
        let start = (Int(bitPattern: raw) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: raw) + bytes) & ~(hugePage - 1)
        if end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(aligned, end - start, 14) // MADV_HUGEPAGE
        }
        #endif
    }

    /// Bytes held by the store's arrays.
    public var bytes: Int { capacity * (wordCount * 8 + 8) + (slotMask + 1) * 4 }

    /// Bytes the store would hold with room for `states` states.
    func bytes(forStates states: Int) -> Int {
        var room = capacity
        while room < states { room *= 2 }
        return room * (wordCount * 8 + 8) + room * 2 * 4
    }

    /// Bytes the store would hold after its next growth.
    public var bytesAfterGrowth: Int { 2 * bytes }

    /// Whether the next insertion of a new state will grow the arrays.
    public var isFull: Bool { count >= capacity }

    /// The packed words of state `index`.
    @inline(__always)
    public func state(_ index: Int) -> UnsafeMutablePointer<UInt64> { words + index * wordCount }

    /// The state as an array.
    public func stateArray(_ index: Int) -> [UInt64] { Array(UnsafeBufferPointer(start: state(index), count: wordCount)) }

    /// The parent of state `index`, or `noParent`.
    @inline(__always)
    public func parent(_ index: Int) -> UInt32 { parents[index] }

    /// The ground action that produced state `index` (undefined for initial states).
    @inline(__always)
    public func action(_ index: Int) -> UInt32 { actions[index] }

    /// The hash of a packed state.
    @inline(__always)
    public static func hash(_ state: UnsafePointer<UInt64>, _ wordCount: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for k in 0..<wordCount { h = mix(h ^ state[k]) }
        return h
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    private func equals(_ index: Int, _ other: UnsafePointer<UInt64>) -> Bool {
        let stored = words + index * wordCount
        if wordCount == 1 { return stored[0] == other[0] }
        for k in 0..<wordCount where stored[k] != other[k] { return false }
        return true
    }

    // MARK: Parallel insertion support

    /// Slot values with this bit set are provisional claims made during a parallel round (not indices).
    static let provisionalBit: UInt32 = 1 << 31
    /// The most states a store can hold (indices must stay below the provisional bit).
    static let maximumStates = Int(provisionalBit) - 2

    /// Slots in the index (twice the capacity): a parallel round whose claims stay below it cannot fill it.
    var slotCount: Int { slotMask + 1 }

    /// The slot array and its mask, for lock-free insertion in a parallel round.
    var rawSlots: (pointer: UnsafeMutablePointer<UInt32>, mask: Int) { (slots, slotMask) }

    /// Whether stored state `index` equals `state`.
    @inline(__always)
    func storedEquals(_ index: Int, _ state: UnsafePointer<UInt64>) -> Bool { equals(index, state) }

    /// Grows the arrays and the index so that `states` states fit without any growth (load at most 1/2).
    /// The index is rebuilt once, on `threads` threads.
    func reserve(states: Int, threads: Int = 1) {
        guard capacity < states else { return }
        var target = capacity
        while target < states { target *= 2 }
        resize(to: target, threads: threads)
    }

    /// Writes new state number `index` (at or after `count`), whose slot `slot` was claimed during a parallel
    /// round, without counting it: distinct threads may write distinct indices at once. Capacity must be
    /// reserved; `commitClaimed(count:)` then makes the states visible.
    @inline(__always)
    func writeClaimed(at index: Int, _ state: UnsafePointer<UInt64>, parent: UInt32, action: UInt32, slot: Int) {
        (words + index * wordCount).update(from: state, count: wordCount)
        parents[index] = parent
        actions[index] = action
        slots[slot] = UInt32(index + 1)
    }

    /// Counts the states written by `writeClaimed(at:_:parent:action:slot:)` below `count`.
    func commitClaimed(count newCount: Int) {
        precondition(newCount >= count && newCount <= capacity, "claimed states beyond the reserved capacity")
        count = newCount
    }

    /// Like `prefetchCandidate(_:)`, but safe while other threads claim slots: provisional claims are skipped.
    @inline(__always)
    func prefetchCandidateConcurrently(_ hash: UInt64) {
        let entry = vmc_load_relaxed_u32(slots + (Int(truncatingIfNeeded: hash) & slotMask))
        if entry != 0, entry & Self.provisionalBit == 0 { vmc_prefetch(words + Int(entry - 1) * wordCount) }
    }

    /// Rebuilds the index from the stored states, dropping any provisional claim (after a stopped round).
    func rebuildIndex() {
        slots.update(repeating: 0, count: slotMask + 1)
        reindex()
    }

    /// The index of `state`, if stored.
    public func find(_ state: UnsafePointer<UInt64>) -> Int? {
        var slot = Int(truncatingIfNeeded: Self.hash(state, wordCount)) & slotMask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if equals(Int(entry - 1), state) { return Int(entry - 1) }
            slot = (slot + 1) & slotMask
        }
    }

    /// Starts loading the hash slot of a state whose hash is `hash`.
    @inline(__always)
    public func prefetchSlot(_ hash: UInt64) {
        vmc_prefetch(slots + (Int(truncatingIfNeeded: hash) & slotMask))
    }

    /// Starts loading the stored state that the hash slot of `hash` points to, if any.
    @inline(__always)
    public func prefetchCandidate(_ hash: UInt64) {
        let entry = slots[Int(truncatingIfNeeded: hash) & slotMask]
        if entry != 0 { vmc_prefetch(words + Int(entry - 1) * wordCount) }
    }

    /// Inserts `state` unless present. Returns its index and whether it was new.
    /// The caller must not hold pointers into the store across this call: it may move the arrays.
    @inline(__always)
    public func insert(_ state: UnsafePointer<UInt64>, parent: UInt32, action: UInt32) -> (index: Int, inserted: Bool) {
        insert(state, hash: Self.hash(state, wordCount), parent: parent, action: action)
    }

    /// Inserts `state`, whose hash (from `hash(_:_:)`) is `hash`, unless present.
    @inline(__always)
    public func insert(_ state: UnsafePointer<UInt64>, hash: UInt64, parent: UInt32, action: UInt32) -> (index: Int, inserted: Bool) {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if equals(Int(entry - 1), state) { return (Int(entry - 1), false) }
            slot = (slot + 1) & slotMask
        }
        if count >= capacity {
            grow()
            return insert(state, hash: hash, parent: parent, action: action)
        }
        let index = count
        (words + index * wordCount).update(from: state, count: wordCount)
        parents[index] = parent
        actions[index] = action
        slots[slot] = UInt32(index + 1)
        count += 1
        return (index, true)
    }

    private func grow() {
        resize(to: capacity * 2, threads: 1)
    }

    /// Moves the arrays to room for `newCapacity` states and rebuilds the index at twice that many slots.
    private func resize(to newCapacity: Int, threads: Int) {
        capacity = newCapacity
        words = Self.reallocate(words, capacity * wordCount)
        parents = Self.reallocate(parents, capacity)
        actions = Self.reallocate(actions, capacity)
        free(slots)
        let slotCount = capacity * 2
        slots = Self.allocateZeroed(UInt32.self, slotCount)
        slotMask = slotCount - 1
        if threads > 1, count >= Self.parallelReindexMinimum {
            reindexInParallel(threads: threads)
        } else {
            reindex()
        }
    }

    /// Below this many states the index is rebuilt on one thread.
    static let parallelReindexMinimum = 1 << 16

    /// Enters every stored state into the (empty) index from several threads, each claiming slots with a
    /// compare-exchange. The probe sequences may differ from a one-thread rebuild; lookups find the same indices.
    private func reindexInParallel(threads: Int) {
        let shared = Shared(value: (words, slots, slotMask, wordCount, count))
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            let (words, slots, mask, wordCount, count) = shared.value
            let start = count * part / threads
            let end = count * (part + 1) / threads
            for index in start..<end {
                var slot = Int(truncatingIfNeeded: Self.hash(words + index * wordCount, wordCount)) & mask
                while !vmc_compare_exchange_u32(slots + slot, 0, UInt32(index + 1)) { slot = (slot + 1) & mask }
            }
        }
    }

    /// Enters every stored state into the (empty) index.
    private func reindex() {
        for index in 0..<count {
            var slot = Int(truncatingIfNeeded: Self.hash(words + index * wordCount, wordCount)) & slotMask
            while slots[slot] != 0 { slot = (slot + 1) & slotMask }
            slots[slot] = UInt32(index + 1)
        }
    }

    /// The indices from an initial state to `index`, in order.
    public func path(to index: Int) -> [Int] {
        var path = [index]
        var current = index
        while parents[current] != Self.noParent {
            current = Int(parents[current])
            path.append(current)
        }
        return path.reversed()
    }
}
