import Analysis
import Foundation
import PackedSystem
import Review

/// The text `vfio-mc diff` prints: Review compares two versions of a model (`ModelDiff`, `MatrixDiff`) and
/// returns values; this renders them (the property table, the changed device automata, the changed combination
/// paths, the new counterexamples and a result line).
public enum DiffTextRenderer {
    /// The text of either kind of comparison.
    public static func render(_ outcome: DiffOutcome) -> String {
        switch outcome {
        case .single(let diff): return render(diff)
        case .matrix(let diff): return render(diff)
        }
    }

    /// The report: the two versions' statistics, the property table, the changed device automata, the changed
    /// combination paths, the new counterexamples (and witnesses), and a result line.
    public static func render(_ diff: ModelDiff) -> String {
        var lines: [String] = []
        lines.append("base:     " + summary(diff.base))
        lines.append("proposed: " + summary(diff.proposed))
        for analysis in [diff.base, diff.proposed] where !analysis.result.statistics.complete {
            lines.append("  (\(analysis.name): search stopped early, \(analysis.result.statistics.stopReason?.description ?? "budget"); "
                         + "verdicts may be missing and the automata are partial)")
        }
        lines.append("")
        lines += propertySection(diff)
        lines.append("")
        lines += deviceSection(diff)
        lines.append("")
        lines += pathsSection(diff)
        for change in diff.properties {
            guard let trace = change.newTrace, let after = change.after else { continue }
            lines.append("")
            let what = after.verdict == .reachable ? "New witness" : "New counterexample"
            let shape = trace.loopStart != nil ? "lasso" : "\(trace.length) step\(trace.length == 1 ? "" : "s")"
            lines.append("\(what) for \(change.name) (\(after.kind.rawValue), \(shape)), in the proposed model:")
            lines += TextRenderer().renderTrace(trace, cellNames: diff.proposed.result.cellNames)
            if let note = after.note { lines.append("  (\(note))") }
        }
        lines.append("")
        lines.append(conclusion(diff))
        return lines.joined(separator: "\n") + "\n"
    }

    static func summary(_ analysis: ModelAnalysis) -> String {
        let statistics = analysis.result.statistics
        return "\(analysis.name) (model \(analysis.result.model)): \(statistics.states) states, "
            + "\(statistics.transitions) transitions, depth \(statistics.depth)"
    }

    private static func propertySection(_ diff: ModelDiff) -> [String] {
        let regressionCount = diff.regressions.count
        let unchanged = diff.properties.filter { $0.status == .unchanged }.count
        var heading = "Properties: \(diff.properties.count - unchanged) changed, \(unchanged) unchanged"
        if regressionCount > 0 { heading += ", \(regressionCount) regression\(regressionCount == 1 ? "" : "s")" }
        var rows = [["property", "kind", "expected", "before", "after", "change"]]
        for change in diff.properties {
            let expectedBefore = change.before?.expected.rawValue
            let expectedAfter = change.after?.expected.rawValue
            let expected: String
            switch (expectedBefore, expectedAfter) {
            case (let b?, let a?) where a == b: expected = a
            case (let b?, let a?): expected = "\(b) -> \(a)"
            case (let b?, nil): expected = b
            case (nil, let a?): expected = a
            case (nil, nil): expected = "-"
            }
            rows.append([change.name, change.kind?.rawValue ?? "-", expected, verdict(change.before), verdict(change.after),
                         change.status.rawValue])
        }
        return [heading] + Markup.alignedColumns(rows)
    }

    private static func deviceSection(_ diff: ModelDiff) -> [String] {
        let variables = Set(diff.base.projection.stateVariables.map(\.name)).union(diff.proposed.projection.stateVariables.map(\.name))
        if variables.isEmpty {
            return ["Device states: no device state variable in either version (see docs/reports.md, the projection heuristic)."]
        }
        if diff.devices.isEmpty {
            return ["Device states: no state or arc of any device became reachable or unreachable."]
        }
        var lines = ["Device states: the projected automata (docs/reports.md) that changed"]
        for change in diff.devices {
            lines.append("  \(change.title):")
            lines += change.lines.map { "    " + $0 }
        }
        return lines
    }

