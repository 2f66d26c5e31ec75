@testable import Explorer
import PackedSystem
import Testing

/// While a round's lead inserts it, the threads expand the next round (`RoundAhead`): the claiming threads first,
/// then the claims, and the lead once it met them. The next round then needs no expansion phase of its own. Every
/// store here is compared state by state with the one-thread store (`RoundLeadTests.matchesOneThread`).
@Suite struct RoundAheadTests {
    /// Rounds of 1, 4 and 8 chunks of 64 states on the grid (levels of up to 1,469 states): whole rounds of stored
    /// states lie ahead of many rounds, and they are expanded ahead. (Rounds of 16 such chunks never have a whole
    /// round stored ahead of them there: 2,048 states past the round's first.)
    @Test(arguments: [1, 4, 8])
    func roundsExpandedAheadStoreTheOneThreadSearchsStates(chunksPerRound: Int) throws {
        let explorer = try RoundLeadTests.matchesOneThread(NeighbourRepeatsTests.grid, chunkStates: 64) {
            $0.parallelChunksPerRound = chunksPerRound
        }
        #expect(explorer.roundsExpandedAhead > 0)
        #expect(explorer.ledChunks > 0)
    }

    /// On three threads two claim and both expand ahead from the front.
    @Test func threeThreadsExpandAhead() throws {
        let explorer = try RoundLeadTests.matchesOneThread(NeighbourRepeatsTests.grid, threads: 3, chunkStates: 64) {
            $0.parallelChunksPerRound = 4
        }
        #expect(explorer.roundsExpandedAhead > 0)
    }

    /// Findings of every kind, found while expanding rounds ahead and in their states, in the one-thread search's
    /// order; a round expanded ahead of a round that stops the search is dropped with it.
    @Test(arguments: [1, 3])
    func findingsOfRoundsExpandedAheadComeInOrder(chunksPerRound: Int) throws {
        let explorer = try RoundLeadTests.matchesOneThread(ParallelTests.mixed, chunkStates: 64) {
            $0.parallelChunksPerRound = chunksPerRound
        }
        #expect(explorer.roundsExpandedAhead > 0)
    }

    /// Switched off (`ExplorerOptions.expandsAhead`), every round is expanded in a phase of its own, with the same
    /// store.
    @Test func withoutExpandingAheadTheStoreIsTheSame() throws {
        let explorer = try RoundLeadTests.matchesOneThread(NeighbourRepeatsTests.grid, chunkStates: 64) {
            $0.parallelChunksPerRound = 4
            $0.expandsAhead = false
        }
        #expect(explorer.roundsExpandedAhead == 0)
        #expect(explorer.ledChunks > 0)
    }

    /// A round is expanded ahead only when it will run on the threads: with rounds on one thread between rounds on
    /// the threads (`RoundPacer`'s test pattern), each mode still runs the rounds its pattern gives, and where a
    /// round on the threads is always followed by one on one thread, no round is expanded ahead.
    @Test(arguments: [([RoundPacer.Mode.parallel, .sequential], false), ([.parallel, .parallel, .sequential], true)])
    func onlyRoundsOnTheThreadsAreExpandedAhead(pattern: [RoundPacer.Mode], expandsAhead: Bool) throws {
        let system = try buildSystem(NeighbourRepeatsTests.grid)
        var options = ExplorerOptions()
        options.chunkStates = 64
        let one = ExplicitExplorer(system: system, options: options, file: "test.vmc").run()
        options.threads = 2
        options.parallelChunksPerRound = 2
        options.roundModePattern = pattern
        let explorer = ExplicitExplorer(system: system, options: options, file: "test.vmc")
        let many = explorer.run()
        ParallelTests.assertSameRun(many.result, one.result, threads: 2)
        #expect(NeighbourRepeatsTests.contents(many.graph.store) == NeighbourRepeatsTests.contents(one.graph.store))
        // The pattern's modes in turn (a round expanded ahead is one the pattern runs on the threads, which the
        // search asserts in a debug build).
        let rounds = explorer.parallelRounds + explorer.sequentialRounds
        #expect(explorer.sequentialRounds == (0..<rounds).filter { pattern[$0 % pattern.count] == .sequential }.count)
        #expect((explorer.roundsExpandedAhead > 0) == expandsAhead)
    }
}
