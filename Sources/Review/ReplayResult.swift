import ModelLanguage
import PackedSystem

/// One event the model followed.
public struct ReplayStep: Sendable {
    /// The event.
    public let event: ProtocolEvent
    /// The model device it was mapped to.
    public let device: String
    /// How many model states are consistent with the log up to and including this event.
    public let states: Int
    /// The device's state values in those model states (state-projection matching).
    public let deviceValues: [String]
    /// The actions that emitted the event (event matching); `(same step)` when the step before emitted it too.
    public var emittedBy: [String] = []
}

/// How a replay matched the log.
public enum ReplayMode: String, Sendable {
    /// Event by event against the events the model's actions emit (the model declares `emits`).
    case events
    /// By the device state cells (`DeviceProjection`), for a model that declares no events.
    case stateProjection = "state projection"
}

/// The first event the model cannot follow, and what the model could do instead.
public struct ReplayRejection: Sendable {
    /// The event's position in the log's events (0-based).
    public let eventIndex: Int
    /// The event.
    public let event: ProtocolEvent
    /// The model device it was mapped to.
    public let device: String
    /// How many model states were consistent with the log before the event.
    public let statesBefore: Int
    /// Per device, its state values in those model states.
    public let deviceStates: [(device: String, values: [String])]
    /// The device state changes the model can make next (after any number of steps that change no device state):
    /// `Dev 1: RUNNING -> RUNNING_P2P (k_step)`.
    public let moves: [String]
    /// Whether the search for the event stopped at the step limit with states left to explore.
    public let bounded: Bool
    /// When the device reaches the event's state only after other devices change: those changes, on a shortest path.
    public let hint: [String]?
    /// Whether the model can also stop (reach a state without successors) before the next device state change.
    public let canStop: Bool
}

/// The outcome of a replay: conformance, with the model states reached, or the first event the model cannot take.
public struct ReplayResult: Sendable {
    /// The log replayed.
    public let log: EventLog
    /// The device state variable the events were matched against.
    public let variable: String
    /// Log device name -> model device name, in order of first appearance.
    public let mapping: [(name: String, device: String)]
    /// The events the model followed.
    public let steps: [ReplayStep]
    /// The model states consistent with the whole log (when it conforms) or with the events before the rejected one.
    public let finalStates: [[UInt64]]
    /// The first event the model cannot take, if any.
    public let rejection: ReplayRejection?
    /// The system, to format states.
    public let system: TransitionSystem

    /// Whether the model allows the whole log.
    /// Whether a complete run was required, and whether the model can finish where the log ends.
    public enum Completion: Sendable {
        /// `--complete` was not given.
        case notRequired
        /// The model can finish after the last event.
        case finished
        /// The log stops in the middle of a run.
        case unfinished
    }

    /// Whether the log was required to be complete, and was.
    public var completion = Completion.notRequired
    /// The model's devices the log never names: they stay wherever the model lets them, which may be a mistake
    /// (a model sized for three devices replaying a two-device log).
    public var unloggedDevices: [String] = []
    /// A `--const` assignment that sizes the model to the log's devices, when one was found.
    public var sizing: String?
    /// How the log was matched.
    public var mode = ReplayMode.stateProjection
    /// Where the replay started (`the initial states`, `entry destination`, `--start EXPR`), when the command chose it.
    public var start: String?
    /// The other start points tried before this one, each with why it did not fit.
    public var attempts: [String] = []
    /// The log lines whose events were not checked: their kind is one the model never emits.
    public var uncheckedLines: [Int] = []
    /// The kinds of event the model emits and the log never records (so they were not required).
    public var unrecordedKinds: [String] = []

    public var conforms: Bool { rejection == nil && completion != .unfinished }

    /// 0 when the log conforms, 1 when the model rejects an event (or the run is incomplete under `--complete`).
    public var exitCode: Int32 { conforms ? 0 : 1 }

    /// The report `vfio-mc replay` prints.
    public func render(logName: String) -> String {
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
            lines.append("model \(system.name), device state \(variable) (state-projection matching: the model declares no events)")
        }
        if let start { lines.append("start: \(start)") }
        for attempt in attempts { lines.append("  also tried \(attempt)") }
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
                         + (sizing.map { " (\($0) sizes the model to the log)" } ?? ""))
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
            lines += Self.explanation(of: rejection, mode: mode)
            lines.append("")
            lines.append("Result: the log does not conform to the model (first rejected event: line \(rejection.event.line))")
        } else if completion == .unfinished {
            lines.append("")
            lines.append("The log ends where the model cannot finish (no terminal state, and every state has successors, without "
                         + (mode == .events ? "an event the log would show)." : "a device state change the log would show).")
                         + " The \(finalStates.count) model state\(finalStates.count == 1 ? "" : "s") it ends in:")
            lines += stateSummary(finalStates)
            lines.append("")
            lines.append("Result: the log is not a complete run of the model (--complete)")
        } else {
            lines.append("")
            lines.append("Result: the log conforms to the model\(completion == .finished ? " and is a complete run" : ""); \(finalStates.count) model state\(finalStates.count == 1 ? "" : "s") "
                         + "match\(finalStates.count == 1 ? "es" : "") it:")
            lines += stateSummary(finalStates)
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
    func stateSummary(_ states: [[UInt64]]) -> [String] {
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
        var lines = Self.wrap(fixed, indent: "  ")
        if !varying.isEmpty {
            lines.append("  varying:")
            lines += Self.wrap(varying, indent: "    ")
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

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
