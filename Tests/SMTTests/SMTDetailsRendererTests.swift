import Reports
import SMT
import Testing

/// What `check --show-invariant` and `--smt-stats` print, rendered by Reports from a real SMT run.
@Suite struct SMTDetailsRendererTests {
    /// Two properties PDR proves with the one invariant, and one it proves alone.
    static let model = """
        model twice
        var x: 0..7 = 0
        action up when x < 3 { x := x + 1 }
        action down when x > 0 { x := x - 1 }
        invariant BelowSeven: x != 7
        invariant BelowSix: x != 6
        """

    @Test func invariantsAndStatisticsAreRenderedOnlyWhenAsked() throws {
        let details = try PDRTests.run(Self.model, method: .pdr)
        #expect(SMTDetailsRenderer.render(details, file: "m.vmc", method: "pdr", invariants: false, statistics: false) == "")
        let text = SMTDetailsRenderer.render(details, file: "m.vmc", method: "pdr", invariants: true, statistics: true)
        #expect(text.hasSuffix("\n"))
        let headings = text.split(separator: "\n").filter { $0.hasPrefix("inductive invariant proving ") }
        // One heading per distinct invariant, each property named once over all of them.
        let distinct = details.invariants.map(\.invariant).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
        #expect(headings.count == distinct.count)
        #expect(!details.invariants.isEmpty)
        for (property, _) in details.invariants {
            #expect(headings.filter { $0.contains(property) }.count == 1)
        }
        #expect(text.contains("SMT solver time (m.vmc, method pdr):\n  method       queries   seconds  property\n"))
        #expect(text.contains("(total)"))
    }
}
