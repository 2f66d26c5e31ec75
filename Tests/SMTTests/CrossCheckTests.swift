import Checking
import Explorer
import ModelLanguage
import PackedSystem
import SMT
import Testing

/// The facade's engine selection and the cross-engine policy of `--engine both`.
@Suite struct CrossCheckTests {
    /// The same small counter the engine-contract tests run.
    static let counter = EngineContractTests.counter

    @Test func bothEnginesAgreeAndAreMarkedBoth() throws {
        let system = try Differential.system(Self.counter).get()
        let checked = SystemChecking.check(system, file: "counter.vmc", engines: .both, explorer: ExplorerOptions(),
                                           smt: { SMTOptions() })
        #expect(checked.result.engine == .both)
        #expect(!checked.result.disagreement)
        #expect(checked.smt != nil)
        #expect(checked.result.properties.allSatisfy { $0.engine == .both })
    }

    @Test func oneEngineAloneKeepsItsOwnIdentifier() throws {
        let system = try Differential.system(Self.counter).get()
        let explicit = SystemChecking.check(system, file: "counter.vmc", engines: .explicit, explorer: ExplorerOptions(),
                                            smt: { SMTOptions() })
        #expect(explicit.result.engine == .explicit && explicit.smt == nil)
        let smt = SystemChecking.check(system, file: "counter.vmc", engines: .smt, explorer: ExplorerOptions(),
                                       smt: { SMTOptions() })
        #expect(smt.result.engine == .smt && smt.smt != nil)
    }

    @Test func differentVerdictsAreADisagreement() throws {
        let system = try Differential.system(Self.counter).get()
        let explicit = ExplicitExplorer(system: system, file: "counter.vmc").check()
        var smt = SMTEngine(system: system, file: "counter.vmc").check()
        let index = try #require(smt.properties.firstIndex { $0.name == "Top" })
        smt.properties[index].verdict = .unreachable
        let merged = CrossCheck.merge(explicit: explicit, smt: smt)
        #expect(merged.disagreement)
        #expect(merged.properties[index].note == "ENGINES DISAGREE: explicit says reachable, smt says unreachable")
        var undecided = explicit
        undecided.properties[index].verdict = .unknown
        let filled = CrossCheck.merge(explicit: undecided, smt: smt)
        #expect(filled.properties[index].verdict == .unreachable && filled.properties[index].engine == .smt)
    }
}
