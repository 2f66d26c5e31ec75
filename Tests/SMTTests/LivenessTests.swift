import Explorer
import PackedSystem
import Reports
@testable import SMT
import Testing

/// Liveness in the SMT engine: verdicts against the explorer's, the shapes of the lassos (shortest, dead end or
/// fair loop, the trigger inside the loop), the methods, and a lasso exported as ITF with `loop`.
@Suite struct SMTLivenessTests {
    static func property(_ result: CheckResult?, _ name: String) throws -> PropertyResult {
        try #require(result?.properties.first { $0.name == name })
    }

    @Test func weakFairnessDecidesBetweenHoldsAndViolated() throws {
        // `go` leaves 0; `idle` loops on 0. Unfair `go`: the loop on 0 avoids 1 forever (a one-step lasso).
        // Fair `go`: it stays enabled on that loop, so the loop is not fair and Moves holds.
        for fair in [false, true] {
            let (_, smt) = try SemanticsTests.agree("""
                model fairness
                var x: 0..1 = 0
                \(fair ? "fair " : "")action go when x == 0 { x := 1 }
                action idle when x == 0 { x := 0 }
                action rest when x == 1 { x := 1 }
                eventually Moves: x == 1
                """)
            let moves = try Self.property(smt, "Moves")
            #expect(moves.verdict == (fair ? .holds : .violated))
            if fair {
                // Under `auto` the explicit graph's ranking proves it (the region is the state x == 0, its helpful
                // action `go`); under `pdr`, liveness-to-safety.
                #expect(moves.note == "proved by a ranking from the explicit graph (1 region state, checked by Z3)")
                let system = try Differential.system("""
                    model fairness
                    var x: 0..1 = 0
                    fair action go when x == 0 { x := 1 }
                    action idle when x == 0 { x := 0 }
                    action rest when x == 1 { x := 1 }
                    eventually Moves: x == 1
                    """).get()
                var options = SMTOptions()
                options.method = .pdr
                let pdr = try Self.property(SMTEngine(system: system, options: options, file: "t.vmc").check(), "Moves")
                #expect(pdr.verdict == .holds)
                #expect(pdr.note == "proved by liveness-to-safety under PDR (inductive invariant checked)")
            } else {
                let trace = try #require(moves.trace)
                #expect(trace.steps.count == 2)
                #expect(trace.loopStart == 0)
                #expect(trace.steps[1].action == "idle")
            }
        }
    }

    @Test func deadEndIsALassoThatStaysInItsLastState() throws {
        let (_, smt) = try SemanticsTests.agree("""
            model dead
            var x: 0..3 = 0
            fair action inc when x < 2 { x := x + 1 }
            eventually Three: x == 3
            terminal x == 2
            """)
        let three = try Self.property(smt, "Three")
        #expect(three.verdict == .violated)
        let trace = try #require(three.trace)
        #expect(trace.steps.count == 3)
        #expect(trace.loopStart == 2)
        #expect(three.note == "the execution ends in a state with no successor and stays there forever")
    }

    @Test func leadstoWithTheTriggerInsideTheLoop() throws {
        // The shortest violation loops 0 -> 1 -> 2 -> 0 after the request at 1; `served` is never set. Lasso BMC
        // (`bmc`) finds that one; `auto` reports the explicit graph's lasso, the explorer's: the stem to the
        // first trigger state, then a loop through it.
        let system = try Differential.system("""
            model response
            var p: 0..2 = 0
            var served: bool = false
            fair action step { p := (p + 1) % 3 }
            action serve when p == 2 && false { served := true }
            leadsto Served: p == 1 ~> served
            """).get()
        var options = SMTOptions()
        options.method = .bmc
        let comparison = Differential.compare(system, smtOptions: options)
        #expect(comparison.mismatches.isEmpty, "\(comparison.mismatches)")
        let served = try Self.property(comparison.smt, "Served")
        #expect(served.verdict == .violated)
        let trace = try #require(served.trace)
        #expect(trace.steps.count == 4)
        #expect(trace.loopStart == 0)
        #expect(trace.steps[3].state == trace.steps[0].state)
        let auto = try Self.property(SMTEngine(system: system, file: "test.vmc").check(), "Served")
        let explicit = try Self.property(comparison.explicit, "Served")
        #expect(auto.trace == explicit.trace)
        #expect(auto.trace?.steps.count == 5)
        #expect(auto.trace?.loopStart == 1)
    }

    @Test func fairLoopLabelsTheFairActionItTakes() throws {
        // Both `a` and `b` move x from 0 to 1; `a` is fair and always enabled, so the lasso must show it taken.
        let (_, smt) = try SemanticsTests.agree("""
            model labels
            var x: 0..1 = 0
            var y: bool = false
            action b { x := 1 - x }
            fair action a { x := 1 - x }
            eventually Y: y
            """)
        let trace = try #require(try Self.property(smt, "Y").trace)
        #expect(trace.loopStart == 0)
        #expect(trace.steps.count == 3)
        #expect(trace.steps.dropFirst().contains { $0.action == "a" })
    }

