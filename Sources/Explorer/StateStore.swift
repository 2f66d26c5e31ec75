import CExplorerSupport
import PackedSystem
import Dispatch

/// Every distinct state found, numbered in discovery (breadth-first) order, with its parent and the ground
/// action that produced it, plus an exact hash index over the packed words.
///
/// Memory per state, for a store of capacity C holding n states (only written pages are resident, and the
/// arrays are written in index order): `8 * wordCount` (words), about 1.1 (parent, `ParentColumn`), 1, 2 or 4
/// (action, `ActionColumn`), and `4 * slotCount / n` for the index, whose load stays between 3/8 and 3/4 while
/// the store doubles (up to `doublingLimit` states) and between 1/2 and 3/4 above (5.3 to 8 bytes): about 16 to
/// 19 bytes per state for one-word states from 25 M states on, 24 to 27 for two-word ones (up to 10.7 bytes of
/// index, about 21 bytes per state in all, just after the doubling to `doublingLimit` at 16.8 M states).
public final class StateStore {
    /// Parent index of an initial state.
    public static let noParent = UInt32.max

    /// Words per state.
    public let wordCount: Int
    /// Number of states stored.
    public private(set) var count = 0
    /// Room for this many states without growing.
    private(set) var capacity = 0
    private var wordArray: MappedArray<UInt64>
    private(set) var words: UnsafeMutablePointer<UInt64>
    private var parents: ParentColumn
    private var actions: ActionColumn
    /// The encoded parent of the last stored state (see `ParentColumn`).
    private var lastParent: UInt32 = 0
    private var slotArray: MappedArray<UInt32>
    private(set) var slots: UnsafeMutablePointer<UInt32>
    /// Slots in the index: any number (a hash picks its home slot by multiplication, not by a mask), so that the
    /// index can grow by half instead of doubling.
    private(set) var slotCount = 0
    /// An index entry is `tag | (state index + 1)`: the low `indexBits` bits name the state, the bits above
    /// them (below the provisional bit) hold low bits of the state's hash, so that a probe past an occupied slot
    /// rarely has to read the stored state it names.
    private var indexMask: UInt32 = 0
    private var tagField: UInt32 = 0
    private var indexBits: UInt32 = 0

    /// How the arrays are mapped: a limit for tests, and whether large ones ask for huge pages.
    let mapping: StoreMapping

    /// Creates an empty store for states of `wordCount` words produced by `actionCount` ground actions.
    /// `mapping`: see the property.
    public init(wordCount: Int, actionCount: Int = 1 << 32, initialCapacity: Int = 1 << 12, mapping: StoreMapping = StoreMapping()) {
        self.wordCount = wordCount
        self.mapping = mapping
        capacity = max(16, initialCapacity)
        wordArray = MappedArray(count: capacity * wordCount, mapping: mapping)
        words = wordArray.base
        parents = ParentColumn(capacity: capacity, mapping: mapping)
        actions = ActionColumn(actionCount: actionCount, capacity: capacity, mapping: mapping)
        slotArray = MappedArray(count: Self.slotCount(forCapacity: capacity), mapping: mapping)
        slots = slotArray.base
        // Where the system refused any of the first arrays the store starts with no room: its first insertion of a
        // new state grows it (or, refused again, returns nil, and the search stops with `outOfMemory`).
        if !(wordArray.isMapped && parents.isMapped && actions.isMapped && slotArray.isMapped) { capacity = 0 }
        installIndex(slotArray)
    }

    deinit {
        wordArray.deallocate()
        parents.deallocate()
        actions.deallocate()
        slotArray.deallocate()
    }

    // MARK: Sizes

    /// The index's slots for a capacity: load at most 3/4 when full.
    private static func slotCount(forCapacity capacity: Int) -> Int { capacity + capacity / 3 + 1 }

