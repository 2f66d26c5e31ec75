@testable import Explorer
import PackedSystem
import Testing

/// The parallel expansion drops the first copies a chunk shares with the chunks just before it
/// (`NeighbourRepeats`): the batch operation itself, and whole searches, whose stores must equal the one-thread
/// search's.
@Suite struct NeighbourRepeatsTests {
    /// A batch of one-word states, in order, with its first occurrences listed.
    static func batch(_ states: [UInt64]) -> SuccessorBatch {
        let batch = SuccessorBatch(wordCount: 1)
        for state in states {
            var word = state
            batch.append(&word, number: 1, parent: 0, action: 0)
        }
        batch.findFirstOccurrences()
        return batch
    }

    static func firsts(_ batch: SuccessorBatch) -> [UInt64] {
        (0..<batch.firstCount).map { batch.state(Int(batch.firsts[$0]))[0] }
    }

    @Test func dropsExactlyTheStatesTheOtherBatchHoldsAndKeepsTheOrder() {
        let earlier = Self.batch([5, 9, 5, 12, 40])
        let later = Self.batch([7, 12, 7, 3, 5, 41, 9, 100])
        #expect(Self.firsts(later) == [7, 12, 3, 5, 41, 9, 100])
        #expect(later.dropFirstOccurrences(heldBy: earlier) == 3)
        #expect(Self.firsts(later) == [7, 3, 41, 100])
        // The positions kept are those of the first copies (7 at 0, 3 at 3, 41 at 5, 100 at 7).
        #expect((0..<later.firstCount).map { later.firsts[$0] } == [0, 3, 5, 7])
        // Nothing more to drop, and a batch whose table was never filled drops nothing.
        #expect(later.dropFirstOccurrences(heldBy: earlier) == 0)
        #expect(later.dropFirstOccurrences(heldBy: SuccessorBatch(wordCount: 1)) == 0)
        #expect(Self.firsts(later) == [7, 3, 41, 100])
    }

    @Test func comparesWholeStatesNotOnlyTheirHashes() {
        let earlier = SuccessorBatch(wordCount: 2)
        let later = SuccessorBatch(wordCount: 2)
        var a: [UInt64] = [1, 2]
        var b: [UInt64] = [1, 3]
        var c: [UInt64] = [2, 2]
        earlier.append(&a, number: 1, parent: 0, action: 0)
        earlier.append(&b, number: 1, parent: 0, action: 0)
        later.append(&c, number: 1, parent: 0, action: 0)
        later.append(&b, number: 1, parent: 0, action: 0)
        earlier.findFirstOccurrences()
        later.findFirstOccurrences()
        #expect(later.dropFirstOccurrences(heldBy: earlier) == 1)
        #expect(later.firstCount == 1)
        #expect(Array(UnsafeBufferPointer(start: later.state(Int(later.firsts[0])), count: 2)) == [2, 2])
    }

    /// Four counters, like Benchmarks/deep.vmc: every state but the first of a level has up to four parents, and
    /// with chunks of 64 states about 30% of a chunk's first copies are held by the two chunks before it.
    static let grid = """
        model grid
        var a: 0..12 = 0
        var b: 0..12 = 0
        var c: 0..12 = 0
        var d: 0..12 = 0
        action incA when a < 12 { a := a + 1 }
        action incB when b < 12 { b := b + 1 }
        action incC when c < 12 { c := c + 1 }
        action incD when d < 12 { d := d + 1 }
        invariant NotFar: a + b + c + d < 40
        reachable Corner: a == 12 && b == 12 && c == 12 && d == 12
        """

    /// The states, parents and actions of a store, in order.
    static func contents(_ store: StateStore) -> [[UInt64]] {
        (0..<store.count).map { store.stateArray($0) + [UInt64(store.parent($0)), UInt64(store.action($0))] }
    }

    @Test(arguments: [false, true])
    func aSearchThatDropsNeighbourRepeatsStoresWhatTheOneThreadSearchStores(always: Bool) throws {
        let system = try buildSystem(Self.grid)
        var options = ExplorerOptions()
        options.chunkStates = 64
        let oneThread = ExplicitExplorer(system: system, options: options, file: "test.vmc")
        let one = oneThread.run()
        options.threads = 2
        options.parallelRounds = .always
        options.neighbourRepeatsAlways = always
        let explorer = ExplicitExplorer(system: system, options: options, file: "test.vmc")
        let many = explorer.run()
        #expect(one.result.statistics.states == 28_561)
        ParallelTests.assertSameRun(many.result, one.result, threads: 2)
        #expect(Self.contents(many.graph.store) == Self.contents(one.graph.store))
        // The grid's neighbours share most of their successors: the drop is taken, forced or not.
        #expect(explorer.neighbourRepeatsDropped > 0)
        #expect(explorer.neighbourRepeatsDropped * NeighbourRepeats.minimumShare >= explorer.neighbourRepeatsLooked)
        #expect(oneThread.neighbourRepeatsLooked == 0)
    }

    /// A search that records its successor graph (a model with a liveness property) keeps every first copy.
    @Test func aSearchThatRecordsItsGraphDropsNothing() throws {
        let system = try buildSystem(Self.grid + "\neventually Done: a == 12\n")
        var options = ExplorerOptions()
        options.chunkStates = 64
        options.threads = 2
        options.parallelRounds = .always
        options.neighbourRepeatsAlways = true
        let explorer = ExplicitExplorer(system: system, options: options, file: "test.vmc")
        _ = explorer.run()
        #expect(explorer.neighbourRepeatsLooked == 0)
    }

    /// Where neighbouring chunks share few successors, a worker stops looking for a while: fewer lookups than
    /// with the drop forced, and the same store.
    @Test func aWorkerWhoseLookupsFindLittlePausesThem() throws {
        let system = try buildSystem(ParallelTests.mixed)
        var options = ExplorerOptions()
        options.chunkStates = 64
        options.threads = 2
        options.parallelRounds = .always
        let adaptive = ExplicitExplorer(system: system, options: options, file: "test.vmc")
        let first = adaptive.run()
        options.neighbourRepeatsAlways = true
        let forced = ExplicitExplorer(system: system, options: options, file: "test.vmc")
        let second = forced.run()
        ParallelTests.assertSameRun(first.result, second.result, threads: 2)
        #expect(Self.contents(first.graph.store) == Self.contents(second.graph.store))
        #expect(forced.neighbourRepeatsLooked > 0)
        #expect(adaptive.neighbourRepeatsLooked < forced.neighbourRepeatsLooked)
    }
}
