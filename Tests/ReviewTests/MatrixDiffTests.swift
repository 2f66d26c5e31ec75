import ModelLanguage
import PackedSystem
import Reports
import Review
import Testing

/// `diff` on models with variants: combinations paired by the variants both versions declare, changed cells,
/// gone and new combinations, and the exit code over every pair.
@Suite struct MatrixDiffTests {
    static let plain = """
        model gate
        const STRICT = false
        var open: bool = false
        var used: bool = false
        action toggle { open := !open }
        action use when open || !STRICT { used := true }
        invariant OnlyWhenOpen: used -> open
        terminal true
        expect OnlyWhenOpen violated
        """

    static let withVariant = """
        model gate
        variant STRICT: bool
        var open: bool = false
        var used: bool = false
        action toggle { open := !open }
        action use when open || !STRICT { used := true }
        invariant OnlyWhenOpen: used -> open
        terminal true
        expect OnlyWhenOpen violated
        """

    func runs(_ text: String, _ name: String) throws -> [(assignment: VariantAssignment, system: TransitionSystem)] {
        try ModelLoader.loadCombinations(.text(name: name, text: text))
    }

    @Test func aGainedVariantPairsTheOldRunWithEveryCombination() throws {
        let diff = MatrixDiff(base: try runs(Self.plain, "a.vmc"), baseName: "a.vmc",
                              proposed: try runs(Self.withVariant, "b.vmc"), proposedName: "b.vmc")
        #expect(diff.pairs.map(\.label) == ["STRICT=false", "STRICT=true"])
        #expect(diff.removed.isEmpty && diff.added.isEmpty)
        // Under STRICT=false nothing changed; under STRICT=true the use needs the gate open, and the invariant is
        // still violated (toggle, use, toggle closes it again): no regression either.
        #expect(diff.exitCode == 0)
        let text = DiffTextRenderer.render(diff)
        #expect(text.contains("base:     a.vmc: 1 combination\nproposed: b.vmc: 2 combinations\n"))
        #expect(text.contains("== STRICT=false: no verdict, device automaton or combination path changed"))
        #expect(text.hasSuffix("Result: no regression in any combination\n"))
    }

    @Test func aRegressionInOneCellFailsTheDiff() throws {
        let fixed = Self.withVariant.replacingOccurrences(of: "action toggle { open := !open }", with: "action toggle when !used { open := !open }")
            .replacingOccurrences(of: "expect OnlyWhenOpen violated", with: "expect OnlyWhenOpen violated when !STRICT")
        let diff = MatrixDiff(base: try runs(fixed, "a.vmc"), baseName: "a.vmc",
                              proposed: try runs(Self.withVariant, "b.vmc"), proposedName: "b.vmc")
        #expect(diff.pairs.count == 2)
        #expect(diff.exitCode == 1)
        let text = DiffTextRenderer.render(diff)
        #expect(text.contains("  OnlyWhenOpen  STRICT=true  holds (ok)  violated (ok)  REGRESSION\n"), "\(text)")
        #expect(text.contains("REGRESSION"))
        #expect(text.hasSuffix("Result: regression in 1 of 2 combinations\n"))
    }

    @Test func aCombinationThatIsGoneIsARegression() throws {
        let narrowed = Self.withVariant.replacingOccurrences(of: "variant STRICT: bool", with: "variant STRICT: bool in { false }")
        let diff = MatrixDiff(base: try runs(Self.withVariant, "a.vmc"), baseName: "a.vmc",
                              proposed: try runs(narrowed, "b.vmc"), proposedName: "b.vmc")
        #expect(diff.removed.map(\.description) == ["STRICT=true"])
        #expect(diff.exitCode == 1)
        #expect(DiffTextRenderer.render(diff).contains("  combination STRICT=true is gone from the proposal (REGRESSION)"))
    }
}
