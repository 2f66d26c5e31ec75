import Foundation
import ModelLanguage
import PackedSystem
import Review

/// The text `vfio-mc replay` prints: Review replays a log (`ReplayResult`, `MatrixReplay`, `ReplayOutcome`) and
/// returns values; this words them (the events with the model states consistent with them, then the states
/// reached, or the first event the model cannot take with what it could do instead).
public enum ReplayTextRenderer {
    /// The report of either kind of replay.
    public static func render(_ outcome: ReplayOutcome, logName: String) -> String {
        switch outcome {
        case .single(let result): return render(result, logName: logName)
        case .matrix(let matrix): return render(matrix, logName: logName)
        }
    }

    /// The summary of a replay under every combination (one line per combination: accepts, or the first event it
    /// rejects), then each replay's report.
    public static func render(_ matrix: MatrixReplay, logName: String) -> String {
        let runs = matrix.runs
        var lines = ["\(logName): accepted by \(matrix.accepting.count) of \(runs.count) combination\(runs.count == 1 ? "" : "s")"]
        for (index, run) in runs.enumerated() {
            let outcome: String
            if let rejection = run.result.rejection {
                outcome = "rejects event \(rejection.eventIndex + 1) (line \(rejection.event.line): \(rejection.event.description))"
            } else if !run.result.conforms {
                outcome = "accepts the events, but the run is not complete (--complete)"
            } else {
                outcome = "accepts"
            }
            lines.append("  #\(index + 1) \(run.assignment): \(outcome)")
        }
        for (index, run) in runs.enumerated() {
            lines.append("")
            lines.append("== #\(index + 1) \(run.assignment)")
            lines.append(render(run.result, logName: logName).trimmingCharacters(in: .newlines))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report of one replay.
    public static func render(_ result: ReplayResult, logName: String) -> String {
        let (log, mapping, mode, system, steps) = (result.log, result.mapping, result.mode, result.system, result.steps)
        let (rejection, completion, finalStates) = (result.rejection, result.completion, result.finalStates)
        var lines: [String] = []
        let mapped = mapping.map { "\($0.name) = \($0.device)" }.joined(separator: ", ")
        lines.append("\(logName): \(log.events.count) event\(log.events.count == 1 ? "" : "s") (\(log.format.rawValue) format, "
                     + "\(log.skippedLines) other line\(log.skippedLines == 1 ? "" : "s") skipped); devices: \(mapped.isEmpty ? "none" : mapped)")
        switch mode {
        case .events:
            let kinds = Set(system.actions.flatMap { $0.emissions.map(\.kind) })
            lines.append("model \(system.name), matching the events it emits (" + EventKind.allCases.filter(kinds.contains).map(\.rawValue).joined(separator: ", ")
                         + "): only actions that emit nothing are hidden steps")
        case .stateProjection:
            lines.append("model \(system.name), device state \(result.variable) (state-projection matching: the model declares no events)")
        }
        if let start = result.start { lines.append("start: \(start)") }
        for attempt in result.attempts { lines.append("  also tried \(attempt)") }
        let (unrecordedKinds, uncheckedLines, unloggedDevices) = (result.unrecordedKinds, result.uncheckedLines, result.unloggedDevices)
        if !unrecordedKinds.isEmpty {
            lines.append("note: the log records no \(unrecordedKinds.map { "'\($0)'" }.joined(separator: " or ")) events; the model's are not required")
        }
        if !uncheckedLines.isEmpty {
            lines.append("note: \(uncheckedLines.count) event\(uncheckedLines.count == 1 ? " is" : "s are") not checked (line\(uncheckedLines.count == 1 ? "" : "s") "
                         + uncheckedLines.map(String.init).joined(separator: ", ") + "): the model emits no events of that kind")
        }
        if !unloggedDevices.isEmpty {
            lines.append("warning: the log names \(mapping.count) device\(mapping.count == 1 ? "" : "s") and the model has "
                         + "\(mapping.count + unloggedDevices.count); \(unloggedDevices.joined(separator: ", ")) never appear\(unloggedDevices.count == 1 ? "s" : "") in the log"
                         + (result.sizing.map { " (\($0) sizes the model to the log)" } ?? ""))
        }
        lines.append("")
        let width = String(log.events.map(\.line).max() ?? 0).count
        for step in steps {
            let number = String(step.event.line).leftPadded(to: width)
            switch mode {
            case .events:
                lines.append("  line \(number)  \(step.event.description)  ->  \(step.emittedBy.joined(separator: " | ")), "
                             + "\(step.states) model state\(step.states == 1 ? "" : "s")")
            case .stateProjection:
                lines.append("  line \(number)  \(step.event.description)  ->  \(step.device) \(step.deviceValues.joined(separator: "|")), "
                             + "\(step.states) model state\(step.states == 1 ? "" : "s")")
            }
        }
        if let rejection {
            let number = String(rejection.event.line).leftPadded(to: width)
            lines.append("  line \(number)  \(rejection.event.description)  ->  REJECTED")
            lines.append("")
            lines += explanation(of: rejection, mode: mode)
            lines.append("")
            lines.append("Result: the log does not conform to the model (first rejected event: line \(rejection.event.line))")
        } else if completion == .unfinished {
            lines.append("")
            lines.append("The log ends where the model cannot finish (no terminal state, and every state has successors, without "
                         + (mode == .events ? "an event the log would show)." : "a device state change the log would show).")
                         + " The \(finalStates.count) model state\(finalStates.count == 1 ? "" : "s") it ends in:")
            lines += stateSummary(finalStates, system: system)
            lines.append("")
            lines.append("Result: the log is not a complete run of the model (--complete)")
        } else {
            lines.append("")
            lines.append("Result: the log conforms to the model\(completion == .finished ? " and is a complete run" : ""); \(finalStates.count) model state\(finalStates.count == 1 ? "" : "s") "
                         + "match\(finalStates.count == 1 ? "es" : "") it:")
            lines += stateSummary(finalStates, system: system)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The most moves listed.
    static let maximumMoves = 24

    /// Why the model could not take a rejected line, in the words of the matching mode: what it could emit
    /// (events) or which device state changes it could make (state projection) instead.
    static func explanation(of rejection: ReplayRejection, mode: ReplayMode) -> [String] {
        var lines: [String] = []
        let before = "Before it, \(rejection.statesBefore) model state\(rejection.statesBefore == 1 ? " is" : "s are") consistent with the log"
        let devices = rejection.deviceStates.map { "  \($0.device): \($0.values.joined(separator: " | "))" }
        switch mode {
        case .events:
            lines.append("The model cannot emit line \(rejection.event.line) (\(rejection.event.description)) as \(rejection.device) there.")
            lines.append(before + (rejection.deviceStates.isEmpty ? "." : ", with the devices in:"))
            lines += devices
        case .stateProjection:
            lines.append("The model cannot take line \(rejection.event.line) (\(rejection.event.description)) as \(rejection.device).")
            lines.append(before + ", with the devices in:")
            lines += devices
            if let hint = rejection.hint {
                lines.append("The model lets \(rejection.device) reach \(rejection.event.stateAfter ?? "that state") only after other devices move:")
                lines += hint.map { "  " + $0 }
            }
        }
        if rejection.moves.isEmpty {
            lines.append(mode == .events ? "The model can emit no event from there." : "The model can make no device state change from there.")
        } else {
            lines.append(mode == .events ? "What the model can emit there instead (after any steps that emit nothing):"
                         : "The model's possible moves from there (device state changes, after any steps that change none):")
            let shown = rejection.moves.prefix(Self.maximumMoves)
            lines += shown.map { "  " + $0 }
            if rejection.moves.count > shown.count { lines.append("  ... and \(rejection.moves.count - shown.count) more") }
        }
        if rejection.canStop { lines.append("The model can also stop there (a state without successors).") }
        if rejection.bounded {
            lines.append("(The search for this event stopped after its step limit with states left; --max-steps raises it.)")
        }
        return lines
    }

    /// The cells with one value in every state (`name = value`), then the ones that vary (`name in {a, b}`).
    static func stateSummary(_ states: [[UInt64]], system: TransitionSystem) -> [String] {
        guard !states.isEmpty else { return [] }
        let names = system.cellNames
        var values: [[String]] = Array(repeating: [], count: names.count)
        for state in states {
            for (cell, value) in system.formattedCells(state).enumerated() where !values[cell].contains(value) {
                values[cell].append(value)
            }
        }
        var fixed: [String] = []
        var varying: [String] = []
        for (cell, name) in names.enumerated() {
            if values[cell].count == 1 {
                fixed.append("\(name) = \(values[cell][0])")
            } else {
                varying.append("\(name) in {\(values[cell].sorted().joined(separator: ", "))}")
            }
        }
        var lines = wrap(fixed, indent: "  ")
        if !varying.isEmpty {
            lines.append("  varying:")
            lines += wrap(varying, indent: "    ")
        }
        return lines
    }

    /// Items joined with commas, wrapped at 110 columns.
    static func wrap(_ items: [String], indent: String) -> [String] {
        var lines: [String] = []
        var line = indent
        for (index, item) in items.enumerated() {
            let piece = item + (index == items.count - 1 ? "" : ",")
            if line.count > indent.count && line.count + 1 + piece.count > 110 {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + piece
        }
        if line.count > indent.count { lines.append(line) }
        return lines
    }
}
