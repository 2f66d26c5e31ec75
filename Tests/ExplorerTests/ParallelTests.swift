import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// The parallel search stores the same states in the same order as the one-thread search, so its statistics,
/// verdicts and traces are identical.
@Suite struct ParallelTests {
    static let models: [String] = [
        TraceTests.jumps,
        BudgetTests.large,
        """
        model dma
        type Dev = 0..3
        type S = enum { RUNNING, RUNNING_P2P, STOP }
        var st: [Dev] S = RUNNING
        var inflight: [Dev][Dev] bool = false
        action issue(i: Dev, j: Dev) when i != j && st[i] == RUNNING && !inflight[i][j] { inflight[i][j] := true }
        action deliver(i: Dev, j: Dev) when inflight[i][j] {
          assert NoDmaToStopped: st[j] != STOP
          inflight[i][j] := false
        }
        action quiesce(d: Dev) when st[d] == RUNNING && (forall j: Dev. !inflight[d][j]) { st[d] := RUNNING_P2P }
        action stop(d: Dev) when st[d] == RUNNING_P2P { st[d] := STOP }
        invariant SomeoneRuns: exists d: Dev. st[d] != STOP
        reachable AllStopped: forall d: Dev. st[d] == STOP
        terminal forall d: Dev. st[d] == STOP
        expect NoDmaToStopped violated
        expect SomeoneRuns violated
        """,
        """
        model symmetric
        type Dev = scalarset(4)
        type S = enum { RUNNING, STOP, ERROR }
        var st: [Dev] S = RUNNING
        var owner: Dev = any
        action stop(d: Dev) when st[d] == RUNNING { st[d] := STOP }
        action fail(d: Dev) when st[d] != ERROR { st[d] := ERROR }
        action handover(d: Dev) when d != owner && st[d] == RUNNING { owner := d }
        invariant OwnerAlive: st[owner] != ERROR
        terminal true
        expect OwnerAlive violated
        """,
    ]

    @Test(arguments: [2, 3])
    func parallelSearchMatchesTheOneThreadSearch(threads: Int) throws {
        for model in Self.models {
            let one = try explore(model)
            var options = ExplorerOptions()
            options.threads = threads
            let many = try explore(model, options: options)
            #expect(many.statistics.states == one.statistics.states)
            #expect(many.statistics.transitions == one.statistics.transitions)
            #expect(many.statistics.depth == one.statistics.depth)
            #expect(many.properties == one.properties)
            #expect(many.statistics.threads == threads)
        }
    }

    @Test func parallelSearchHonoursTheStateLimit() throws {
        var options = ExplorerOptions()
        options.threads = 2
        options.maxStates = 500
        let result = try explore(BudgetTests.large, options: options)
        #expect(result.statistics.states == 500)
        #expect(result.statistics.stopReason == "state limit of 500 reached")
        #expect(try result.property("Fine").verdict == .unknown)
    }
}
