import CExplorerSupport
import PackedSystem

/// A state property that came out true (or failed to evaluate) on a new state while a parallel round numbered
/// its states. Merged in state order under the same rules as the one-thread search's `checkState`.
struct StateCheckEvent {
    /// The invariant or reachability goal evaluated.
    let property: Int
    /// The new state's index.
    let state: Int
    /// Set when evaluating the property failed (an index out of range): a `bounds` finding.
    let failure: ActionFailure?
    let address: Int32
}

/// The successors of one chunk of frontier states in a parallel round, and what the round learnt about them.
///
/// A claimed chunk lists, in position order, the candidates its claims did not find stored before the round
/// (`listed`); a listed candidate's key is `chunk << 20 | its place in the list`, which orders the round's
/// candidates as the one-thread search meets them (a lead's candidate keeps `chunk << 20 | position`, and every
/// lead chunk comes before every claimed one).
///
/// Why a list instead of arrays by position: a candidate found stored needs no record, and on p2p-scale N=6 77% of
/// those the claims probe are (on deep K=70 nearly none, its candidates being nearly all new). Arrays by position
/// were written for every candidate (and, for the claims, at positions spread over most of their lines), cache
/// lines the one-thread search never touches: one more such array made the one-thread search about 3% slower on
/// p2p-scale N=6, and the two-thread search does 2-3% less work with the list (Benchmarks/README.md, "Two
/// threads: the claims' records").
final class RoundChunk {
    /// `owner` of a listed candidate that turned out equal to a state stored before (after a failed claim).
    static let storedBefore = UInt32.max
    /// `owner` of a candidate between its probe and its claim in phase 2 (keys stay below the provisional bit).
    static let pendingClaim = UInt32.max - 1

    private let leadingPadding = CacheLinePadding()
    let batch: SuccessorBatch
    /// Per listed candidate: its position in the batch.
    private(set) var listed: UnsafeMutablePointer<UInt32>
    /// Listed candidates.
    var listedCount = 0
    /// Per listed candidate that claimed a hash slot: the smallest key of the candidates equal to it.
    private(set) var minKey: UnsafeMutablePointer<UInt32>
    /// Per listed candidate that claimed a hash slot: the slot (the index never has more than 2^32 slots).
    private(set) var slotOf: UnsafeMutablePointer<UInt32>
    /// Per listed candidate: the key of the claim it resolved to (its own when it claimed), or `storedBefore`.
    private(set) var owner: UnsafeMutablePointer<UInt32>
    /// Per first discovery of a claimed chunk (as `firstDiscoveries`): the slot its claim holds.
    private(set) var discoverySlots: UnsafeMutablePointer<UInt32>
    private var keyCapacity = 0
    /// Positions of the candidates that are the first discovery of a new state, in order.
    var firstDiscoveries: [Int32] = []
    /// Index of the first new state this chunk discovers (set between the counting and the numbering phase).
    var base = 0
    /// The parent of state `base - 1` (set with `base`), which the compact parent column encodes against.
    var previousParent: UInt32 = 0
    /// Parents of this chunk's new states that the parent column stores as escapes, in state order.
    var parentEscapes: [UInt64] = []
    /// Violations found while expanding, in expansion order.
    var findings: [(property: Int, finding: ExplicitExplorer.Finding)] = []
    /// State-property events on the new states this chunk numbered, in state order.
    var events: [StateCheckEvent] = []
    /// Successors generated.
    var transitions = 0
    /// Set when the worker stopped expanding this chunk because the time budget was spent.
    var abandoned = false
    /// The frontier states expanded into this chunk.
    var states = 0..<0
    private let trailingPadding = CacheLinePadding()

    init(wordCount: Int) {
        batch = SuccessorBatch(wordCount: wordCount)
        listed = .allocate(capacity: 1)
        minKey = .allocate(capacity: 1)
        slotOf = .allocate(capacity: 1)
        owner = .allocate(capacity: 1)
        discoverySlots = .allocate(capacity: 1)
    }

    deinit {
        listed.deallocate()
        minKey.deallocate()
        slotOf.deallocate()
        owner.deallocate()
        discoverySlots.deallocate()
    }

    /// Empties the chunk before its states are expanded.
    func reset() {
        abandoned = false
        batch.removeAll()
        findings.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        firstDiscoveries.removeAll(keepingCapacity: true)
        parentEscapes.removeAll(keepingCapacity: true)
        transitions = 0
    }

    /// Sizes the per-candidate arrays for the batch.
    func prepareKeys() {
        listedCount = 0
        guard keyCapacity < batch.count else { return }
        listed.deallocate()
        minKey.deallocate()
        slotOf.deallocate()
        owner.deallocate()
        discoverySlots.deallocate()
        keyCapacity = max(batch.count, keyCapacity * 2)
        listed = .allocate(capacity: keyCapacity)
        minKey = .allocate(capacity: keyCapacity)
        slotOf = .allocate(capacity: keyCapacity)
        owner = .allocate(capacity: keyCapacity)
        discoverySlots = .allocate(capacity: keyCapacity)
    }
}

