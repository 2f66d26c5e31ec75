import PackedSystem

/// Renders the Markdown twins of the HTML pages (GitHub-flavoured tables). Diagrams are the same SVG pictures,
/// referenced as images from `svg/` instead of inlined (Markdown viewers drop inline SVG).
public enum MarkdownRenderer {
    /// The page of one model.
    public static func modelPage(_ report: ModelReport, options: ReportOptions) -> String {
        let result = report.result
        var lines: [String] = []
        lines.append("# Model `\(result.model)`")
        lines.append("")
        var facts = ["file `\(result.file)`", "engine \(result.engine)"]
        if !report.constantsText.isEmpty { facts.append("constants " + report.constantsText.map { "`\($0)`" }.joined(separator: ", ")) }
        if let variants = report.variantsText {
            facts.append("variants " + variants.values.map { "`\($0)`" }.joined(separator: ", ")
                         + (report.matrix == nil ? " (the first of \(variants.combinations) combinations; `vfio-mc check` shows them all)"
                            : " (#1 of \(variants.combinations) combinations; the [verdict matrix](#verdict-matrix) shows them all)"))
        }
        lines.append(facts.joined(separator: " · "))
        lines.append("")
        let counts = report.counts
        var summary = "**\(report.overall.text)**: \(counts.met) of \(counts.properties) properties as expected; "
        summary += "\(Markup.grouped(result.statistics.states)) states" + (result.statistics.complete ? "." : " (search stopped early).")
        lines.append(summary)
        lines.append("")
        lines.append("[All models](README.md) · [HTML version](\(report.htmlPath))")
        lines.append("")
        lines.append("## Properties")
        lines.append("")
        let notes = result.properties.contains { $0.note != nil }
        let sanity = report.firstSanity
        let sanityColumn = !sanity.isEmpty
        lines.append("| Property | Kind | Expected | Actual | | Engine | Trace |" + (sanityColumn ? " Sanity |" : "") + (notes ? " Note |" : ""))
        lines.append("|---|---|---|---|---|---|---|" + (sanityColumn ? "---|" : "") + (notes ? "---|" : ""))
        for (index, property) in result.properties.enumerated() {
            let status = ModelReport.status(property)
            let name = property.trace == nil ? "`\(property.name)`" : "[`\(property.name)`](#trace-\(report.propertySlugs[index]))"
            let trace = property.trace.map { "\(cell($0.shapeDescription)) ([ITF](\(report.itfPath(index))))" } ?? ""
            let statusText = status.css == "ok" ? status.text : "**\(status.text)**"
            lines.append("| \(name) | \(property.kind.rawValue) | \(property.expected.rawValue) | \(property.verdict.rawValue) | \(statusText) | "
                         + "\(cell(property.engine.rawValue)) | \(trace) |" + (sanityColumn ? " \(sanityText(sanity[property.name])) |" : "")
                         + (notes ? " \(cell(property.note ?? "")) |" : ""))
        }
        lines += matrixSection(report)
        let traced = report.tracedProperties
        if !traced.counterexamples.isEmpty {
            lines.append("")
            lines.append("## Counterexamples")
            lines.append("")
            lines.append("Sequence diagrams: blue arrows are arcs (a device's state changes), grey requests, orange DMA between "
                         + "devices, green dashed device events (interrupts, DMA), boxes userspace steps, red the failing action. "
                         + "In the step tables, **bold** values changed at that step.")
            for index in traced.counterexamples { lines += traceSection(report, index) }
        }
        lines += otherCounterexamples(report)
        if !traced.witnesses.isEmpty {
            lines.append("")
            lines.append("## Witnesses of reachable goals")
            for index in traced.witnesses { lines += traceSection(report, index) }
        }
        lines.append("")
        lines.append("## Device state graphs")
        lines.append("")
        lines.append(Markup.markdown(report.projection.summary) + " Each graph projects the reachable state graph on one device's "
                     + "state variable: a node per value it takes in a reachable state (initial values in green), an arrow per change "
                     + "observed on a transition, labelled with the actions that made it.")
        if let note = report.graphNote {
            lines.append("")
            lines.append("*\(Markup.markdown(note))*")
        }
        for (index, graph) in report.stateGraphs.enumerated() {
            lines.append("")
            lines.append("### `\(graph.title)`")
            lines.append("")
            if StateGraphSVG.render(graph, idPrefix: "graph", standalone: true) != nil {
                lines.append("![Reachable values of \(Markup.markdown(graph.title))](\(report.graphPath(index)))")
                lines.append("")
            }
            lines.append("| from | to | actions | transitions |")
            lines.append("|---|---|---|---:|")
            for edge in graph.edges {
                lines.append("| `\(graph.label(edge.from))` | `\(graph.label(edge.to))` | \(cell(edge.actions.joined(separator: ", "))) | "
                             + "\(Markup.grouped(edge.transitions)) |")
            }
            let unreached = graph.unreachedValues
            if !unreached.isEmpty {
                lines.append("")
                lines.append("Never reached: " + unreached.map { "`\(graph.label($0))`" }.joined(separator: ", ") + ".")
            }
        }
        lines += coverageSection(report)
        lines.append("")
        lines.append("## Run statistics")
        lines.append("")
        lines.append("| | |")
        lines.append("|---|---|")
        for (label, value) in report.statisticsRows(options) { lines.append("| \(cell(label)) | \(cell(value)) |") }
        lines.append("")
        lines.append("Generated by `vfio-mc report`. Traces in the Informal Trace Format are in `itf/`.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// README.md: every model's status, plus the models that failed to load.
    public static func index(_ reports: [ModelReport], failures: [LoadFailure], options: ReportOptions) -> String {
        var lines = ["# vfio-mc reports", ""]
        let met = reports.filter { $0.overall.css == "ok" }.count
        let total = reports.count + failures.count
        lines.append("\(total) model\(total == 1 ? "" : "s"): \(met) met every expectation, \(reports.count - met) did not, "
                     + "\(failures.count) failed to load. HTML version: [index.html](index.html).")
        lines.append("")
        var header = "| Model | File | Status | As expected | Violated properties | Reachable | States | Depth |"
        var rule = "|---|---|---|---:|---|---:|---:|---:|"
        if options.timings {
            header += " Seconds |"
            rule += "---:|"
        }
        lines.append(header)
        lines.append(rule)
        for report in reports {
            let counts = report.counts
            let overall = report.overall
            let statistics = report.result.statistics
            var row = "| [`\(report.result.model)`](\(report.markdownPath)) | `\(report.result.file)` | "
            row += (overall.css == "ok" ? overall.short : "**\(overall.short)**") + " | \(counts.met) / \(counts.properties) | "
            let violated = report.result.properties.indices.filter { report.result.properties[$0].verdict == .violated }.map { index in
                "[`\(report.result.properties[index].name)`](\(report.markdownPath)#trace-\(report.propertySlugs[index]))"
            }
            row += "\(violated.joined(separator: ", ")) | \(counts.reachable) | \(Markup.grouped(statistics.states)) | \(statistics.depth) |"
            if options.timings { row += " \(Markup.fixed(statistics.seconds, places: 2)) |" }
            lines.append(row)
        }
        if !failures.isEmpty {
            lines.append("")
            lines.append("## Models that failed to load")
            for failure in failures {
                lines.append("")
                lines.append("### `\(failure.file)`")
                lines.append("")
                lines.append("```")
                lines += failure.messages.map { $0.replacingOccurrences(of: "```", with: "'''") }
                lines.append("```")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func traceSection(_ report: ModelReport, _ index: Int) -> [String] {
        let property = report.result.properties[index]
        guard let trace = property.trace else { return [] }
        let what = property.verdict == .reachable ? "Witness" : "Counterexample"
        var lines = ["", "<a id=\"trace-\(report.propertySlugs[index])\"></a>", "", "### \(what): `\(property.name)`", ""]
        lines.append("\(property.kind.rawValue), \(property.verdict.rawValue) (expected \(property.expected.rawValue)), "
                     + "\(trace.shapeDescription), found by \(property.engine). ITF: [\(report.itfPath(index))](\(report.itfPath(index))).")
        if let note = property.note {
            lines.append("")
            lines.append("*\(Markup.markdown(note))*")
        }
        if let failure = trace.failure {
            lines.append("")
            lines.append("Step \(trace.steps.count): `\(failure.label)` fails at line \(failure.line):\(failure.column): \(Markup.markdown(failure.message))")
        }
        lines.append("")
        lines.append("![Sequence diagram of \(Markup.markdown(property.name))](\(report.sequencePath(index)))")
        return lines + stepTable(TraceTable(trace: trace, cellNames: report.result.cellNames))
    }

    /// A trace's step table (changed values in bold), its ending and the cells that never change.
    static func stepTable(_ table: TraceTable) -> [String] {
        var lines = [""]
        lines.append("| # | action | " + table.titles.map { "`\($0)`" }.joined(separator: " | ") + " |")
        lines.append("|---:|---|" + String(repeating: "---|", count: table.titles.count))
        for row in table.rows {
            var action = "`\(row.label)`"
            if let remark = row.remark { action += " *(\(remark))*" }
            let values = zip(row.values, row.changed).map { value, changed in changed ? "**\(cell(value))**" : cell(value) }
            lines.append("| \(row.number) | \(action) | " + values.joined(separator: " | ") + " |")
        }
        if let failure = table.failure {
            lines.append("| \(table.rows.count) | **\(cell(failure))** |" + String(repeating: " |", count: table.titles.count))
        }
        if let ending = table.ending {
            lines.append("")
            lines.append("*\(Markup.markdown(ending))*")
        }
        if !table.constant.isEmpty {
            lines.append("")
            lines.append("Unchanged throughout: " + table.constant.map { "`\($0.name) = \($0.value)`" }.joined(separator: ", ") + ".")
        }
        return lines
    }

    /// Text for a table cell.
    static func cell(_ text: String) -> String { Markup.markdown(text) }
}
