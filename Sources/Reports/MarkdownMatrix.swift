import PackedSystem

/// The Markdown sections of a model page about every combination: the verdict matrix, the counterexamples of
/// the combinations after the first, the sanity text and the coverage table (see `ModelReport.matrix`).
extension MarkdownRenderer {
    /// `ok`, or `trivial: WHY`; `-` when the property was not analysed.
    static func sanityText(_ sanity: PropertySanity?) -> String {
        guard let sanity else { return "-" }
        guard let note = sanity.note else { return sanity.label }
        return "**\(sanity.label)**: \(cell(note))"
    }

    /// The verdict matrix of a model with variants: the combinations, then a row per property and a column per
    /// combination; a violated cell links to its counterexample, a cell that misses its expectation is bold.
    static func matrixSection(_ report: ModelReport) -> [String] {
        guard let matrix = report.matrix, matrix.hasVariants else { return [] }
        var lines = ["", "## Verdict matrix", ""]
        lines.append("\(matrix.runs.count) combination\(matrix.runs.count == 1 ? "" : "s"); the rest of this page (diagrams, graphs, "
                     + "statistics) shows #1. A violated cell links to its counterexample; a cell that misses its expectation is in "
                     + "bold; `(trivial)` or `(vacuous)` marks a property that says nothing in that combination.")
        lines.append("")
        for (index, run) in matrix.runs.enumerated() {
            let statistics = run.result.statistics
            lines.append("- \(MatrixResult.columnName(index)): `\(cell(run.assignment.description))`, "
                         + "\(Markup.grouped(statistics.states)) states" + (statistics.complete ? "" : " (search stopped early)"))
        }
        lines.append("")
        lines.append("| Property | Kind | " + matrix.runs.indices.map(MatrixResult.columnName).joined(separator: " | ") + " |")
        lines.append("|---|---|" + String(repeating: "---|", count: matrix.runs.count))
        for name in matrix.propertyNames {
            let kind = matrix.runs.indices.lazy.compactMap { matrix.cell(name, run: $0)?.kind.rawValue }.first ?? ""
            let cells = matrix.runs.indices.map { index -> String in
                guard let value = report.matrixCell(name, run: index) else { return "-" }
                var text = value.anchor.map { "[\(value.verdict)](#\($0))" } ?? value.verdict
                if let miss = value.miss { text = "**\(text) \(miss)**" }
                if value.css == "unknown" { text = "**\(text) UNKNOWN**" }
                if let sanity = value.sanity { text += " (\(sanity))" }
                return text
            }
            lines.append("| `\(name)` | \(kind) | " + cells.joined(separator: " | ") + " |")
        }
        return lines
    }

    /// The counterexamples of combinations other than the one shown above, as step tables under their anchors.
    static func otherCounterexamples(_ report: ModelReport) -> [String] {
        let others = report.otherCounterexamples
        guard let matrix = report.matrix, !others.isEmpty else { return [] }
        var lines = ["", "## Counterexamples of the other combinations"]
        for (index, property) in others {
            guard let trace = property.trace else { continue }
            let run = matrix.runs[index]
            lines += ["", "<a id=\"\(report.traceAnchor(run: index, property: property.name))\"></a>", ""]
            lines.append("### `\(property.name)` under \(MatrixResult.columnName(index)) `\(cell(run.assignment.description))`")
            lines.append("")
            lines.append("\(property.kind.rawValue), \(property.verdict.rawValue) (expected \(property.expected.rawValue)), "
                         + "\(trace.shapeDescription), found by \(property.engine).")
            if let failure = trace.failure {
                lines.append("")
                lines.append("Step \(trace.steps.count): `\(failure.label)` fails at line \(failure.line):\(failure.column): "
                             + Markup.markdown(failure.message))
            }
            lines += stepTable(TraceTable(trace: trace, cellNames: run.result.cellNames))
        }
        return lines
    }

    /// The coverage table: per ground action `fired/new` (per combination for a model with variants), then the
    /// dead and marked actions and how to read the counts.
    static func coverageSection(_ report: ModelReport) -> [String] {
        guard let matrix = report.matrix, let table = CoverageTable(matrix) else { return [] }
        let names = matrix.runs.indices.map(MatrixResult.columnName)
        var lines = ["", "## Coverage", ""]
        lines.append("Per ground action: the states it fired in and the new states it found first (`fired/new`), and its failed "
                     + "firings. An action that no reachable state enables is dead.")
        lines.append("")
        let columns = matrix.hasVariants ? names : ["fired/new"]
        lines.append("| Action | " + columns.joined(separator: " | ") + " |")
        lines.append("|---|" + String(repeating: "---:|", count: columns.count))
        for row in table.rows {
            let cells = row.cells.enumerated().map { index, entry -> String in
                let text = CoverageTable.text(entry)
                return entry?.fired == 0 && table.runs[index].dead.contains(row.action) ? "**\(text)**" : text
            }
            lines.append("| `\(cell(row.label))` | " + cells.joined(separator: " | ") + " |")
        }
        let dead = table.deadLines(columnNames: names)
        lines.append("")
        lines.append(dead.isEmpty ? "No dead action." : "Dead or marked: " + dead.map { cell($0) }.joined(separator: "; ") + ".")
        for note in table.notes(columnNames: names) {
            lines.append("")
            lines.append("*\(cell(note))*")
        }
        return lines
    }
}
