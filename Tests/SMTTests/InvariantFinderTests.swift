import Explorer
import PackedSystem
@testable import SMT
import Testing

/// The invariant finder (`--smt-method houdini`, and `auto` after shallow k-induction): the reachable set as a
/// checked certificate when the simulation saw every state, Houdini over template lemmas when it did not,
/// never a verdict the explorer does not share, and nothing proved when it runs out of time or candidates.
@Suite struct InvariantFinderTests {
    static func options(_ method: SMTMethod, limits: CandidateLimits = CandidateLimits(), seconds: Double? = 20) -> SMTOptions {
        var options = SMTOptions()
        options.method = method
        options.pdrQuerySeconds = 20
        options.houdiniSeconds = seconds
        options.candidateLimits = limits
        options.budget.timeoutSeconds = 300
        return options
    }

    static func run(_ text: String, _ options: SMTOptions) throws -> SMTRun {
        SMTEngine(system: try Differential.system(text).get(), options: options, file: "test.vmc").run()
    }

    static func property(_ run: SMTRun, _ name: String) -> PropertyResult? {
        run.result.properties.first { $0.name == name }
    }

    /// The 8-bit wide counter: k-induction leaves it unknown at the default depth (PDRTests); the finder proves
    /// it, from the whole reachable set (201 states) when the sample is complete.
    @Test func theReachableSetProvesTheWideCounter() throws {
        let run = try Self.run(PDRTests.wideCounter(bits: 8), Self.options(.houdini))
        let neverTop = try #require(Self.property(run, "NeverTop"))
        #expect(neverTop.verdict == .holds)
        #expect(neverTop.note == "proved by the reachable set as an invariant (201 states, closure checked by Z3)")
        #expect(Self.property(run, "bounds")?.verdict == .holds)
        #expect(Self.property(run, "deadlock")?.verdict == .holds)
        #expect(run.invariants.contains { $0.property == "NeverTop" })
        #expect(run.queries.entries.contains { $0.method == "houdini" && $0.property == "(check)" })
    }

    /// With a sample too small to be the whole state space (50 states breadth-first, no walks), Houdini over
    /// the templates finds `x != 201 && ... && x != 255`: it drops `x != 50` ... `x != 200` one round each.
    @Test func houdiniProvesTheWideCounterFromAPartialSample() throws {
        var limits = CandidateLimits()
        limits.breadthStates = 50
        limits.walks = 0
        let run = try Self.run(PDRTests.wideCounter(bits: 8), Self.options(.houdini, limits: limits))
        let neverTop = try #require(Self.property(run, "NeverTop"))
        #expect(neverTop.verdict == .holds)
        #expect(neverTop.note == "proved by Houdini (58 lemmas, inductive invariant checked)")
        let invariant = try #require(run.invariants.first { $0.property == "NeverTop" }?.invariant)
        #expect(invariant.contains("x"))
        let consecution = run.queries.entries.first { $0.method == "houdini" && $0.property == "(consecution)" }
        #expect((consecution?.queries ?? 0) > 100)
    }

    /// `auto` proves the wide counter with the finder, before PDR is asked.
    @Test func autoUsesTheFinderBeforePDR() throws {
        let run = try Self.run(PDRTests.wideCounter(bits: 8), Self.options(.auto))
        #expect(Self.property(run, "NeverTop")?.verdict == .holds)
        #expect(!run.queries.entries.contains { $0.method == "pdr" })
        #expect(run.result.statistics.methods.contains("houdini"))
    }

    /// A time limit that runs out before the finder has an answer proves nothing: the property stays unknown
    /// (BMC proves nothing, and the method houdini has no other prover).
    @Test func aSpentTimeLimitProvesNothing() throws {
        let run = try Self.run(PDRTests.wideCounter(bits: 8), Self.options(.houdini, seconds: 0.000_001))
        #expect(Self.property(run, "NeverTop")?.verdict == .unknown)
        #expect(run.invariants.isEmpty)
    }

    /// No candidate at all (a partial sample that saw every value of the only cell, and no property left to
    /// prove): the finder reports `empty`.
    @Test func noCandidatesIsEmpty() throws {
        let system = try Differential.system("""
            model flip
            var b: bool = false
            action flip { b := !b }
            """).get()
        var limits = CandidateLimits()
        limits.breadthStates = 1
        let candidates = InvariantCandidates(system: system, limits: limits, stop: { false })
        #expect(!candidates.exhaustive)
        #expect(candidates.lemmas.isEmpty)
        let z3 = try Z3Context(memoryMegabytes: nil)
        let encoding = try SystemEncoding(z3: z3, system: system)
        let outcome = try InvariantFinder(encoding: encoding, memoryMegabytes: nil)
            .find(candidates: candidates, goods: [:], holding: [], remaining: { nil }, record: { _, _ in })
        guard case .empty = outcome else {
            Issue.record("expected no invariant, got \(outcome)")
            return
        }
    }

    /// On a model with a deep violation (30 steps, past BMC's depth 5 here) and a property that holds, every
    /// verdict both engines reach is the same: under the complete sample the layered certificate decides the
    /// violation with the explorer's trace (the differential comparison checks its length), under a partial
    /// one the finder proves nothing about it.
    @Test(arguments: [100_000, 20]) func verdictsAgreeWithTheExplorer(breadthStates: Int) throws {
        let text = """
            model deep
            var n: 0..40 = 0
            var m: 0..40 = 0
            action step when n < 40 { n := n + 1  m := if n % 2 == 0 then m + 1 else m }
            action skip when n < 40 && m > 3 { n := n + 2 }
            invariant Fails: n < 30
            invariant Holds: m <= 20
            reachable Never: m == 25
            """
        var limits = CandidateLimits()
        limits.breadthStates = breadthStates
        limits.walks = 4
        var options = Self.options(.houdini, limits: limits)
        options.maxDepth = 5
        let comparison = Differential.compare(try Differential.system(text).get(), smtOptions: options)
        #expect(comparison.mismatches.isEmpty, "\(comparison.mismatches)")
        let smt = try #require(comparison.smt)
        let explicit = try #require(comparison.explicit)
        #expect(smt.properties.first { $0.name == "Fails" }?.verdict == (breadthStates > 1000 ? .violated : .unknown))
        if breadthStates > 1000 {
            #expect(smt.properties.first { $0.name == "Fails" }?.trace == explicit.properties.first { $0.name == "Fails" }?.trace)
            #expect(smt.properties.first { $0.name == "Holds" }?.verdict == .holds)
            #expect(smt.properties.first { $0.name == "Never" }?.verdict == .unreachable)
        }
    }

    /// The method on the generated models: every verdict both engines decide agrees (the finder's proofs are
    /// also cross-checked under `auto` by GeneratedModelTests and ModelLibraryTests).
    @Test func agreesWithTheExplorerOnGeneratedModels() {
        var options = Self.options(.houdini)
        options.maxDepth = 8
        var explorerOptions = ExplorerOptions()
        explorerOptions.budget.maxStates = 200_000
        var proved = 0
        for seed in stride(from: 0, to: GeneratedModelTests.modelCount, by: 4) {
            guard case .success(let system) = Differential.system(GeneratedModelTests.source(seed)) else { continue }
            let comparison = Differential.compare(system, smtOptions: options, explorerOptions: explorerOptions)
            #expect(comparison.mismatches.isEmpty, "seed \(seed): \(comparison.mismatches)")
            proved += comparison.smt?.properties.filter { $0.note?.hasPrefix("proved by") == true }.count ?? 0
        }
        #expect(proved > 0)
    }
}
