import Explorer
import PackedSystem
@testable import SMT
import Testing

/// The explicit graph's lassos under `auto`: the explorer's lasso on the reachable graph, reported by the SMT
/// engine only after Z3 checked it in the encoding (`LivenessEncoding.check(lasso:...)`).
@Suite struct ExplicitLassoTests {
    /// `x` climbs to 50 by a fair step and then idles there (the step is disabled, so idling is fair): the only
    /// fair lasso has 51 steps, past lasso BMC's default bound of 40.
    static let deep = """
        model deep
        var x: 0..50 = 0
        var g: bool = false
        fair action inc when x < 50 { x := x + 1 }
        action idle when x == 50 { x := 50 }
        action set when x == 60 { g := true }
        eventually G: g
        """

    @Test func lassoBMCMissesAtTheDefaultDepthWhatTheCheckedGraphLassoFinds() throws {
        let system = try Differential.system(Self.deep).get()
        var bmc = SMTOptions()
        bmc.method = .bmc
        let bounded = try #require(SMTEngine(system: system, options: bmc, file: "deep.vmc").check().properties.first { $0.name == "G" })
        #expect(bounded.verdict == .unknown)
        #expect(bounded.note?.contains("no fair lasso within 40 steps") == true)

        let run = SMTEngine(system: system, file: "deep.vmc").run()
        let g = try #require(run.result.properties.first { $0.name == "G" })
        #expect(g.verdict == .violated)
        let explicit = try #require(ExplicitExplorer(system: system, file: "deep.vmc").check().properties.first { $0.name == "G" })
        #expect(g.trace == explicit.trace)
        #expect(g.trace?.steps.count == 52)
        #expect(g.trace?.loopStart == 50)
        // Decided by the checked graph lasso: one Z3 check, no lasso BMC query about it.
        #expect(run.queries.entries.contains { $0.method == "lasso check" && $0.property == "G" })
        #expect(!run.queries.entries.contains { $0.method == "lasso bmc" && $0.property == "G" })
        #expect(run.result.statistics.methods.contains("explicit-graph lasso"))
    }

    /// The encoding of `text`, its system and its first liveness property's explorer lasso (nil when it holds).
    static func encoded(_ text: String) throws -> (LivenessEncoding, TransitionSystem, Trace?) {
        let system = try Differential.system(text).get()
        let z3 = try Z3Context(memoryMegabytes: nil, interruption: nil)
        let liveness = try LivenessEncoding(encoding: try SystemEncoding(z3: z3, system: system))
        let index = try #require(liveness.properties.first?.index)
        return (liveness, system, ExplicitExplorer(system: system, file: "t.vmc").check().properties[index].trace)
    }

    static func check(_ liveness: LivenessEncoding, _ states: [[UInt64]], loopStart: Int) throws -> LassoCheck {
        try liveness.check(lasso: states, loopStart: loopStart, property: 0, memoryMegabytes: nil, timeoutMilliseconds: nil)
    }

    static func rejection(_ outcome: LassoCheck) -> String? {
        if case .rejected(let reason) = outcome { return reason }
        return nil
    }

    @Test func aWrongLassoIsRejected() throws {
        // `go` is fair and enabled on 0, `idle` loops there: Moves holds, and the loop on 0 that never takes `go`
        // is not a fair lasso.
        let (fairness, system, none) = try Self.encoded("""
            model fairness
            var x: 0..1 = 0
            fair action go when x == 0 { x := 1 }
            action idle when x == 0 { x := 0 }
            action rest when x == 1 { x := 1 }
            leadsto Moves: x == 0 ~> x == 1
            """)
        #expect(none == nil)
        let zero = try #require(system.initialStates.first)
        #expect(Self.rejection(try Self.check(fairness, [zero, zero], loopStart: 0)) == "the loop is not fair to go")

        let (response, _, lasso) = try Self.encoded("""
            model response
            var p: 0..2 = 0
            var served: bool = false
            fair action step { p := (p + 1) % 3 }
            action serve when p == 2 && false { served := true }
            leadsto Served: p == 1 ~> served
            """)
        let trace = try #require(lasso)
        let states = trace.steps.map(\.state)
        let loopStart = try #require(trace.loopStart)
        guard case .accepted = try Self.check(response, states, loopStart: loopStart) else {
            Issue.record("the explorer's lasso was not accepted")
            return
        }
        // A step that skips a state.
        var skipping = states
        skipping.remove(at: 2)
        #expect(Self.rejection(try Self.check(response, skipping, loopStart: loopStart))?.hasPrefix("step ") == true)
        // A loop that does not close.
        #expect(Self.rejection(try Self.check(response, Array(states.dropLast()), loopStart: loopStart)) == "the last state is not the loop's first")
        // A dead end claimed where the state has a successor.
        #expect(Self.rejection(try Self.check(response, Array(states.prefix(2)), loopStart: 1)) == "the last state has a successor")
        // Not starting in an initial state.
        #expect(Self.rejection(try Self.check(response, Array(states.dropFirst()), loopStart: loopStart - 1)) == "the first state is not an initial state")
        // The trigger never holds on a path that avoids the goal: the initial state alone, as a dead end.
        #expect(Self.rejection(try Self.check(response, [states[0]], loopStart: 0)) == "no trigger is followed by a path without the goal")
    }

