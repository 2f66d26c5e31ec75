import PackedSystem
import Reports
import Testing

/// Reports of models with variants: the page says which combination it shows; the terminal matrix renders
/// each combination's column and a model without variants exactly as a single result.
@Suite struct VariantReportTests {
    static let model = """
        model gate
        variant strict: bool
        var open: bool = false
        var used: bool = false
        action toggle { open := !open }
        action use when open || !strict { used := true }
        invariant OnlyWhenOpen: used -> open
        terminal true
        expect OnlyWhenOpen violated
        """

    @Test func thePageNamesItsCombination() throws {
        let report = try Fixtures.report(Self.model)
        let markdown = MarkdownRenderer.modelPage(report, options: ReportOptions())
        #expect(markdown.contains("variants `strict=false` (the first of 2 combinations; `vfio-mc check` shows them all)"))
        let html = HTMLRenderer.modelPage(report, options: ReportOptions())
        #expect(html.contains("variants <code>strict=false</code> (the first of 2 combinations;"))
        let plain = MarkdownRenderer.modelPage(try Fixtures.report(Fixtures.missed), options: ReportOptions())
        #expect(!plain.contains("variants"))
    }

    @Test func itfNamesTheCombinationOfItsTrace() throws {
        let report = try Fixtures.report(Self.model)
        let index = try #require(report.result.properties.firstIndex { $0.name == "OnlyWhenOpen" })
        let property = report.result.properties[index]
        let trace = try #require(property.trace)
        let text = ITFRenderer.render(trace: trace, property: property, result: report.result, layout: report.system.layout,
                                      variants: report.system.model.variantAssignment)
        #expect(text.contains("\"engine\":\"explicit\",\"variants\":{\"strict\":false}}"), "\(text)")
        let plain = ITFRenderer.render(trace: trace, property: property, result: report.result, layout: report.system.layout)
        #expect(!plain.contains("variants"))
    }

    @Test func aSingleRunRendersAsBefore() throws {
        let result = try Fixtures.report(Fixtures.missed).result
        let renderer = TextRenderer()
        #expect(renderer.render(MatrixResult(single: result)) == renderer.render(result))
        #expect(JUnitRenderer.render(matrices: [MatrixResult(single: result)], loadFailures: [])
                == JUnitRenderer.render(results: [result], loadFailures: []))
    }
}
