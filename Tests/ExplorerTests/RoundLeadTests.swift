@testable import Explorer
import PackedSystem
import Testing

/// A parallel round's lead inserts its first chunks as the one-thread search would, numbering their new states at
/// once, while the other threads claim the last chunks (`insertAsLead`); it takes over the claims of states its
/// chunks hold. Every store here is compared state by state with the one-thread store.
@Suite struct RoundLeadTests {
    /// Runs `model` on one thread and on `threads` (every round on the threads), with chunks of `chunkStates`, the
    /// options `configure` sets for both, and the lead scheduled as `leadChunks` says
    /// (`ExplorerOptions.leadChunksAfterClaims`); checks that the results and stores are the same and returns the
    /// parallel explorer.
    static func matchesOneThread(_ model: String, threads: Int = 2, chunkStates: Int, leadChunks: Int? = nil,
                                 configure: (inout ExplorerOptions) -> Void = { _ in }) throws -> ExplicitExplorer {
        let system = try buildSystem(model)
        var options = ExplorerOptions()
        options.chunkStates = chunkStates
        configure(&options)
        let one = ExplicitExplorer(system: system, options: options, file: "test.vmc").run()
        options.threads = threads
        options.parallelRounds = .always
        options.leadChunksAfterClaims = leadChunks
        let explorer = ExplicitExplorer(system: system, options: options, file: "test.vmc")
        let many = explorer.run()
        ParallelTests.assertSameRun(many.result, one.result, threads: threads)
        #expect(NeighbourRepeatsTests.contents(many.graph.store) == NeighbourRepeatsTests.contents(one.graph.store))
        return explorer
    }

    /// The lead runs after the claims, so every state its chunks share with the later chunks of the round was
    /// claimed first: the lead takes each over, and the claims' candidates are not first discoveries. (Chunks of
    /// 64 states: the grid's levels, of up to 1,469 states, then span many chunks, so that the claimed chunks
    /// share states with the lead's that `NeighbourRepeats` does not leave out.)
    @Test(arguments: [1, 2, 8])
    func theLeadTakesOverTheClaimsOfItsStates(leadChunks: Int) throws {
        let explorer = try Self.matchesOneThread(NeighbourRepeatsTests.grid, chunkStates: 64, leadChunks: leadChunks)
        #expect(explorer.ledChunks > 0)
        #expect(explorer.leadTakeovers > 0)
    }

    /// Findings of every kind, some on the lead's states (its state properties), in the one-thread search's order.
    @Test(arguments: [0, 1, 3])
    func findingsOnTheLeadsStatesComeInOrder(leadChunks: Int) throws {
        let explorer = try Self.matchesOneThread(ParallelTests.mixed, chunkStates: 64, leadChunks: leadChunks)
        #expect((explorer.ledChunks > 0) == (leadChunks > 0))
    }

    /// The lead and the claims at once, meeting where they meet, on two threads and on three (two claim).
    @Test(arguments: [2, 3])
    func theLeadAndTheClaimsMeet(threads: Int) throws {
        let explorer = try Self.matchesOneThread(NeighbourRepeatsTests.grid, threads: threads, chunkStates: 64)
        #expect(explorer.ledChunks > 0)
    }

    /// A search that records its successor graph (a model with a liveness property) claims every chunk: the graph
    /// needs each first occurrence's stored number, which the claims' phases record.
    @Test func aSearchThatRecordsItsGraphHasNoLead() throws {
        let explorer = try Self.matchesOneThread(NeighbourRepeatsTests.grid + "\neventually Done: a == 12\n", chunkStates: 64)
        #expect(explorer.ledChunks == 0)
    }

    /// Under a state limit a round leads only when its new states cannot pass the limit; the search stops where
    /// the one-thread search stops, with the same states.
    @Test(arguments: [1_000, 20_000])
    func aStateLimitStopsWhereTheOneThreadSearchStops(limit: Int) throws {
        let explorer = try Self.matchesOneThread(NeighbourRepeatsTests.grid, chunkStates: 64) { $0.budget.maxStates = limit }
        #expect(explorer.store.count == limit)
        #expect(explorer.ledChunks > 0)
    }
}