    /// The explicit graph's ranking for liveness property `name` of `text`, with its encoding and the reachable states.
    static func ranking(_ text: String, _ name: String) throws -> (LivenessEncoding, Int, LivenessRanking, [[UInt64]]) {
        let system = try Differential.system(text).get()
        let z3 = try Z3Context(memoryMegabytes: nil, interruption: nil)
        let liveness = try LivenessEncoding(encoding: try SystemEncoding(z3: z3, system: system))
        let p = try #require(liveness.properties.firstIndex { system.properties[$0.index].info.name == name })
        let graph = ExplicitExplorer(system: system, file: "t.vmc").run().graph
        let ranking = try #require(graph.livenessRankings()[liveness.properties[p].index])
        return (liveness, p, ranking, (0..<graph.stateCount).map(graph.stateWords))
    }

    static func check(_ liveness: LivenessEncoding, _ p: Int, _ ranking: LivenessRanking, _ reachable: [[UInt64]]) throws -> LassoCheck {
        try liveness.check(ranking: ranking, reachable: reachable, property: p, memoryMegabytes: nil, timeoutMilliseconds: { nil })
    }

    @Test func aRankingProvesWhatHoldsAndAWrongOneIsRejected() throws {
        let text = """
            model methods
            var x: 0..2 = 0
            fair action inc when x < 2 { x := x + 1 }
            action stay when x < 2 { x := x }
            action back when x == 2 { x := 0 }
            eventually Two: x == 2
            leadsto Back: x == 2 ~> x == 0
            """
        let (liveness, two, ranking, reachable) = try Self.ranking(text, "Two")
        // x = 0 and x = 1, each with `stay` looping on it and `inc` (fair, enabled, never taken on the loop) helpful.
        #expect(ranking.states.count == 2)
        #expect(Self.rejection(try Self.check(liveness, two, ranking, reachable)) == nil)
        guard case .accepted = try Self.check(liveness, two, ranking, reachable) else {
            Issue.record("the explorer's ranking was not accepted")
            return
        }
        // Without helpful actions, `stay` keeps the rank on its loop: rejected.
        let unhelpful = LivenessRanking(states: ranking.states, ranks: ranking.ranks, helpful: ranking.helpful.map { _ in nil })
        #expect(Self.rejection(try Self.check(liveness, two, unhelpful, reachable)) == "a step from the region does not keep to the ranking")
        // `back` as the helpful action: every step keeps to the ranking (`stay` is not `back`), but `back` is not
        // fair (nor enabled there).
        let back = try #require(liveness.system.actions.firstIndex { $0.name == "back" })
        let unfair = LivenessRanking(states: ranking.states, ranks: ranking.ranks, helpful: ranking.helpful.map { $0.map { _ in back } })
        #expect(Self.rejection(try Self.check(liveness, two, unfair, reachable))
                == "a region state is a dead end, or its helpful action is not fair or has no successor there")
        // A region without the initial state.
        let partial = LivenessRanking(states: Array(ranking.states.dropFirst()), ranks: Array(ranking.ranks.dropFirst()),
                                      helpful: Array(ranking.helpful.dropFirst()))
        let missing = try Self.check(liveness, two, partial, reachable)
        #expect(Self.rejection(missing) == "the region misses an initial state" || Self.rejection(missing) == "a step from the region does not keep to the ranking")

        // leadsto: the reachable set must be closed, and the region must hold every reachable trigger state.
        let (leads, backIndex, backRanking, all) = try Self.ranking(text, "Back")
        guard case .accepted = try Self.check(leads, backIndex, backRanking, all) else {
            Issue.record("the explorer's leadsto ranking was not accepted")
            return
        }
        #expect(Self.rejection(try Self.check(leads, backIndex, backRanking, Array(all.dropLast()))) != nil)
    }

    /// A leadsto ranking checks the reachable set's closure once per run (`ClosedSets`): a second ranking over the
    /// same states skips those queries, while a set that differs by one state is checked (and rejected) again.
    @Test func theReachableSetsClosureIsCheckedOncePerRun() throws {
        let text = """
            model methods
            var x: 0..2 = 0
            fair action inc when x < 2 { x := x + 1 }
            action back when x == 2 { x := 0 }
            leadsto Back: x == 2 ~> x == 0
            leadsto Up: x == 0 ~> x == 2
            """
        let (liveness, back, backRanking, reachable) = try Self.ranking(text, "Back")
        let up = try #require(liveness.properties.firstIndex { liveness.system.properties[$0.index].info.name == "Up" })
        let (_, _, upRanking, _) = try Self.ranking(text, "Up")
        let closed = ClosedSets()
        var asked: [String] = []
        func check(_ p: Int, _ ranking: LivenessRanking, _ states: [[UInt64]]) throws -> LassoCheck {
            try liveness.check(ranking: ranking, reachable: states, property: p, memoryMegabytes: nil, closedSets: closed,
                               timeoutMilliseconds: { nil }, record: { what, _ in asked.append(what) })
        }
        #expect(Self.rejection(try check(back, backRanking, reachable)) == nil)
        #expect(asked.contains("closure"))
        #expect(closed.contains(reachable.reversed()))
        asked = []
        #expect(Self.rejection(try check(up, upRanking, reachable)) == nil)
        #expect(!asked.contains("closure") && !asked.contains("initial states"))
        asked = []
        #expect(Self.rejection(try check(up, upRanking, Array(reachable.dropLast()))) != nil)
        #expect(asked.contains("initial states") || asked.contains("closure"))
    }
}
