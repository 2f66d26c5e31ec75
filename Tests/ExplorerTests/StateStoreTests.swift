@testable import Explorer
import Testing

/// The state store's compact columns (parents as byte deltas with escapes, narrow actions) and its tagged index
/// at load up to 3/4 give back exactly what was inserted, across growths.
@Suite struct StateStoreTests {
    /// Inserts `count` one-word states after three initial ones, with parents that mostly grow by small steps
    /// (as in a breadth-first search) but also jump by 255 or more and, rarely, go back (never made by the
    /// search, still decoded). Returns the store and the parents and actions it was given.
    static func filledStore(count: Int, actionCount: Int, wordCount: Int = 1) -> (StateStore, [UInt32], [UInt32]) {
        let store = StateStore(wordCount: wordCount, actionCount: actionCount, initialCapacity: 16)
        var random = Generator()
        var parents: [UInt32] = []
        var actions: [UInt32] = []
        var state = [UInt64](repeating: 0, count: wordCount)
        var parent: UInt32 = 0
        for index in 0..<count {
            for k in 0..<wordCount { state[k] = UInt64(index) &* 0x9E37_79B9 &+ UInt64(k) }
            let action = UInt32(random.next() % UInt64(actionCount))
            var given = StateStore.noParent
            if index >= 3 {
                switch random.next() % 100 {
                case 0: parent += 255 + UInt32(random.next() % 1000)
                case 1: parent = parent / 2
                default: parent += UInt32(random.next() % 2)
                }
                parent = min(parent, UInt32(index - 1))
                given = parent
            }
            let inserted = store.insert(state, parent: given, action: action)
            #expect(inserted?.index == index && inserted?.inserted == true)
            parents.append(given)
            actions.append(action)
        }
        return (store, parents, actions)
    }

    @Test(arguments: [1, 2])
    func parentsActionsAndStatesRoundTrip(wordCount: Int) {
        let count = 50_000
        let (store, parents, actions) = Self.filledStore(count: count, actionCount: 7, wordCount: wordCount)
        #expect(store.count == count)
        #expect(store.initialCount == 3)
        #expect(store.parentEscapeCount > 0)
        for index in 0..<count {
            #expect(store.parent(index) == parents[index])
            #expect(store.isInitial(index) == (index < 3))
            if index >= 3 { #expect(store.action(index) == actions[index]) }
            let found = store.find(store.state(index))
            #expect(found == index)
        }
        let absent = [UInt64](repeating: 0xFFFF_FFFF_FFFF, count: wordCount)
        #expect(store.find(absent) == nil)
        // The index never runs fuller than 3/4.
        #expect(store.count * 4 <= store.slotCount * 3)
    }

    /// The parallel rebuild of the index (slot ranges entered without atomics, probes that reach a range's end
    /// finished last) finds every state at its number: on dispatch threads through a growth, and with many
    /// ranges on one thread, where many probes cross a range's end (the last range's wrap to slot 0 included).
    @Test(arguments: [1, 2])
    func partitionedRebuildFindsEveryState(wordCount: Int) {
        let count = 100_000
        let (store, _, _) = Self.filledStore(count: count, actionCount: 7, wordCount: wordCount)
        #expect(count > StateStore.parallelReindexMinimum)
        let slotsBefore = store.slotCount
        store.reserve(states: store.capacity + 1, threads: 2, parallel: StateStore.standaloneRun)
        #expect(store.slotCount > slotsBefore)
        for index in 0..<count { #expect(store.find(store.state(index)) == index) }
        let serial: StateStore.ParallelRunner = { items, body in for item in 0..<items { body(item) } }
        let finishedLast = store.rebuildIndexPartitioned(parts: 512, run: serial)
        #expect(finishedLast > 0)
        for index in 0..<count { #expect(store.find(store.state(index)) == index) }
        let absent = [UInt64](repeating: 0xFFFF_FFFF_FFFF, count: wordCount)
        #expect(store.find(absent) == nil)
    }

    /// Writing the pages of a fresh index before a rebuild reads it (`touchFreshIndex`) leaves it empty, for
    /// any range (page-aligned or not, empty, one slot, the whole index); the rebuilds that follow it in the
    /// growths above find every state.
    @Test func touchingAFreshIndexLeavesItEmpty() {
        let store = StateStore(wordCount: 1, initialCapacity: 100_000)
        let slots = store.slotCount
        #expect(slots > 4 * StateStore.slotsPerPage)
        for range in [0..<0, 0..<1, 5..<6, 3..<StateStore.slotsPerPage + 7, 1_000..<slots, 0..<slots, slots - 1..<slots] {
            store.touchFreshIndex(range)
        }
        #expect((0..<slots).allSatisfy { store.rawSlots[$0] == 0 })
        #expect(store.find([42]) == nil)
    }

    @Test(arguments: [(7, 1), (256, 1), (300, 2), (65_536, 2), (70_000, 4)])
    func actionsUseTheNarrowestWidth(actionCount: Int, width: Int) {
        let (store, _, actions) = Self.filledStore(count: 2_000, actionCount: actionCount)
        #expect(ActionColumn(actionCount: actionCount, capacity: 1).width == width)
        for index in 3..<2_000 { #expect(store.action(index) == actions[index]) }
    }

    @Test func pathFollowsTheParents() {
        let (store, parents, _) = Self.filledStore(count: 10_000, actionCount: 3)
        for index in [0, 2, 3, 64, 65, 4_097, 9_999] {
            let path = store.path(to: index)
            #expect(path.last == index)
            #expect(path.first.map { $0 < 3 } == true)
            for (from, to) in zip(path, path.dropFirst()) { #expect(parents[to] == UInt32(from)) }
        }
    }
}

/// A small deterministic generator (a 64-bit LCG, high bits).
private struct Generator {
    private var state: UInt64 = 16
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 17
    }
}
