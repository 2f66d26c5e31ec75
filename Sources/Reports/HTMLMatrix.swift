import PackedSystem

/// The HTML sections of a model page about every combination: the verdict matrix (a colour per verdict, a red
/// outline on a cell that misses its expectation, a link from each violated cell to its counterexample), the
/// counterexamples of the combinations after the first, the sanity cell and the coverage table.
extension HTMLRenderer {
    /// A property table cell: `ok`, or `trivial` with why; `-` when the property was not analysed.
    static func sanityCell(_ sanity: PropertySanity?) -> String {
        guard let sanity else { return "<td>-</td>" }
        guard let note = sanity.note else { return "<td>\(e(sanity.label))</td>" }
        return "<td><span class=\"badge unknown\">\(e(sanity.label))</span> <span class=\"sanity-note\">\(e(note))</span></td>"
    }

    static func matrixSection(_ report: ModelReport) -> String {
        guard let matrix = report.matrix, matrix.hasVariants else { return "" }
        var html = "<h2 id=\"matrix\">Verdict matrix</h2>\n"
        html += "<p>\(matrix.runs.count) combination\(matrix.runs.count == 1 ? "" : "s"); the rest of this page (diagrams, graphs, "
        html += "statistics) shows #1. Cells are coloured by verdict; a cell outlined in red misses its expectation; a violated "
        html += "cell links to its counterexample; <i>(trivial)</i> or <i>(vacuous)</i> marks a property that says nothing there.</p>\n"
        html += "<ul class=\"combinations\">\n"
        for (index, run) in matrix.runs.enumerated() {
            let statistics = run.result.statistics
            html += "<li><b>\(MatrixResult.columnName(index))</b>: <code>\(e(run.assignment.description))</code>, "
            html += "\(Markup.grouped(statistics.states)) states" + (statistics.complete ? "" : " (search stopped early)") + "</li>\n"
        }
        html += "</ul>\n<div class=\"wide\"><table class=\"matrix\">\n<tr><th>Property</th><th>Kind</th>"
        for index in matrix.runs.indices { html += "<th>\(MatrixResult.columnName(index))</th>" }
        html += "</tr>\n"
        for name in matrix.propertyNames {
            let kind = matrix.runs.indices.lazy.compactMap { matrix.cell(name, run: $0)?.kind.rawValue }.first ?? ""
            html += "<tr><td><code>\(e(name))</code></td><td>\(e(kind))</td>"
            for index in matrix.runs.indices {
                guard let cell = report.matrixCell(name, run: index) else {
                    html += "<td>-</td>"
                    continue
                }
                let classes = ["cell", "v-\(cell.verdict)"] + (cell.miss == nil ? [] : ["miss"])
                html += "<td class=\"\(classes.joined(separator: " "))\"\(cell.miss.map { " title=\"\(e($0))\"" } ?? "")>"
                html += cell.anchor.map { "<a href=\"#\(e($0))\">\(e(cell.verdict))</a>" } ?? e(cell.verdict)
                if let miss = cell.miss { html += " \(e(miss))" }
                if let sanity = cell.sanity { html += " <i>(\(e(sanity)))</i>" }
                html += "</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table></div>\n"
    }

    static func otherCounterexamples(_ report: ModelReport) -> String {
        let others = report.otherCounterexamples
        guard let matrix = report.matrix, !others.isEmpty else { return "" }
        var html = "<h2 id=\"other-counterexamples\">Counterexamples of the other combinations</h2>\n"
        for (index, property) in others {
            guard let trace = property.trace else { continue }
            let run = matrix.runs[index]
            html += "<section id=\"\(e(report.traceAnchor(run: index, property: property.name)))\">\n"
            html += "<details open><summary><h3>Counterexample: <code>\(e(property.name))</code> under "
            html += "\(MatrixResult.columnName(index)) <code>\(e(run.assignment.description))</code></h3></summary>\n"
            html += "<p>\(e(property.kind.rawValue)), \(e(property.verdict.rawValue)) (expected \(e(property.expected.rawValue))), "
            html += "\(e(trace.shapeDescription)), found by \(e(property.engine.rawValue)).</p>\n"
            if let failure = trace.failure {
                html += "<p class=\"failure\">Step \(trace.steps.count): <code>\(e(failure.label))</code> fails at line "
                html += "\(failure.line):\(failure.column): \(e(failure.message))</p>\n"
            }
            html += stepTable(TraceTable(trace: trace, cellNames: run.result.cellNames))
            html += "</details>\n</section>\n"
        }
        return html
    }

    static func coverageSection(_ report: ModelReport) -> String {
        guard let matrix = report.matrix, let table = CoverageTable(matrix) else { return "" }
        let names = matrix.runs.indices.map(MatrixResult.columnName)
        var html = "<h2 id=\"coverage\">Coverage</h2>\n"
        html += "<p>Per ground action: the states it fired in and the new states it found first (fired/new), and its failed "
        html += "firings. An action that no reachable state enables is dead (highlighted).</p>\n"
        html += "<div class=\"wide\"><table class=\"coverage\">\n<tr><th>Action</th>"
        for name in matrix.hasVariants ? names : ["fired/new"] { html += "<th>\(e(name))</th>" }
        html += "</tr>\n"
        for row in table.rows {
            html += "<tr><td><code>\(e(row.label))</code></td>"
            for (index, entry) in row.cells.enumerated() {
                let dead = entry?.fired ?? 0 == 0 && table.runs[index].dead.contains(row.action)
                html += "<td class=\"num\(dead ? " dead" : "")\">\(e(CoverageTable.text(entry)))</td>"
            }
            html += "</tr>\n"
        }
        html += "</table></div>\n"
        let dead = table.deadLines(columnNames: names)
        html += dead.isEmpty ? "<p>No dead action.</p>\n" : "<ul>\n" + dead.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
        for note in table.notes(columnNames: names) { html += "<p class=\"note\">\(e(note))</p>\n" }
        return html
    }
}