    private static func pathsSection(_ diff: ModelDiff) -> [String] {
        if let pathsError = diff.pathsError { return ["Combination paths: error: \(pathsError)"] }
        if let pathsNote = diff.pathsNote { return ["Combination paths: not compared: \(pathsNote.message)"] }
        guard let paths = diff.paths else {
            return ["Combination paths: neither version defines \(diff.definitions.next)(current, requested) and "
                    + "\(diff.definitions.fails)(current, requested) over one enum type."]
        }
        let header = "Combination paths (\(paths.next), \(paths.fails)): "
        if paths.changed.isEmpty { return [header + "all \(paths.total) lines unchanged"] }
        var lines = [header + "\(paths.changed.count) of \(paths.total) lines changed"]
        for line in paths.changed {
            if let before = line.before { lines.append("  - " + before.line) }
            if let after = line.after { lines.append("  + " + after.line + (line.isRegression ? "   REGRESSION: the resolver no longer ends" : "")) }
        }
        return lines
    }

    private static func conclusion(_ diff: ModelDiff) -> String {
        if diff.pathsError != nil { return "Result: error: the combination-path definitions are of the wrong type" }
        let regressed = diff.regressions
        let unending = diff.paths?.regressions ?? []
        if !regressed.isEmpty || !unending.isEmpty {
            var names = regressed.map { change -> String in
                guard let after = change.after else { return "\(change.name) (removed)" }
                guard let before = change.before else { return change.name }
                return "\(change.name) (\(before.verdict.rawValue), now \(after.verdict.rawValue))"
            }
            if !unending.isEmpty {
                names.append("\(unending.count) combination path\(unending.count == 1 ? "" : "s") no longer end\(unending.count == 1 ? "s" : "")")
            }
            let count = regressed.count + unending.count
            return "Result: \(count) regression\(count == 1 ? "" : "s"): " + names.joined(separator: ", ")
        }
        if diff.exitCode == 3 { return "Result: no regression found, but some verdicts are missing (a budget ran out)" }
        return "Result: no regression"
    }

    /// The report: the changed cells (property, combination, before, after), the combinations that appeared or
    /// disappeared, then the full comparison of every pair in which something changed.
    public static func render(_ diff: MatrixDiff) -> String {
        var lines = [
            "base:     \(diff.baseName): \(diff.counts.base) combination\(diff.counts.base == 1 ? "" : "s")",
            "proposed: \(diff.proposedName): \(diff.counts.proposed) combination\(diff.counts.proposed == 1 ? "" : "s")",
            "",
        ]
        var rows = [["property", "combination", "before", "after", "change"]]
        for pair in diff.pairs {
            for change in pair.diff.properties where change.status != .unchanged {
                rows.append([change.name, pair.label, verdict(change.before), verdict(change.after), change.status.rawValue])
            }
        }
        lines.append(rows.count == 1 ? "Cells: none changed in \(diff.pairs.count) paired combination\(diff.pairs.count == 1 ? "" : "s")"
                     : "Cells that changed (\(rows.count - 1)) in \(diff.pairs.count) paired combination\(diff.pairs.count == 1 ? "" : "s"):")
        if rows.count > 1 { lines += Markup.alignedColumns(rows) }
        for assignment in diff.removed { lines.append("  combination \(assignment) is gone from the proposal (REGRESSION)") }
        for assignment in diff.added { lines.append("  combination \(assignment) is new in the proposal") }
        for pair in diff.pairs {
            lines.append("")
            let changed = pair.diff.properties.contains { $0.status != .unchanged } || !pair.diff.devices.isEmpty
                || !(pair.diff.paths?.changed.isEmpty ?? true)
            guard changed else {
                lines.append("== \(pair.label): no verdict, device automaton or combination path changed")
                continue
            }
            lines.append("== \(pair.label)")
            lines.append(render(pair.diff).trimmingCharacters(in: .newlines))
        }
        lines.append("")
        let regressed = diff.pairs.filter { $0.diff.exitCode == 1 }
        if diff.exitCode == 1 {
            let gone = diff.removed.isEmpty ? "" : ", \(diff.removed.count) combination\(diff.removed.count == 1 ? "" : "s") gone"
            lines.append("Result: regression in \(regressed.count) of \(diff.pairs.count) combination\(diff.pairs.count == 1 ? "" : "s")\(gone)")
        } else if diff.exitCode == 3 {
            lines.append("Result: no regression found, but some verdicts are missing (a budget ran out)")
        } else {
            lines.append("Result: no regression in any combination")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A cell of the property tables: `-` when absent, `unknown`, or the verdict with whether it meets the
    /// expectation.
    private static func verdict(_ result: PropertyResult?) -> String {
        guard let result else { return "-" }
        if result.verdict == .unknown { return "unknown" }
        return result.verdict.rawValue + (result.meetsExpectation ? " (ok)" : " (FAIL)")
    }
}
