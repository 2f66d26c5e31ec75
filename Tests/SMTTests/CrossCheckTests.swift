import Checking
import Explorer
import ModelLanguage
import Foundation
import PackedSystem
import Reports
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
        #expect(merged.properties[index].enginesDisagree && !filled.properties[index].enginesDisagree)
        #expect(merged.properties[index].engines?.explicit.verdict == .reachable)
        #expect(merged.properties[index].engines?.smt.verdict == .unreachable)
    }

    /// `bmc` proves nothing, so under `--engine both` the explorer's `holds` stands for `Small`: the merged
    /// property is the explorer's, and the SMT engine's own verdict and its reason are kept beside it, in the
    /// result, the JSON (`explicit`, `smt`) and the text (why the SMT engine left it open).
    @Test func theSMTEnginesReasonForAnOpenPropertyIsKept() throws {
        let system = try Differential.system(Self.counter).get()
        var options = SMTOptions()
        options.method = .bmc
        options.maxDepth = 8
        let checked = SystemChecking.check(system, file: "counter.vmc", engines: .both, explorer: ExplorerOptions(),
                                           smt: { options })
        let small = try #require(checked.result.properties.first { $0.name == "Small" })
        #expect(small.verdict == .holds && small.engine == .explicit && small.note == nil)
        let engines = try #require(small.engines)
        #expect(engines.explicit == EngineVerdict(verdict: .holds, note: nil))
        #expect(engines.smt.verdict == .unknown)
        let why = try #require(engines.smt.note)
        #expect(why.hasPrefix("no violation within 8 steps"), "\(why)")
        let top = try #require(checked.result.properties.first { $0.name == "Top" })
        #expect(top.engine == .both && top.engines?.smt.verdict == .reachable && top.engines?.explicit.verdict == .reachable)

        let text = JSONRenderer.model(checked.result).serialized()
        let model = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let properties = try #require(model["properties"] as? [[String: Any]])
        let json = try #require(properties.first { $0["name"] as? String == "Small" })
        #expect((json["explicit"] as? [String: Any])?["verdict"] as? String == "holds")
        #expect((json["explicit"] as? [String: Any])?["note"] == nil)
        #expect((json["smt"] as? [String: Any])?["verdict"] as? String == "unknown")
        #expect((json["smt"] as? [String: Any])?["note"] as? String == why)

        let rendered = TextRenderer().render(checked.result)
        #expect(rendered.contains("  Small, bounds: left open by the SMT engine: \(why)\n"), "\(rendered)")
        #expect(!rendered.contains("Top: left open"))
    }

    /// One engine alone: no `explicit`/`smt` members, no lines about another engine.
    @Test func oneEngineAloneHasNoCrossCheckRecord() throws {
        let system = try Differential.system(Self.counter).get()
        var options = SMTOptions()
        options.method = .bmc
        options.maxDepth = 8
        let smt = SystemChecking.check(system, file: "counter.vmc", engines: .smt, explorer: ExplorerOptions(), smt: { options })
        #expect(smt.result.properties.allSatisfy { $0.engines == nil })
        let text = JSONRenderer.model(smt.result).serialized(indent: nil)
        #expect(!text.contains("\"smt\":") && !text.contains("\"explicit\":{"))
        #expect(!TextRenderer().render(smt.result).contains("left open by"))
    }
}
