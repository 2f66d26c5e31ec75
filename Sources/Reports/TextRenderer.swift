import Foundation
import ModelLanguage
import PackedSystem

/// Renders check results for a terminal: a property table per model, then each counterexample as numbered
/// steps listing only the cells that changed.
public struct TextRenderer: Sendable {
    /// Also print witnesses of reachable goals.
    public var showWitnesses: Bool
    /// Also print the coverage table and the dead actions (`check --coverage`).
    public var showCoverage = false

    /// Creates a renderer.
    public init(showWitnesses: Bool = false) { self.showWitnesses = showWitnesses }

    /// The whole report for one model. With `sanity`, a property that is not `ok` gets a `sanity` column (shown
    /// only when some property needs it) and a line saying why.
    public func render(_ result: CheckResult, sanity: [String: PropertySanity] = [:]) -> String {
        var lines: [String] = []
        let statistics = result.statistics
        lines.append("\(result.file) (model \(result.model), engine \(result.engine))")
        lines.append("  " + summary(result))
        if let reason = statistics.stopReason { lines.append("  search stopped early: \(reason)") }
        for note in statistics.notes { lines.append("  note: \(note)") }
        lines.append("")
        lines += propertyTable(result.properties, sanity: sanity)
        for property in result.properties {
            if let why = sanity[property.name]?.note, let label = sanity[property.name]?.label {
                lines.append("  \(property.name) is \(label): \(why)")
            }
        }
        for property in result.properties where property.trace == nil {
            if let note = property.note { lines.append("  \(property.name): \(note)") }
        }
        lines += Self.openLines(result.properties, column: nil)
        for property in result.properties {
            guard let trace = property.trace else { continue }
            if property.verdict == .reachable && !showWitnesses { continue }
            lines.append("")
            let what = property.verdict == .reachable ? "Witness" : "Counterexample"
            let shape = trace.loopStart != nil ? "lasso" : "\(trace.length) step\(trace.length == 1 ? "" : "s")"
            lines.append("\(what) for \(property.name) (\(property.kind.rawValue), \(shape)):")
            lines += renderTrace(trace, cellNames: result.cellNames)
            if let note = property.note { lines.append("  (\(note))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Under `--engine both`, why an engine left open a property: the SMT engine's note when it has no verdict (the
    /// explicit one stands), the explorer's when only the SMT engine decided. The property's own note is the
    /// engine's whose verdict it shows, so these lines are the other engine's reason, which the merge would
    /// otherwise hide. Nothing for a disagreement (its note says it) or a property both engines decided.
    /// Properties left open for the same reason share one line, `P1, P2, P3: left open by the SMT engine: NOTE`
    /// (with ` #k` after the names under a combination `column`): when a combination's time share runs out, every
    /// property it had not decided carries the same note, and a line each repeated it dozens of times (361 lines
    /// on v2-user-access at `--timeout 10`). The lines keep the order of each group's first property; JSON and
    /// JUnit keep the note per property.
    static func openLines(_ properties: [PropertyResult], column: String?) -> [String] {
        var groups: [(reason: String, names: [String])] = []
        for property in properties {
            for reason in openReasons(property) {
                if let index = groups.firstIndex(where: { $0.reason == reason }) {
                    groups[index].names.append(property.name)
                } else {
                    groups.append((reason, [property.name]))
                }
            }
        }
        return groups.map { group in
            "  " + group.names.joined(separator: ", ") + (column.map { " " + $0 } ?? "") + ": " + group.reason
        }
    }

    /// Why each engine left `property` open: `left open by the SMT engine: NOTE` (and the explicit engine's), for
    /// the text output's `openLines` and JUnit's `system-out`.
    static func openReasons(_ property: PropertyResult) -> [String] {
        guard let engines = property.engines, !engines.disagree else { return [] }
        var reasons: [String] = []
        if engines.smt.verdict == .unknown {
            reasons.append("left open by the SMT engine: \(engines.smt.note ?? "no reason given")")
        }
        if engines.explicit.verdict == .unknown, engines.smt.verdict != .unknown {
            reasons.append("left open by the explicit engine: \(engines.explicit.note ?? "no reason given")")
        }
        return reasons
    }

    /// The statistics line of one run: states, transitions, depth, time, rate, threads and reductions.
    func summary(_ result: CheckResult) -> String {
        let statistics = result.statistics
        var summary = "\(statistics.states) states, \(statistics.transitions) transitions, depth \(statistics.depth), "
            + "\(Markup.fixed(statistics.seconds, places: 2)) s, \(Markup.grouped(Int(statistics.statesPerSecond.rounded()))) states/s"
            + (statistics.threads > 1 ? " on \(statistics.threads) threads" : "")
            + (statistics.roundsOnOneThread > 0
               ? " (\(Markup.grouped(statistics.roundsOnOneThread)) of \(Markup.grouped(statistics.rounds)) rounds on one, faster there)" : "")
        if result.engine == .smt {
            // The symbolic engine enumerates no states: its bounds and proofs are in the property notes. Its
            // statistics list the methods it ran (bmc, k-induction, pdr) where the explorer lists reductions.
            let methods = statistics.methods.isEmpty ? "" : " (" + statistics.methods.joined(separator: ", ") + ")"
            return "symbolic run\(methods), \(Markup.fixed(statistics.seconds, places: 2)) s"
        }
        if !statistics.reductions.isEmpty { summary += ", reductions: " + statistics.reductions.joined(separator: ", ") }
        return summary
    }

    /// The property table: name, kind, expected, verdict and whether it meets the expectation.
    public func propertyTable(_ properties: [PropertyResult], sanity: [String: PropertySanity] = [:]) -> [String] {
        let showSanity = properties.contains { (sanity[$0.name] ?? .ok) != .ok }
        let header = ["property", "kind", "expected", "verdict"] + (showSanity ? ["sanity"] : []) + [""]
        var rows = [header]
        for property in properties {
            let status = property.meetsExpectation ? "ok" : property.verdict == .unknown ? "UNKNOWN" : "FAIL"
            rows.append([property.name, property.kind.rawValue, property.expected.rawValue, property.verdict.rawValue]
                        + (showSanity ? [sanity[property.name]?.label ?? "-"] : []) + [status])
        }
        return Markup.alignedColumns(rows)
    }

    /// Numbered steps; the first lists every cell, later ones only the cells that changed.
    public func renderTrace(_ trace: Trace, cellNames: [String]) -> [String] {
        var lines: [String] = []
        var previous: [String]?
        for (number, step) in trace.steps.enumerated() {
            var title = "  \(number). \(step.label)"
            if let loopStart = trace.loopStart, number == loopStart { title += "   <- loop starts here" }
            if let loopStart = trace.loopStart, number == trace.steps.count - 1, number != loopStart {
                title += "   (back to the state of step \(loopStart))"
            }
            lines.append(title)
            for (cell, value) in step.values.enumerated() where previous?[cell] != value {
                lines.append("       \(cellNames[cell]) = \(value)")
            }
            if let previous, previous == step.values { lines.append("       (no change)") }
            previous = step.values
        }
        if let failure = trace.failure {
            lines.append("  \(trace.steps.count). \(failure.label) fails at line \(failure.line):\(failure.column): \(failure.message)")
        }
        if let loopStart = trace.loopStart, loopStart == trace.steps.count - 1 {
            lines.append("  (the execution stays in the state of step \(loopStart) forever)")
        }
        return lines
    }
}