    /// The capacity after `capacity`: twice as much up to `doublingLimit`, half as much again above (so the
    /// index's load after a growth is 3/8 or 1/2).
    ///
    /// Why both: each growth rebuilds the index, entering every stored state again, so growing by a factor r
    /// enters each state about 1/(r - 1) more times: 2 extra entries per state by halves, 1 by doubling. On
    /// deep K=70 (one thread, 25.4 M states) doubling took 0.88x the CPU time of growing by halves
    /// (Benchmarks/README.md, "The store's growth"). Doubling leaves the index at load 3/8, 10.7 bytes per
    /// state, so it stops at `doublingLimit`: every store of 25 M states or more keeps at most 8 bytes of index
    /// per state (7.1 between 25 M and 33.5 M states), and only stores between 16.8 M and about 20 M states pay
    /// more than the by-halves worst case.
    private static func grown(_ capacity: Int) -> Int {
        // A store that started with no room (`init`) grows to the smallest capacity a store starts with.
        let next = capacity <= doublingLimit / 2 ? max(16, capacity * 2) : capacity + capacity / 2
        return min(next, maximumStates + 1)
    }

    /// The capacity up to which the store doubles: 2^25, 33.5 M states (index slots 4/3 of it).
    static let doublingLimit = 1 << 25

    private func bytes(capacity: Int) -> Int {
        capacity * wordCount * 8 + ParentColumn.bytes(capacity: capacity) + capacity * actions.width
            + Self.slotCount(forCapacity: capacity) * 4 + parents.escapeBytes
    }

    /// Bytes held by the store's arrays.
    public var bytes: Int { bytes(capacity: capacity) }

    /// Bytes the store would hold with room for `states` states.
    func bytes(forStates states: Int) -> Int {
        var room = capacity
        while room < states { room = Self.grown(room) }
        return bytes(capacity: room)
    }

    /// Bytes the store would hold after its next growth.
    public var bytesAfterGrowth: Int { bytes(capacity: Self.grown(capacity)) }

    /// Whether the next insertion of a new state will grow the arrays.
    public var isFull: Bool { count >= capacity }

    // MARK: Reading

    /// The packed words of state `index`.
    @inline(__always)
    public func state(_ index: Int) -> UnsafeMutablePointer<UInt64> { words + index * wordCount }

    /// The state as an array.
    public func stateArray(_ index: Int) -> [UInt64] { Array(UnsafeBufferPointer(start: state(index), count: wordCount)) }

    /// The parent of state `index`, or `noParent`. Decoded from the compact column: up to 63 bytes are read,
    /// so walk a path with it, not every state (`isInitial` says which states have no parent).
    public func parent(_ index: Int) -> UInt32 { parents.parent(index) }

    /// Whether state `index` is an initial state (they come first).
    @inline(__always)
    public func isInitial(_ index: Int) -> Bool { index < parents.initialCount }

    /// The number of initial states stored.
    public var initialCount: Int { parents.initialCount }

    /// The ground action that produced state `index` (undefined for initial states).
    @inline(__always)
    public func action(_ index: Int) -> UInt32 { actions.read(index) }

    /// The number of parents stored as escapes (see `ParentColumn`), for tests and measurements.
    var parentEscapeCount: Int { parents.escapes.count }

    // MARK: Hashing and the index

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

