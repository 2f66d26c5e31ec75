import Explorer
import ModelLanguage
import PackedSystem
import Reports
import Testing

/// The model page's verdict matrix, sanity column and coverage table (issue 13, item 4), on a model with two
/// combinations: `OnlyWhenOpen` is violated under strict=false and holds (missing its expectation) under
/// strict=true; `fallback` is never enabled in either.
@Suite struct MatrixPageTests {
    static let model = """
        model gate
        variant strict: bool
        var open: bool = false
        var used: bool = false
        action toggle when !used { open := !open }
        action use when open || !strict { used := true }
        action fallback when strict && !open && used { used := false }
        invariant OnlyWhenOpen: used -> open
        terminal true
        expect OnlyWhenOpen violated
        expect dead fallback when strict
        """

    /// Every combination checked as `vfio-mc report` does (the explicit engine; sanity left to the command).
    static func matrixReport() throws -> ModelReport { try Fixtures.matrixReport(model, model: "gate") }

    @Test func markdownShowsTheMatrixWithLinksSanityAndCoverage() throws {
        let markdown = MarkdownRenderer.modelPage(try Self.matrixReport(), options: ReportOptions())
        #expect(markdown.contains("(#1 of 2 combinations; the [verdict matrix](#verdict-matrix) shows them all)"))
        #expect(markdown.contains("| Property | Kind | Expected | Actual | | Engine | Trace | Sanity |"))
        #expect(markdown.contains("## Verdict matrix"))
        #expect(markdown.contains("- #1: `strict=false`, "))
        // #1's trace is the one drawn above; #2 misses its expectation, in bold.
        #expect(markdown.contains("| `OnlyWhenOpen` | invariant | [violated](#trace-OnlyWhenOpen) | **holds FAIL (expected violated)** |"),
                "\(markdown)")
        #expect(markdown.contains("## Coverage"))
        #expect(markdown.contains("| Action | #1 | #2 |"))
        #expect(markdown.contains("| `fallback` | - | **0/0** |"))
        #expect(markdown.contains("fallback: dead (never enabled in a reachable state) in every combination, marked 'expect dead' in #2"))
        // A page without a matrix stays as it was.
        let plain = MarkdownRenderer.modelPage(try Fixtures.report(Self.model), options: ReportOptions())
        #expect(!plain.contains("Verdict matrix") && !plain.contains("## Coverage") && !plain.contains("Sanity"))
    }

    @Test func htmlColoursEachCellAndLinksViolatedOnes() throws {
        let html = HTMLRenderer.modelPage(try Self.matrixReport(), options: ReportOptions())
        #expect(html.contains("<h2 id=\"matrix\">Verdict matrix</h2>"))
        #expect(html.contains("<td class=\"cell v-violated\"><a href=\"#trace-OnlyWhenOpen\">violated</a></td>"))
        #expect(html.contains("<td class=\"cell v-holds miss\" title=\"FAIL (expected violated)\">holds FAIL (expected violated)</td>"))
        #expect(html.contains("td.v-violated { background:"))
        #expect(html.contains("<h2 id=\"coverage\">Coverage</h2>"))
        #expect(html.contains("<td class=\"num dead\">0/0</td>"))
    }

    @Test func aViolatedCellOfALaterCombinationLinksToItsOwnSection() throws {
        // Flip the expectation's subject: violated under both combinations when `use` ignores the gate.
        let text = Self.model.replacingOccurrences(of: "action toggle when !used", with: "action toggle")
        let report = try Fixtures.matrixReport(text, model: "gate")
        let markdown = MarkdownRenderer.modelPage(report, options: ReportOptions())
        #expect(markdown.contains("[violated](#c2-trace-OnlyWhenOpen)"))
        #expect(markdown.contains("<a id=\"c2-trace-OnlyWhenOpen\"></a>"))
        #expect(markdown.contains("### `OnlyWhenOpen` under #2 `strict=true`"))
        let html = HTMLRenderer.modelPage(report, options: ReportOptions())
        #expect(html.contains("<section id=\"c2-trace-OnlyWhenOpen\">"))
        #expect(html.contains("<a href=\"#c2-trace-OnlyWhenOpen\">violated</a>"))
    }
}
