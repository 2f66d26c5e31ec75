import Explorer
import PackedSystem
@testable import SMT
import Testing

/// The own IC3 (`--pdr-engine ic3`): the wide counters Spacer cannot prove at 16 bits, counterexamples rebuilt by
/// BMC as the explorer's shortest traces, agreement with the explorer and with Spacer on generated models, and
/// its invariant going through the same independent check as Spacer's (a wrong one is rejected).
@Suite struct IC3Tests {
    static func options(_ engine: PDREngine) -> SMTOptions {
        var options = SMTOptions()
        options.method = .pdr
        options.pdrEngine = engine
        options.pdrQuerySeconds = nil
        options.budget.timeoutSeconds = 600
        return options
    }

    static func verdict(_ result: CheckResult, _ name: String) -> Verdict? {
        result.properties.first { $0.name == name }?.verdict
    }

    @Test(arguments: [8, 16]) func ic3ProvesTheWideCounter(bits: Int) throws {
        let system = try Differential.system(PDRTests.wideCounter(bits: bits)).get()
        let details = SMTEngine(system: system, options: Self.options(.ic3), file: "test.vmc").run()
        for name in ["NeverTop", "bounds", "deadlock"] {
            #expect(Self.verdict(details.result, name) == .holds, "\(name)")
        }
        #expect(details.result.properties.first { $0.name == "NeverTop" }?.note == "proved by PDR (inductive invariant checked)")
        #expect(details.invariants.contains { $0.property == "NeverTop" && !$0.invariant.isEmpty })
        let explicit = ExplicitExplorer(system: system, options: ExplorerOptions(), file: "test.vmc").check()
        #expect(Self.verdict(explicit, "NeverTop") == .holds)
    }

    /// Small violated models of each kind of safety property: an assertion, a deadlock, a reachable goal, an
    /// invariant 31 steps deep; every verdict and trace length as the explorer's. (A `bounds` violation PDR finds
    /// deeper than `--smt-depth` is not rebuilt past it: the stricter notion PDR decides may be violated where
    /// the explorer's is not, docs/smt.md.)
    @Test(arguments: [
        """
        model assertion
        var a: 0..9 = 0
        var b: bool = false
        action up when a < 9 { a := a + 1 }
        action flip when a == 7 { assert Never: !b : "flipped twice"  b := true }
        action again when b { b := false  a := 6 }
        """,
        """
        model stuck
        var a: 0..5 = 0
        action up when a < 4 { a := a + 1 }
        action down when a > 0 && a < 3 { a := a - 1 }
        """,
        """
        model goal
        var a: 0..20 = 3
        var b: 0..20 = 0
        action up when a < 20 { a := a + 1 }
        action move when a > b { b := b + 2 }
        reachable Met: a == 17 && b == 14
        """,
        """
        model carry
        var a: 0..12 = 0
        var b: 0..3 = 0
        action up when a < 12 { a := a + 1 }
        action carry when a == 12 && b < 3 { a := 0  b := b + 1 }
        invariant NotBoth: !(b == 2 && a == 5)
        """,
    ]) func ic3FindsCounterexamples(text: String) throws {
        var options = Self.options(.ic3)
        options.maxDepth = 3
        let comparison = Differential.compare(try Differential.system(text).get(), smtOptions: options)
        #expect(comparison.mismatches.isEmpty, "\(comparison.mismatches)")
        let smt = try #require(comparison.smt)
        #expect(smt.properties.contains { $0.verdict == .violated || $0.verdict == .reachable }, "\(smt.properties.map { ($0.name, $0.verdict) })")
        #expect(comparison.tracesCompared > 0)
    }