    /// The first slot probed for a hash: its high bits scaled to the slot count.
    @inline(__always)
    func homeSlot(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash.multipliedFullWidth(by: UInt64(slotCount)).high)
    }

    /// The slot probed after `slot` (linear probing, wrapping at the end).
    @inline(__always)
    func nextSlot(_ slot: Int) -> Int {
        let next = slot + 1
        return next == slotCount ? 0 : next
    }

    /// The tag bits of an index entry for a state whose hash is `hash`.
    @inline(__always)
    private func tag(_ hash: UInt64) -> UInt32 { (UInt32(truncatingIfNeeded: hash) << indexBits) & tagField }

    /// The index entry of state `index`, whose hash is `hash`.
    @inline(__always)
    func entry(_ index: Int, _ hash: UInt64) -> UInt32 { tag(hash) | UInt32(truncatingIfNeeded: index + 1) }

    /// The state a (non-provisional, non-empty) index entry names.
    @inline(__always)
    func stateIndex(_ entry: UInt32) -> Int { Int(entry & indexMask) - 1 }

    /// Whether a non-provisional, non-empty entry names a state equal to `state` (whose hash is `hash`).
    @inline(__always)
    func entryMatches(_ entry: UInt32, _ hash: UInt64, _ state: UnsafePointer<UInt64>) -> Bool {
        entry & tagField == tag(hash) && equals(stateIndex(entry), state)
    }

    @inline(__always)
    private func equals(_ index: Int, _ other: UnsafePointer<UInt64>) -> Bool {
        let stored = words + index * wordCount
        if wordCount == 1 { return stored[0] == other[0] }
        for k in 0..<wordCount where stored[k] != other[k] { return false }
        return true
    }

    /// Makes `index` (empty, of `slotCount(forCapacity: capacity)` slots) the store's index, freeing the one
    /// before it; the caller enters the states.
    private func installIndex(_ index: MappedArray<UInt32>) {
        if index.base != slotArray.base { slotArray.deallocate() }
        slotArray = index
        slotCount = Self.slotCount(forCapacity: capacity)
        slots = slotArray.base
        indexBits = UInt32(UInt32.bitWidth - UInt32(capacity).leadingZeroBitCount)
        indexMask = indexBits >= 32 ? UInt32.max : (1 << indexBits) - 1
        tagField = ~indexMask & ~Self.provisionalBit
    }

    // MARK: Parallel insertion support

    /// Slot values with this bit set are provisional claims made during a parallel round (not indices).
    static let provisionalBit: UInt32 = 1 << 31
    /// The most states a store can hold (indices must stay below the provisional bit).
    static let maximumStates = Int(provisionalBit) - 2

    /// The slot array, for lock-free insertion in a parallel round (probe with `homeSlot` and `nextSlot`).
    var rawSlots: UnsafeMutablePointer<UInt32> { slots }

    /// Grows the arrays and the index so that `states` states fit without any growth (load at most 3/4).
    /// The index is rebuilt once, on `threads` threads: by `parallel` (the search's own threads) when given,
    /// else by `standaloneRun`. False, and the store as it was, when the system refuses the
    /// memory.
    @discardableResult
    func reserve(states: Int, threads: Int = 1, parallel: ParallelRunner? = nil) -> Bool {
        guard capacity < states else { return true }
        var target = capacity
        while target < states { target = Self.grown(target) }
        return resize(to: target, threads: threads, parallel: parallel)
    }

    /// The encoded parent of the last stored state: what the first state a parallel round writes follows.
    var lastEncodedParent: UInt32 { lastParent }

    /// Writes new state number `index` (at or after `count`, never an initial state), whose slot `slot` was
    /// claimed during a parallel round, without counting it: distinct threads may write distinct indices at once.
    /// `previousParent` is the parent of state `index - 1` (`lastEncodedParent` for the first); a parent that the
    /// column cannot encode in a byte is passed to `escaped`, and the caller hands those to `commitClaimed`.
    /// Capacity must be reserved; `commitClaimed(count:escapes:)` then makes the states visible.
    @inline(__always)
    func writeClaimed(at index: Int, _ state: UnsafePointer<UInt64>, hash: UInt64, parent: UInt32, previousParent: UInt32,
                      action: UInt32, slot: Int, escaped: (UInt64) -> Void) {
        writeColumns(at: index, state, parent: parent, previousParent: previousParent, action: action, escaped: escaped)
        slots[slot] = entry(index, hash)
    }

    /// Writes new state number `index` as `writeClaimed` does, but not its index entry: the lead of a parallel
    /// round writes the entry itself, publishing the state to the other threads' probes (release).
    @inline(__always)
    func writeColumns(at index: Int, _ state: UnsafePointer<UInt64>, parent: UInt32, previousParent: UInt32,
                      action: UInt32, escaped: (UInt64) -> Void) {
        (words + index * wordCount).copyState(from: state, wordCount: wordCount)
        parents.write(at: index, parent: parent, previous: previousParent, escaped: escaped)
        actions.write(at: index, action)
    }

    /// Counts the states written by `writeClaimed` below `count`; `escapes` are the escaped parents the writers
    /// were handed, each list in index order and the lists in the order of their states.
    func commitClaimed(count newCount: Int, escapes: [[UInt64]]) {
        precondition(newCount >= count && newCount <= capacity, "claimed states beyond the reserved capacity")
        for list in escapes { parents.appendEscapes(list) }
        parents.truncate(to: newCount)
        if newCount > count { lastParent = parents.encoded(newCount - 1) }
        count = newCount
    }

    /// Like `prefetchCandidate(_:)`, but safe while other threads claim slots: provisional claims are skipped.
    /// Only a stored state whose tag matches is loaded: the others (most of them, at the index's load) would
    /// be a random miss each that the probe never reads, taking the miss buffers the probes' own misses need.
    @inline(__always)
    func prefetchCandidateConcurrently(_ hash: UInt64) {
        let entry = vmc_load_relaxed_u32(slots + homeSlot(hash))
        if entry != 0, entry & Self.provisionalBit == 0, entry & tagField == tag(hash) {
            vmc_prefetch(words + stateIndex(entry) * wordCount)
        }
    }

    /// Rebuilds the index from the stored states, dropping any provisional claim (after a stopped round).
    func rebuildIndex() {
        slots.update(repeating: 0, count: slotCount)
        reindex()
    }

    // MARK: One-thread insertion

    /// The index of `state`, if stored.
    public func find(_ state: UnsafePointer<UInt64>) -> Int? {
        let hash = Self.hash(state, wordCount)
        var slot = homeSlot(hash)
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entryMatches(entry, hash, state) { return stateIndex(entry) }
            slot = nextSlot(slot)
        }
    }

    /// Starts loading the hash slot of a state whose hash is `hash`.
    @inline(__always)
    public func prefetchSlot(_ hash: UInt64) {
        vmc_prefetch(slots + homeSlot(hash))
    }

    /// Starts loading the stored state that the hash slot of `hash` points to, if its tag matches.
    @inline(__always)
    public func prefetchCandidate(_ hash: UInt64) {
        let entry = slots[homeSlot(hash)]
        if entry != 0, entry & tagField == tag(hash) { vmc_prefetch(words + stateIndex(entry) * wordCount) }
    }

    /// Inserts `state` unless present. Returns its index and whether it was new; nil when the state is new and
    /// the store full, and the system refuses the memory to grow it (the store is then as it was).
    /// The caller must not hold pointers into the store across this call: it may move the arrays.
    @inline(__always)
    public func insert(_ state: UnsafePointer<UInt64>, parent: UInt32, action: UInt32) -> (index: Int, inserted: Bool)? {
        insert(state, hash: Self.hash(state, wordCount), parent: parent, action: action)
    }

    /// Inserts `state`, whose hash (from `hash(_:_:)`) is `hash`, unless present (nil as above). States with
    /// parent `noParent` (initial states) must come before every other state.
    @inline(__always)
    public func insert(_ state: UnsafePointer<UInt64>, hash: UInt64, parent: UInt32, action: UInt32) -> (index: Int, inserted: Bool)? {
        var slot = homeSlot(hash)
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entryMatches(entry, hash, state) { return (stateIndex(entry), false) }
            slot = nextSlot(slot)
        }
        if count >= capacity {
            guard resize(to: Self.grown(capacity), threads: 1) else { return nil }
            return insert(state, hash: hash, parent: parent, action: action)
        }
        let index = count
        (words + index * wordCount).copyState(from: state, wordCount: wordCount)
        if parent == Self.noParent {
            parents.appendInitial(at: index)
            lastParent = 0
        } else {
            parents.append(at: index, parent: parent, previous: lastParent)
            lastParent = parent
        }
        actions.write(at: index, action)
        slots[slot] = entry(index, hash)
        count += 1
        return (index, true)
    }

    // MARK: Growth

    /// Moves the arrays to room for `newCapacity` states and rebuilds the index for it. False when the system
    /// refuses the memory: the states, their numbers and the index are then as they were (an array that did grow
    /// keeps its larger mapping, which the next growth reuses).
    private func resize(to newCapacity: Int, threads: Int, parallel: ParallelRunner? = nil) -> Bool {
        let grown = wordArray.resize(count: newCapacity * wordCount, mapping: mapping)
        words = wordArray.base
        guard grown, parents.resize(capacity: newCapacity, mapping: mapping),
              actions.resize(capacity: newCapacity, mapping: mapping),
              let index = MappedArray<UInt32>(mapping: Self.slotCount(forCapacity: newCapacity), as: mapping) else { return false }
        capacity = newCapacity
        installIndex(index)
        if threads > 1, count >= Self.parallelReindexMinimum {
            reindexPartitioned(parts: Self.reindexPartsPerThread * threads, run: parallel ?? Self.standaloneRun)
        } else {
            touchFreshIndex(0..<slotCount)
            reindex()
        }
        return true
    }

    /// Slots per 4 KiB page of the index.
    static let slotsPerPage = 4096 / MemoryLayout<UInt32>.stride

    /// Writes a zero into every page of slots `range` of a fresh (empty) index before anything reads it.
    ///
    /// Why: a rebuild probes (reads) a slot before it writes it. The first read of a never-touched page maps
    /// the kernel's shared zero page, and the write after it replaces that mapping, which must be flushed from
    /// the TLB of every CPU running the process: with two threads, an inter-processor interrupt per 4 KiB page
    /// (on deep K=70 about 2,400 per run, most of the run's TLB shootdowns), each a trip through the hypervisor
    /// on a virtual machine, where the other thread stalls until it answers. A page written first is simply
    /// allocated, with nothing to flush.
    func touchFreshIndex(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        var slot = range.lowerBound
        while slot < range.upperBound {
            slots[slot] = 0
            slot += Self.slotsPerPage
        }
        slots[range.upperBound - 1] = 0
    }

    /// Below this many states the index is rebuilt on one thread.
    static let parallelReindexMinimum = 1 << 16

    /// How far ahead a rebuild of the index prefetches the home slots of the states it enters: the rebuild is
    /// random writes into a table of up to gigabytes, which every growth repeats for every state, so its cache
    /// misses must overlap. 64 took 0.987x the CPU time of 16 on deep K=70 (one thread, three alternating
    /// pairs, each pair below 1); a longer lookahead in the insertion itself (slots 64, candidates 32 instead
    /// of 32 and 16) took 1.04x, so that one stays.
    static let reindexPrefetchDistance = 64

    /// Starts loading the home slot of stored state `index`.
    @inline(__always)
    private func prefetchHomeSlot(of index: Int) {
        vmc_prefetch(slots + homeSlot(Self.hash(words + index * wordCount, wordCount)))
    }

    /// Enters every stored state into the (empty) index.
    private func reindex() {
        for index in 0..<count {
            if index + Self.reindexPrefetchDistance < count { prefetchHomeSlot(of: index + Self.reindexPrefetchDistance) }
            let hash = Self.hash(words + index * wordCount, wordCount)
            var slot = homeSlot(hash)
            while slots[slot] != 0 { slot = nextSlot(slot) }
            slots[slot] = entry(index, hash)
        }
    }

    /// The indices from an initial state to `index`, in order.
    public func path(to index: Int) -> [Int] {
        var path = [index]
        var current = index
        while !isInitial(current) {
            current = Int(parents.encoded(current))
            path.append(current)
        }
        return path.reversed()
    }
}
