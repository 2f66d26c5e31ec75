import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// Checking a combination as a variant must equal checking the same model with the variants written as constants
/// and set with `--const`: the same states, transitions, depth, verdicts and traces.
@Suite struct VariantDifferentialTests {
    /// A model whose variants reach a type, an initial value, guards, an assertion and a liveness property.
    static let body = """
        var level: 0..(LIMIT + 1) = if EAGER then 1 else 0
        var open: bool = false
        var served: 0..3 = 0
        fair action raise when level < LIMIT { level := level + 1 }
        fair action toggle when !STRICT || level > 0 { open := !open }
        fair action serve when open && served < 3 {
          assert Capacity: served < LIMIT + 1 : "served past the limit"
          served := served + 1
        }
        invariant LevelBounded: level <= LIMIT
        reachable AllServed: served == 3
        eventually Raised: level == LIMIT
        leadsto OpenServes: open ~> served > 0 || !open
        terminal served == 3
        """

    static let variantModel = """
        model differential
        variant LIMIT: 1..3 in { 1, 3 }
        variant EAGER: bool
        variant STRICT: bool in { true, false }
        combination LIMIT = 1
        combination LIMIT = 3, EAGER = true
        \(body)
        """

    static let constantModel = """
        model differential
        const LIMIT = 1
        const EAGER = false
        const STRICT = true
        \(body)
        """

    struct Summary: Equatable {
        let states: Int
        let transitions: Int
        let depth: Int
        let verdicts: [String]
        let traces: [[String]]

        init(_ result: CheckResult) {
            states = result.statistics.states
            transitions = result.statistics.transitions
            depth = result.statistics.depth
            verdicts = result.properties.map { "\($0.name)=\($0.verdict.rawValue)" }
            traces = result.properties.map { property in
                guard let trace = property.trace else { return [] }
                return trace.steps.map { $0.label + " " + $0.values.joined(separator: ",") }
                    + [trace.loopStart.map { "loop \($0)" } ?? "", trace.failure.map { "\($0.label): \($0.message)" } ?? ""]
            }
        }
    }

    @Test func everyCombinationEqualsItsConstantTwin() throws {
        let matrix = try Frontend.matrix(SourceFile(name: "differential.vmc", text: Self.variantModel)).get()
        #expect(matrix.combinations.map(\.description) == [
            "LIMIT=1, EAGER=false, STRICT=true", "LIMIT=1, EAGER=false, STRICT=false",
            "LIMIT=1, EAGER=true, STRICT=true", "LIMIT=1, EAGER=true, STRICT=false",
            "LIMIT=3, EAGER=true, STRICT=true", "LIMIT=3, EAGER=true, STRICT=false",
        ])
        var distinct: Set<Int> = []
        for combination in matrix.combinations {
            let asVariant = ExplicitExplorer(system: try SystemBuilder.build(try matrix.check(combination).get()).get(),
                                             options: ExplorerOptions(), file: "differential.vmc").check()
            let overrides = combination.entries.map { ConstantOverride(name: $0.name, value: $0.value) }
            let asConstant = try explore(Self.constantModel, overrides: overrides)
            #expect(Summary(asVariant) == Summary(asConstant), "combination \(combination)")
            #expect(asVariant.statistics.complete)
            distinct.insert(asVariant.statistics.states)
        }
        // The combinations really differ (the test would be weak if every reading gave the same system).
        #expect(distinct.count > 1)
    }
}