/// One worker's private machine, symmetry reducer, action counts and scratch state.
final class RoundWorker {
    private let leadingPadding = CacheLinePadding()
    let machine: Machine
    let reducer: SymmetryReducer?
    let current: UnsafeMutablePointer<UInt64>
    /// This worker's own action counts, summed into the explorer's when the search ends.
    let counters: ActionCounters
    /// The table of neighbouring chunks' successors through which this worker lists a chunk's first occurrences.
    let neighbourRepeats = NeighbourRepeats()
    private let trailingPadding = CacheLinePadding()

    init(system: TransitionSystem, symmetry: Bool, native: NativeLibrary?) {
        machine = system.makeMachine(native: native)
        counters = ActionCounters(actions: system.actions.count)
        reducer = symmetry ? try? SymmetryReducer(system: system) : nil
        current = ThreadOwnedMemory.allocate(capacity: system.wordCount)
    }

    deinit { ThreadOwnedMemory.deallocate(current) }
}

/// Raw views of every chunk's per-candidate arrays, gathered once per round so that the hot loops index them
/// without reference counting.
struct RoundTables {
    let words: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
    /// Each chunk's `listed`: the position of a listed candidate.
    let positions: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>>
    let minKeys: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>>
    let slots: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>>
    /// Each chunk's stored numbers of its first occurrences, when the search records its successor graph
    /// (`SuccessorBatch.storedTargets`).
    let targets: UnsafeMutablePointer<UnsafeMutablePointer<Int32>>
    let count: Int

    init(_ chunks: ArraySlice<RoundChunk>) {
        count = chunks.count
        words = .allocate(capacity: max(1, count))
        positions = .allocate(capacity: max(1, count))
        minKeys = .allocate(capacity: max(1, count))
        slots = .allocate(capacity: max(1, count))
        targets = .allocate(capacity: max(1, count))
        for (offset, chunk) in chunks.enumerated() {
            words[offset] = chunk.batch.words
            positions[offset] = chunk.listed
            minKeys[offset] = chunk.minKey
            slots[offset] = chunk.slotOf
            targets[offset] = chunk.batch.storedTargets
        }
    }

    func deallocate() {
        words.deallocate()
        positions.deallocate()
        minKeys.deallocate()
        slots.deallocate()
        targets.deallocate()
    }

    /// The chunk and the place in its list (`RoundChunk.listed`) a claim's key names.
    @inline(__always)
    static func split(_ key: UInt32) -> (chunk: Int, index: Int) { (Int(key >> 20), Int(key & 0xFFFFF)) }

    /// The words of the candidate whose claim has key `key`.
    @inline(__always)
    func claimedWords(_ key: UInt32, wordCount: Int) -> UnsafeMutablePointer<UInt64> {
        let (chunk, index) = Self.split(key)
        return words[chunk] + Int(positions[chunk][index]) &* wordCount
    }
}

/// The round after the one being inserted, which the threads expand while they insert it
/// (`ExplicitExplorer.insertRound`): its chunks' states, the chunks it is expanded into (the search's second set),
/// and its round number (`NeighbourRepeats`).
struct RoundAhead {
    let ranges: [Range<Int>]
    let chunks: ArraySlice<RoundChunk>
    let serial: Int
}

/// Shares out a round's chunks between two kinds of work, one taking them from the front and the other from the
/// back until the two ends meet, so that however the two compare in cost, no thread waits for another: the lead and
/// the claims in phase 2 (`RoundCursor`), and the expansion of the next round meanwhile (`RoundAhead`: the claiming
/// threads from the front, the lead from the back).
class ChunkEnds: @unchecked Sendable {
    /// The front (low 32 bits) and the back (high 32 bits), on a cache line of its own.
    private let cell: UnsafeMutablePointer<Int64>

    init(chunks: Int) {
        cell = .allocate(capacity: 16)
        cell.initialize(repeating: 0, count: 16)
        cell[8] = Int64(chunks) << 32
    }

    deinit { cell.deallocate() }

    /// The chunks taken from the front: `0..<front`.
    var front: Int { Int(vmc_load_acquire_i64(cell + 8) & 0xFFFF_FFFF) }

    /// The next chunk from the front, or nil when the two ends met.
    func takeFront() -> Int? { take(fromBack: false) }

    /// The next chunk from the back, or nil when the two ends met.
    func takeBack() -> Int? { take(fromBack: true) }

    private func take(fromBack: Bool) -> Int? {
        while true {
            let value = vmc_load_acquire_i64(cell + 8)
            let (front, back) = (value & 0xFFFF_FFFF, value >> 32)
            if front >= back { return nil }
            let (taken, next) = fromBack ? (back - 1, (back - 1) << 32 | front) : (front, value + 1)
            if vmc_compare_exchange_i64(cell + 8, value, next) { return Int(taken) }
        }
    }
}

/// Phase 2's chunks when a lead inserts the first ones (`insertAsLead`): the lead takes them from the front, the
/// claims from the back. The lead alone writes `next`, `previousParent` and `takeovers`, and the caller reads them
/// after the phase.
final class RoundCursor: ChunkEnds, @unchecked Sendable {
    /// The number the lead gives its next new state.
    var next: Int
    /// The parent of state `next - 1`.
    var previousParent: UInt32
    /// Claims the lead took over (for tests and measurements).
    var takeovers = 0

    init(chunks: Int, next: Int, previousParent: UInt32) {
        self.next = next
        self.previousParent = previousParent
        super.init(chunks: chunks)
    }
}