    @Test func methodsWithoutLivenessProofsLeaveHoldingPropertiesUnknown() throws {
        let system = try Differential.system("""
            model methods
            var x: 0..2 = 0
            fair action inc when x < 2 { x := x + 1 }
            action back when x == 2 { x := 0 }
            eventually Two: x == 2
            leadsto Back: x == 2 ~> x == 0
            """).get()
        for method in SMTMethod.allCases {
            var options = SMTOptions()
            options.method = method
            options.maxDepth = 6
            let result = SMTEngine(system: system, options: options, file: "methods.vmc").check()
            let two = try Self.property(result, "Two")
            let back = try Self.property(result, "Back")
            // `back` is not fair, but it is 2's only way out and only dead ends stutter, so both hold.
            if method == .bmc || method == .kind || method == .houdini {
                #expect(two.verdict == .unknown)
                #expect(two.note?.contains("no fair lasso within 6 steps") == true)
                #expect(back.verdict == .unknown)
            } else {
                #expect(two.verdict == .holds)
                #expect(back.verdict == .holds)
            }
        }
    }

    @Test func lassoIsExportedAsITFWithLoop() throws {
        let system = try Differential.system("""
            model export
            var x: 0..3 = 0
            var b: bool = false
            fair action inc when x < 3 { x := x + 1 }
            action toggle { b := !b }
            leadsto Reset: x == 3 ~> x == 0
            """).get()
        let result = SMTEngine(system: system, file: "export.vmc").check()
        let index = try #require(result.properties.firstIndex { $0.name == "Reset" })
        let property = result.properties[index]
        #expect(property.verdict == .violated)
        let trace = try #require(property.trace)
        let loopStart = try #require(trace.loopStart)
        // x climbs to 3 in three steps; the loop toggles b twice.
        #expect(loopStart == 3)
        #expect(trace.steps.count == 6)
        // The explorer's lasso has the same shape, and ITF renders both the same way: the repeated state dropped,
        // `loop` the index the last state steps back to.
        guard case .object(let members) = ITFRenderer.document(trace: trace, property: property, result: result, layout: system.layout) else {
            Issue.record("the ITF document is not an object")
            return
        }
        #expect(members.first { $0.0 == "loop" }?.1 == .int(loopStart))
        guard case .array(let states)? = members.first(where: { $0.0 == "states" })?.1 else {
            Issue.record("the ITF document has no states")
            return
        }
        #expect(states.count == trace.steps.count - 1)
        let explicit = ExplicitExplorer(system: system, file: "export.vmc").check()
        #expect(explicit.properties[index].verdict == .violated)
        #expect(explicit.properties[index].trace?.loopStart != nil)
    }
}

/// Liveness on the generated models: each gets `eventually` and `leadsto` properties made from its own goal and
/// invariant predicates (the generator adds liveness to few models, and changing its odds would change every
/// seed's model), and both engines must agree on every liveness verdict both decide.
@Suite struct GeneratedLivenessTests {
    /// The generated model `seed` with two more properties: `eventually` its first goal, and its first invariant
    /// leads to its first goal.
    static func source(_ seed: Int) -> String? {
        let text = GeneratedModelTests.source(seed)
        func predicate(_ prefix: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        }
        guard let goal = predicate("reachable Goal0: "), let invariant = predicate("invariant Inv0: ") else { return nil }
        return text + "eventually DerivedLive: \(goal)\nleadsto DerivedResponse: \(invariant) ~> \(goal)\n"
    }

    @Test(arguments: 0..<2) func enginesAgreeOnDerivedLiveness(part: Int) {
        var options = SMTOptions()
        options.maxDepth = 12
        options.budget.timeoutSeconds = 20
        var explorerOptions = ExplorerOptions()
        explorerOptions.budget.maxStates = 200_000
        var compared = 0
        var lassos = 0
        var identical = 0
        var explicitDecided = 0
        var models = 0
        for seed in stride(from: part, to: GeneratedModelTests.modelCount / 2, by: 2) {
            guard let text = Self.source(seed), case .success(let system) = Differential.system(text) else { continue }
            models += 1
            let comparison = Differential.compare(system, smtOptions: options, explorerOptions: explorerOptions)
            compared += comparison.livenessCompared
            lassos += comparison.lassosChecked
            identical += comparison.lassosIdentical
            explicitDecided += system.properties.indices.filter { index in
                let kind = system.properties[index].info.kind
                return (kind == .eventually || kind == .leadsto) && comparison.explicit?.properties[index].verdict != .unknown
            }.count
            #expect(comparison.mismatches.isEmpty, "seed \(seed): \(comparison.mismatches)\n\(text)")
        }
        print("derived liveness, part \(part): \(models) models, \(compared) of \(explicitDecided) liveness verdicts compared, \(lassos) SMT lassos checked, \(identical) equal to the explorer's")
        #expect(models > 0)
        #expect(lassos > 0)
        // Every generated model's graph is complete within the explicit-lasso limit, so under `auto` every lasso
        // is the explicit graph's, checked by Z3: the explorer's own, step for step.
        #expect(identical == lassos)
        #expect(compared * 10 >= explicitDecided * 9, "smt decided \(compared) of \(explicitDecided) liveness properties")
    }
}
