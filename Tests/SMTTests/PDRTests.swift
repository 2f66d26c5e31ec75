import Explorer
import PackedSystem
@testable import SMT
import Testing

/// IC3/PDR through Spacer (pinned: the default engine is the own IC3, tested in IC3Tests): unbounded proofs that k-induction cannot give, checked invariants, and
/// counterexamples rebuilt by BMC as the explorer's shortest traces.
@Suite struct PDRTests {
    /// The counter from issue 15: it climbs from 0 to 200 and wraps; 255 is unreachable, but every state from
    /// 201 to 254 leads to it, so k-induction needs k > 50 and the default depth leaves it unknown.
    static func wideCounter(bits: Int) -> String {
        let top = (1 << bits) - 1
        return """
            model wide\(bits)
            var x: 0..\(top) = 0
            action climb when x != 200 { x := x + 1 }
            action wrap when x == 200 { x := 0 }
            invariant NeverTop: x != \(top)
            """
    }

    static func run(_ text: String, method: SMTMethod, depth: Int = 40) throws -> SMTRun {
        let system = try Differential.system(text).get()
        var options = SMTOptions()
        options.method = method
        options.maxDepth = depth
        options.pdrQuerySeconds = nil
        options.pdrEngine = .spacer
        options.budget.timeoutSeconds = 600
        return SMTEngine(system: system, options: options, file: "test.vmc").run()
    }

    static func verdict(_ result: CheckResult, _ name: String) -> Verdict? {
        result.properties.first { $0.name == name }?.verdict
    }

    @Test func kInductionLeavesTheWideCounterUnknown() throws {
        let details = try Self.run(Self.wideCounter(bits: 8), method: .kind)
        #expect(Self.verdict(details.result, "NeverTop") == .unknown)
    }

    @Test(arguments: [8]) func pdrProvesTheWideCounter(bits: Int) throws {
        let text = Self.wideCounter(bits: bits)
        let details = try Self.run(text, method: .pdr)
        #expect(Self.verdict(details.result, "NeverTop") == .holds)
        #expect(Self.verdict(details.result, "bounds") == .holds)
        #expect(Self.verdict(details.result, "deadlock") == .holds)
        #expect(details.result.properties.first { $0.name == "NeverTop" }?.note == "proved by PDR (inductive invariant checked)")
        #expect(details.invariants.contains { $0.property == "NeverTop" && !$0.invariant.isEmpty })
        // The explorer agrees.
        let explicit = ExplicitExplorer(system: try Differential.system(text).get(), options: ExplorerOptions(), file: "test.vmc").check()
        #expect(Self.verdict(explicit, "NeverTop") == .holds)
    }

    /// Under `auto` the invariant finder, which runs before PDR, proves the counter (InvariantFinderTests);
    /// with the finder switched off, PDR does.
    @Test func autoProvesTheWideCounter() throws {
        let system = try Differential.system(Self.wideCounter(bits: 8)).get()
        var options = SMTOptions()
        options.pdrQuerySeconds = nil
        options.pdrEngine = .spacer
        options.houdiniSeconds = 0
        options.budget.timeoutSeconds = 600
        let details = SMTEngine(system: system, options: options, file: "test.vmc").run()
        #expect(Self.verdict(details.result, "NeverTop") == .holds)
        #expect(!details.queries.entries.filter { $0.method == "pdr" }.isEmpty)
    }

    /// A violation deeper than the depth bound: PDR (either engine) finds that it exists, BMC rebuilds the
    /// explorer's shortest trace past the bound.
    @Test(arguments: PDREngine.allCases) func pdrCounterexamplesAreRebuiltAsShortestTraces(engine: PDREngine) throws {
        let text = """
            model deep
            var n: 0..40 = 0
            var m: 0..40 = 0
            action step when n < 40 { n := n + 1  m := if n % 2 == 0 then m + 1 else m }
            action skip when n < 40 && m > 3 { n := n + 2 }
            invariant Fails: n < 30
            invariant Holds: m <= 20
            """
        let system = try Differential.system(text).get()
        var options = IC3Tests.options(engine)
        options.maxDepth = 5
        let comparison = Differential.compare(system, smtOptions: options)
        #expect(comparison.mismatches.isEmpty, "\(comparison.mismatches)")
        let smt = try #require(comparison.smt)
        let explicit = try #require(comparison.explicit)
        #expect(Self.verdict(smt, "Fails") == .violated)
        #expect(Self.verdict(smt, "Holds") == .holds)
        let smtTrace = try #require(smt.properties.first { $0.name == "Fails" }?.trace)
        let explicitTrace = try #require(explicit.properties.first { $0.name == "Fails" }?.trace)
        #expect(smtTrace.length == explicitTrace.length)
        #expect(smtTrace.length > 5)
    }

    @Test func bmcAloneProvesNothing() throws {
        let details = try Self.run(Self.wideCounter(bits: 8), method: .bmc, depth: 5)
        #expect(Self.verdict(details.result, "NeverTop") == .unknown)
        #expect(details.queries.entries.allSatisfy { $0.method == "bmc" || $0.method == "encoding" })
    }

    /// Under `auto` with the certificate not expected to fit (so k-induction and BMC go first, see
    /// AutoOrderTests; where it fits, the certificate decides all three properties and nothing else is asked).
    @Test func statisticsCountEveryMethod() throws {
        var options = SMTOptions()
        options.maxDepth = 6
        options.pdrQuerySeconds = nil
        options.pdrEngine = .spacer
        options.budget.timeoutSeconds = 600
        options.certificateSecondsPerState = 1000
        let details = SMTEngine(system: try Differential.system(Self.wideCounter(bits: 8)).get(), options: options, file: "test.vmc").run()
        let methods = Set(details.queries.entries.map(\.method))
        #expect(methods.isSuperset(of: ["bmc", "k-induction", "houdini", "encoding"]))
        #expect(details.queries.entries.contains { $0.method == "encoding" && $0.property == "(transition relation)" })
        #expect(details.queries.entries.allSatisfy { $0.queries > 0 && $0.seconds >= 0 })
    }
}
