import Explorer
import PackedSystem
@testable import SMT
import Testing

/// `auto`'s order (`SymbolicRun.checkSafety`): when the simulation saw every state and the reachable set's
/// certificate is expected to fit in the time left, it goes first and decides holds and violations before
/// k-induction and BMC are asked; when it is not expected to fit, k-induction to depth 4 goes first, as before.
/// The order shows in the verdict notes and in the per-method query statistics.
@Suite struct AutoOrderTests {
    /// Six reachable states: `BelowSix` is 0-inductive (k-induction proves it at once), `NotTwo` is violated in
    /// two steps (BMC finds it at depth 2), and `x == 5` is a deadlock five steps deep.
    static let model = """
        model order
        var x: 0..7 = 0
        action step when x < 5 { x := x + 1 }
        invariant BelowSix: x <= 5
        invariant NotTwo: x != 2
        """

    static func run(secondsPerState: Double) throws -> SMTRun {
        var options = SMTOptions()
        options.budget.timeoutSeconds = 300
        options.certificateSecondsPerState = secondsPerState
        return SMTEngine(system: try Differential.system(model).get(), options: options, file: "test.vmc").run()
    }

    static func property(_ run: SMTRun, _ name: String) -> PropertyResult? {
        run.result.properties.first { $0.name == name }
    }

    static func asked(_ run: SMTRun, _ method: String) -> Bool {
        run.queries.entries.contains { $0.method == method && $0.queries > 0 }
    }

    /// The certificate fits: every safety verdict comes from it, k-induction and BMC are never asked, and the
    /// violations carry the explorer's traces.
    @Test func theCertificateGoesFirstWhenItFits() throws {
        let run = try Self.run(secondsPerState: SMTOptions().certificateSecondsPerState)
        let belowSix = try #require(Self.property(run, "BelowSix"))
        #expect(belowSix.verdict == .holds)
        #expect(belowSix.note == "proved by the reachable set as an invariant (6 states, closure checked by Z3)")
        let notTwo = try #require(Self.property(run, "NotTwo"))
        #expect(notTwo.verdict == .violated)
        #expect(notTwo.trace?.length == 2)
        #expect(Self.property(run, "deadlock")?.verdict == .violated)
        #expect(Self.property(run, "deadlock")?.trace?.length == 5)
        #expect(Self.asked(run, "houdini"))
        #expect(!Self.asked(run, "k-induction"), "\(run.queries.entries)")
        #expect(!Self.asked(run, "bmc"), "\(run.queries.entries)")

        let explicit = ExplicitExplorer(system: try Differential.system(Self.model).get(), options: ExplorerOptions(), file: "test.vmc").check()
        for property in explicit.properties {
            let smt = try #require(Self.property(run, property.name))
            #expect(smt.verdict == property.verdict, "\(property.name)")
            #expect(smt.trace?.steps.map(\.state) == property.trace?.steps.map(\.state), "\(property.name)")
        }
    }

    /// The certificate is not expected to fit (an estimate of 1,000 s per state against a 300 s limit):
    /// k-induction and BMC to depth 4 go first, as before the certificate could go first, and decide what they
    /// can; the certificate then gets the rest with at most half of the time left.
    @Test func kInductionGoesFirstWhenTheCertificateDoesNotFit() throws {
        let run = try Self.run(secondsPerState: 1000)
        #expect(Self.property(run, "BelowSix")?.note == "proved by 0-induction")
        let notTwo = try #require(Self.property(run, "NotTwo"))
        #expect(notTwo.verdict == .violated)
        #expect(notTwo.trace?.length == 2)
        #expect(Self.asked(run, "k-induction"))
        #expect(Self.asked(run, "bmc"))
        // The deadlock, five steps deep, is past k-induction's depth 4: the certificate decides it.
        #expect(Self.property(run, "deadlock")?.verdict == .violated)
        #expect(Self.property(run, "deadlock")?.trace?.length == 5)
    }
}
