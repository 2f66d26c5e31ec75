import PackedSystem

/// The terminal form of a model with variants: one statistics line per combination, the verdict matrix (a row
/// per property, a column per combination), then each violated cell's counterexample, which is the shortest
/// because the search is breadth-first. A model without variants renders exactly as `TextRenderer.render`.
extension TextRenderer {
    /// The closing line of `check` over several model files: how many met every expectation, did not, failed to
    /// load, or were not checked because a signal stopped the run.
    public static func closingLine(files: Int, matrices: [MatrixResult], failures: Int) -> String {
        let met = matrices.filter(\.expectationsMet).count
        let skipped = files - matrices.count - failures
        return "\(files) models: \(met) met every expectation, \(matrices.count - met) did not, \(failures) failed to load"
            + (skipped > 0 ? ", \(skipped) not checked (interrupted)" : "")
    }

    /// The whole report for one model's matrix.
    public func render(_ matrix: MatrixResult) -> String {
        guard matrix.hasVariants else {
            return matrix.runs.map { render($0.result, sanity: $0.sanity) }.joined() + (showCoverage ? coverageText(matrix) : "")
        }
        var lines: [String] = []
        let count = matrix.runs.count
        lines.append("\(matrix.file) (model \(matrix.model), engine \(matrix.engine), \(count) combination\(count == 1 ? "" : "s"))")
        for (index, run) in matrix.runs.enumerated() {
            let statistics = run.result.statistics
            lines.append("  \(MatrixResult.columnName(index)) \(run.assignment): \(summary(run.result))")
            if let reason = statistics.stopReason { lines.append("     search stopped early: \(reason)") }
            for note in statistics.notes { lines.append("     note: \(note)") }
        }
        lines.append("")
        lines += matrixTable(matrix)
        // Why a property is trivial or vacuous, once per property and reason, with the columns it applies to.
        for name in matrix.propertyNames {
            var columns: [(sanity: PropertySanity, columns: [String])] = []
            for (index, run) in matrix.runs.enumerated() {
                guard let sanity = run.sanity[name], sanity != .ok else { continue }
                if let position = columns.firstIndex(where: { $0.sanity == sanity }) {
                    columns[position].columns.append(MatrixResult.columnName(index))
                } else {
                    columns.append((sanity, [MatrixResult.columnName(index)]))
                }
            }
            for entry in columns {
                let scope = entry.columns.count == matrix.runs.count ? "in every combination" : "in " + entry.columns.joined(separator: ", ")
                lines.append("  \(name) is \(entry.sanity.label) \(scope): \(entry.sanity.note ?? "")")
            }
        }
        for (index, run) in matrix.runs.enumerated() {
            for property in run.result.properties where property.trace == nil {
                if let note = property.note { lines.append("  \(property.name) \(MatrixResult.columnName(index)): \(note)") }
            }
        }
        for (index, run) in matrix.runs.enumerated() {
            lines += Self.openLines(run.result.properties, column: MatrixResult.columnName(index))
        }
        for (index, run) in matrix.runs.enumerated() {
            for property in run.result.properties {
                guard let trace = property.trace else { continue }
                if property.verdict == .reachable && !showWitnesses { continue }
                lines.append("")
                let what = property.verdict == .reachable ? "Witness" : "Counterexample"
                let shape = trace.loopStart != nil ? "lasso" : "\(trace.length) step\(trace.length == 1 ? "" : "s")"
                lines.append("\(what) for \(property.name) under \(MatrixResult.columnName(index)) \(run.assignment) "
                             + "(\(property.kind.rawValue), \(shape)):")
                lines += renderTrace(trace, cellNames: run.result.cellNames)
                if let note = property.note { lines.append("  (\(note))") }
            }
        }
        return lines.joined(separator: "\n") + "\n" + (showCoverage ? coverageText(matrix) : "")
    }

    /// The coverage table (`check --coverage`): per ground action how often it fired and the new states it found
    /// (`fired/new`, per combination for a model with variants), then the dead and marked actions.
    public func coverageText(_ matrix: MatrixResult) -> String {
        guard let table = CoverageTable(matrix) else { return "\nCoverage: none (only the SMT engine ran).\n" }
        let names = matrix.runs.indices.map(MatrixResult.columnName)
        var lines = ["", "Coverage (fired/new states per ground action\(matrix.hasVariants ? ", per combination" : "")):"]
        let header = ["action"] + (matrix.hasVariants ? names : ["fired/new"])
        lines += Markup.alignedColumns([header] + table.rows.map { [$0.label] + $0.cells.map(CoverageTable.text) }).map { "  " + $0 }
        let dead = table.deadLines(columnNames: names)
        lines += dead.isEmpty ? ["  no dead action"] : dead.map { "  " + $0 }
        lines += table.notes(columnNames: names).map { "  " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The verdict matrix: property, kind, then one column per combination. A cell is the verdict, followed by
    /// `FAIL (expected V)` when it misses its expectation, or `UNKNOWN` when there is no verdict, and by
    /// `(trivial)` or `(vacuous)` when the property says nothing there.
    public func matrixTable(_ matrix: MatrixResult) -> [String] {
        let header = ["property", "kind"] + matrix.runs.indices.map(MatrixResult.columnName)
        var rows = [header]
        for name in matrix.propertyNames {
            var row = [name, ""]
            for index in matrix.runs.indices {
                guard let property = matrix.cell(name, run: index) else {
                    row.append("-")
                    continue
                }
                row[1] = property.kind.rawValue
                let sanity = matrix.runs[index].sanity[name].map { $0 == .ok ? "" : " (\($0.label))" } ?? ""
                row.append(Self.cell(property) + sanity)
            }
            rows.append(row)
        }
        return Markup.alignedColumns(rows)
    }

    /// One cell of the matrix.
    static func cell(_ property: PropertyResult) -> String {
        if property.meetsExpectation { return property.verdict.rawValue }
        if property.verdict == .unknown { return "unknown UNKNOWN" }
        return "\(property.verdict.rawValue) FAIL (expected \(property.expected.rawValue))"
    }
}