    /// A seeded subset of the generated models of `GeneratedModelTests`: every verdict the own IC3's run decides is
    /// the explorer's (traces of the same length) and Spacer's.
    @Test(arguments: 0..<2) func ic3AgreesWithTheExplorerAndSpacerOnGeneratedModels(part: Int) {
        var decided = 0
        var compared = 0
        for seed in stride(from: part, to: 48, by: 2) {
            guard case .success(let system) = Differential.system(GeneratedModelTests.source(seed)) else { continue }
            var options = Self.options(.ic3)
            options.maxDepth = 12
            options.pdrQuerySeconds = 5
            options.budget.timeoutSeconds = 20
            var explorer = ExplorerOptions()
            explorer.budget.maxStates = 200_000
            let comparison = Differential.compare(system, smtOptions: options, explorerOptions: explorer)
            decided += comparison.bothDecided
            #expect(comparison.mismatches.isEmpty, "seed \(seed): \(comparison.mismatches)")
            options.pdrEngine = .spacer
            let spacer = SMTEngine(system: system, options: options, file: "test.vmc").check()
            for (own, theirs) in zip(comparison.smt?.properties ?? [], spacer.properties)
            where own.verdict != .unknown && theirs.verdict != .unknown {
                compared += 1
                #expect(own.verdict == theirs.verdict, "seed \(seed) \(own.name): ic3 \(own.verdict), spacer \(theirs.verdict)")
            }
        }
        #expect(decided > 0)
        #expect(compared > 0)
    }

    /// A counter that stops at 200: the bad cube `x >= 201` is inductive on its own and is kept beside its
    /// widening (`IC3.keepInductive`), so IC3 stops within a few levels (6 levels and 124 queries when this
    /// test was written: each bad state it meets, 201 to 255, gives a bound of its own). Before, it widened the
    /// cube to `x >= level + 1` at every level and learned `x <= 1`, `x <= 2`, ... one level at a time (8.5 s,
    /// release build).
    @Test func anInductiveBoundIsKeptBesideItsWidening() throws {
        let text = """
            model climb
            var x: 0..255 = 0
            action inc when x < 200 { x := x + 1 }
            invariant Bounded: x <= 200
            """
        let system = try Differential.system(text).get()
        let z3 = try Z3Context(memoryMegabytes: nil)
        let encoding = try SystemEncoding(z3: z3, system: system)
        let index = try #require(system.properties.firstIndex { $0.info.name == "Bounded" })
        let bad = try z3.not(try #require(encoding.predicateValue[index]))
        let ic3 = try IC3(encoding: encoding, bad: bad, memoryMegabytes: nil, timeoutMilliseconds: nil)
        guard case .proved(let cubes) = try ic3.run() else {
            Issue.record("IC3 did not prove the climbing counter")
            return
        }
        #expect(cubes.contains([IC3.Bound(cell: 0, lower: true, value: 201)]), "\(cubes)")
        #expect(ic3.top < 20, "levels: \(ic3.top)")
        #expect(ic3.queries < 1_000, "queries: \(ic3.queries)")
    }

    /// The invariant the own IC3 returns goes through the independent one-step check: replaced by a wrong one
    /// (too weak to exclude the bad state, missing the initial state, or not closed), it is rejected, never a
    /// verdict.
    @Test func aTamperedInvariantIsRejected() throws {
        let text = """
            model small
            var x: 0..15 = 0
            action climb when x != 9 { x := x + 1 }
            action wrap when x == 9 { x := 0 }
            invariant NeverTop: x != 15
            """
        let system = try Differential.system(text).get()
        let z3 = try Z3Context(memoryMegabytes: nil)
        let encoding = try SystemEncoding(z3: z3, system: system)
        let index = try #require(system.properties.firstIndex { $0.info.name == "NeverTop" })
        let good = try #require(encoding.predicateValue[index])
        let bad = try z3.not(good)
        let x = try #require(encoding.pre.cells[0])
        let pdr = PropertyDirectedReachability(encoding: encoding, memoryMegabytes: nil, engine: .ic3)
        guard case .proved = try pdr.prove(bad: bad, timeoutMilliseconds: nil, check: { nil }) else {
            Issue.record("the untouched invariant was not accepted")
            return
        }
        let wrong: [(String, (Term) throws -> Term)] = [
            ("does not exclude the bad states", { _ in try z3.trueTerm }),
            ("does not contain every initial state", { try z3.and($0, try z3.not(try z3.eq(x, try z3.number(0, width: 4)))) }),
            ("is not closed under the transition relation", { _ in good }),
        ]
        for (failure, tamper) in wrong {
            pdr.tamper = tamper
            guard case .rejected(let reason) = try pdr.prove(bad: bad, timeoutMilliseconds: nil, check: { nil }) else {
                Issue.record("a tampered invariant (\(failure)) was not rejected")
                continue
            }
            #expect(reason == "IC3's invariant \(failure)")
        }
    }
}
