import Analysis
import ModelLanguage
import PackedSystem

/// Checks a log against a model that declares its observable events (`emits`, docs/language.md): the log is matched
/// event by event against the events the model's actions emit, in order.
///
/// Why not the state projection (`Replayer`): a QEMU log records every SET it issues (the trace point fires before
/// the ioctl, whether it succeeds or not), so a step that issues a SET is observable even when no device state
/// changes; matching by device state let a hidden failed SET explain a log that never showed it. Here only actions
/// that emit nothing are hidden steps.
///
/// Replay tracks the set of configurations consistent with the log so far: a model state, and the events the last
/// fired action emitted that the log has not shown yet (an action may emit several, such as QEMU's SET and then its
/// VM-state trace). For the next log event, a configuration that owes events must show its first owed event; one
/// that owes none may take any number (at most `maxSteps`) of steps that emit nothing and then one step whose first
/// event is the log event. A log event whose kind the model never emits (an observation line against a model that
/// declares no `state` events) is not checked, and the report says so.
public final class EventReplayer {
    /// A model state and the events the log still owes it.
    struct Configuration: Hashable {
        let state: [UInt64]
        let owed: [EmittedEvent]
    }

    /// The system replayed against.
    public let system: TransitionSystem
    /// The options.
    public let options: ReplayOptions
    private let signature: EventSignature
    private let startStates: [[UInt64]]
    private let relation: TransitionRelation
    /// The model's devices: their names (for the mapping and the report) and their values of the device type.
    private let deviceNames: [String]
    private let deviceValues: [Int64]
    /// The kinds some ground action emits.
    private let emittedKinds: Set<EventKind>
    /// The kinds the log being replayed records: an emitted event of another kind is one the log does not record
    /// at all (a hand-written log without `state` lines, a QEMU run without `-trace 'vfio_vmstate_change*'`), so it
    /// is not required.
    private var loggedKinds: Set<EventKind> = Set(EventKind.allCases)

    /// Prepares a replay from `startStates` (default: the model's initial states). Throws when the model declares no
    /// events.
    public init(system: TransitionSystem, startStates: [[UInt64]]? = nil, options: ReplayOptions = ReplayOptions()) throws {
        guard let signature = system.model.eventSignature else {
            throw ReviewError.failure("the model declares no events (no action has an 'emits' clause)")
        }
        self.system = system
        self.options = options
        self.signature = signature
        self.startStates = startStates ?? system.initialStates
        relation = TransitionRelation(system)
        emittedKinds = Set(system.actions.flatMap { $0.emissions.map(\.kind) })
        // The devices: the projection's when its device type is the events' (names like `Dev 0`), else the values of
        // the device type, else (an integer device) 0, 1, ... as many as the projection or the log needs.
        let projection = DeviceProjection.detect(system)
        let projected = projection.devices.compactMap { device in device.value.map { (device.name, $0) } }
        if !projected.isEmpty, projected.count == projection.devices.count,
           projection.deviceType.map({ $0.valueType == signature.deviceType || (signature.deviceType == .int && $0.valueType == .int) }) ?? false {
            deviceNames = projected.map(\.0)
            deviceValues = projected.map(\.1)
        } else if let values = signature.deviceType.finiteValues {
            deviceNames = values.map(signature.deviceType.format)
            deviceValues = values
        } else {
            let count = max(1, projection.devices.count)
            deviceValues = (0..<count).map(Int64.init)
            deviceNames = deviceValues.map { "device \($0)" }
        }
    }

    /// The value of a state name of the events' state type (`STOP_COPY`, also `VFIO_DEVICE_STATE_STOP_COPY`; a number
    /// for an integer type), or nil.
    public func value(of name: String) -> Int64? {
        let bare = name.hasPrefix("VFIO_DEVICE_STATE_") ? String(name.dropFirst("VFIO_DEVICE_STATE_".count)) : name
        if let values = signature.stateType.finiteValues {
            return values.first { signature.stateType.format($0) == bare || signature.stateType.format($0) == name }
        }
        return Int64(bare)
    }

    private func state(_ name: String, event: ProtocolEvent, log: String) throws -> Int64 {
        guard let value = value(of: name) else {
            let known = signature.stateType.finiteValues.map { ": its states are " + $0.map(signature.stateType.format).joined(separator: ", ") } ?? ""
            throw ReviewError(.logEvent(log: log, line: event.line,
                                        message: "'\(name)' is not a state of the model's events (\(signature.stateType.description)\(known))"))
        }
        return value
    }

    /// A log event with its names resolved to model values.
    struct Wanted {
        let kind: EventKind
        let device: Int64
        let requested: Int64?
        let recover: Int64?
        let outcome: ProtocolEvent.Outcome
        let after: Int64?

        func matches(_ event: EmittedEvent) -> Bool {
            guard event.kind == kind, event.device == device else { return false }
            if let after, event.state != after { return false }
            guard kind == .set else { return true }
            guard event.requested == requested else { return false }
            if let recover, let emitted = event.recover, recover != emitted { return false }
            switch outcome {
            case .ok: return event.state == event.requested
            case .fail: return event.state != event.requested
            case .unknown: return true
            }
        }
    }

    /// Replays a log. Throws a `ReviewError` for a state name the model does not know or a device mapping that does
    /// not fit; a log the model cannot follow is a result, not an error.
    public func replay(_ log: EventLog, logName: String = "log") throws -> ReplayResult {
        guard !log.events.isEmpty else {
            throw ReviewError.failure("\(logName): the log has no protocol events (\(log.skippedLines) other line\(log.skippedLines == 1 ? "" : "s")); "
                              + "for QEMU, enable -trace 'vfio_migration_*' -trace 'vfio_vmstate_change*'")
        }
        let mapping = try DeviceMapping.resolve(names: log.deviceNames, explicit: options.mapping, deviceNames: deviceNames)
        var wanted: [Wanted?] = []
        for event in log.events {
            let device = deviceValues[mapping[event.device] ?? 0]
            let after = try event.stateAfter.map { try state($0, event: event, log: logName) }
            switch event.kind {
            case .set(let requested, let recover):
                wanted.append(Wanted(kind: .set, device: device, requested: try state(requested, event: event, log: logName),
                                     recover: try recover.map { try state($0, event: event, log: logName) },
                                     outcome: event.outcome, after: after))
            case .reset:
                wanted.append(Wanted(kind: .reset, device: device, requested: nil, recover: nil, outcome: .ok, after: after))
            case .observed:
                wanted.append(Wanted(kind: .state, device: device, requested: nil, recover: nil, outcome: .ok, after: after))
            }
        }
        loggedKinds = Set(wanted.compactMap { $0?.kind })
        let unrecorded = EventKind.allCases.filter { emittedKinds.contains($0) && !loggedKinds.contains($0) }.map(\.rawValue)
        var order = startStates.map { Configuration(state: $0, owed: []) }
        var steps: [ReplayStep] = []
        var unchecked: [Int] = []
        let names = Dictionary(uniqueKeysWithValues: mapping.map { ($0.value, $0.key) })
        for (index, event) in log.events.enumerated() {
            guard let want = wanted[index], let device = mapping[event.device] else { continue }
            guard emittedKinds.contains(want.kind) else {
                unchecked.append(event.line)
                continue
            }
            let search = match(order, want)
            if search.landed.isEmpty {
                let expected = nextEvents(order, names: names)
                let rejection = ReplayRejection(
                    eventIndex: index, event: event, device: deviceNames[device], statesBefore: Set(order.map(\.state)).count,
                    deviceStates: deviceStates(order.map(\.state)), moves: expected.events, bounded: expected.bounded || search.bounded, hint: nil, canStop: expected.canStop)
                var result = ReplayResult(log: log, variable: "events", mapping: mappingList(log, mapping), steps: steps,
                                          finalStates: order.map(\.state), rejection: rejection, system: system)
                result.mode = .events
                result.unrecordedKinds = unrecorded
                result.uncheckedLines = unchecked
                result.unloggedDevices = unlogged(mapping)
                return result
            }
            order = search.landed
            var step = ReplayStep(event: event, device: deviceNames[device], states: Set(order.map(\.state)).count, deviceValues: [])
            step.emittedBy = search.actions
            steps.append(step)
        }
        var result = ReplayResult(log: log, variable: "events", mapping: mappingList(log, mapping), steps: steps,
                                  finalStates: uniqueStates(order), rejection: nil, system: system)
        result.mode = .events
        result.unrecordedKinds = unrecorded
        result.uncheckedLines = unchecked
        result.unloggedDevices = unlogged(mapping)
        if options.requireComplete {
            result.completion = canFinish(order) ? .finished : .unfinished
        }
        return result
    }

    /// Per device, the values of its state cell in the states, when the projection finds a device state variable
    /// (context for a rejection; empty otherwise).
    private func deviceStates(_ states: [[UInt64]]) -> [(device: String, values: [String])] {
        let projection = DeviceProjection.detect(system)
        guard let variable = projection.stateVariables.first, variable.fields.count == projection.devices.count else { return [] }
        return projection.devices.indices.map { device in
            let field = system.layout.fields[variable.fields[device]]
            let values = Set(states.map { field.read($0) }).sorted().map(variable.valueType.format)
            return ("\(projection.devices[device].name) (\(variable.name))", values)
        }
    }

    /// The events a step emits that the log records (see `loggedKinds`).
    private func observed(_ successor: Successor) -> [EmittedEvent] {
        relation.events(of: successor.action, after: successor.state).filter { loggedKinds.contains($0.kind) }
    }

    private func uniqueStates(_ configurations: [Configuration]) -> [[UInt64]] {
        var seen = StateSet()
        for configuration in configurations { seen.insert(configuration.state) }
        return seen.states
    }

    private func mappingList(_ log: EventLog, _ mapping: [String: Int]) -> [(name: String, device: String)] {
        log.deviceNames.compactMap { name in mapping[name].map { (name, deviceNames[$0]) } }
    }

    private func unlogged(_ mapping: [String: Int]) -> [String] {
        deviceNames.indices.filter { device in !mapping.values.contains(device) }.map { deviceNames[$0] }
    }

    /// The configurations after the log event: owed events first, else hidden steps and one emitting step. Also the
    /// labels of the actions that emitted the event, and whether the search stopped at the step limit.
    private func match(_ start: [Configuration], _ want: Wanted) -> (landed: [Configuration], actions: [String], bounded: Bool) {
        var landed: [Configuration] = []
        var landedSet: Set<Configuration> = []
        var labels: [String] = []
        func land(_ configuration: Configuration, by label: String?) {
            if landedSet.insert(configuration).inserted { landed.append(configuration) }
            if let label, !labels.contains(label) { labels.append(label) }
        }
        let bounded = firstEvents(from: start, owed: { configuration, first in
            guard want.matches(first) else { return }
            land(Configuration(state: configuration.state, owed: Array(configuration.owed.dropFirst())), by: nil)
            if !labels.contains("(same step)") { labels.append("(same step)") }
        }, emitted: { successor, events in
            guard let first = events.first, want.matches(first) else { return }
            land(Configuration(state: successor.state, owed: Array(events.dropFirst())), by: system.actions[successor.action].label)
        })
        return (landed, labels, bounded)
    }

    /// The search both matching and explaining stand on: from the configurations, each owed event is handed to
    /// `owed`; the other states are expanded breadth-first through steps that emit nothing (up to the step limit),
    /// and each step that emits is handed to `emitted` with its events and not followed further. `deadEnd` is
    /// called for a state without successors. Returns whether the search stopped at the step limit with states left.
    private func firstEvents(from start: [Configuration], owed: (Configuration, EmittedEvent) -> Void,
                             emitted: (Successor, [EmittedEvent]) -> Void, deadEnd: () -> Void = {}) -> Bool {
        var visited = StateSet()
        var frontier: [[UInt64]] = []
        for configuration in start {
            if let first = configuration.owed.first {
                owed(configuration, first)
            } else if visited.insert(configuration.state) {
                frontier.append(configuration.state)
            }
        }
        var step = 0
        while !frontier.isEmpty && step < options.maxSteps {
            var next: [[UInt64]] = []
            for state in frontier {
                let successors = relation.successors(of: state)
                if successors.isEmpty { deadEnd() }
                for successor in successors {
                    let events = observed(successor)
                    if !events.isEmpty {
                        emitted(successor, events)
                    } else if visited.insert(successor.state) {
                        next.append(successor.state)
                    }
                }
            }
            frontier = next
            step += 1
        }
        return !frontier.isEmpty
    }

    /// What the model can emit next from the configurations (owed events, or the first event of a step after steps
    /// that emit nothing), in the log's native format with the log's device names, each with the action; whether it
    /// can also stop (a state without successors) before emitting; whether the search hit the step limit.
    private func nextEvents(_ start: [Configuration], names: [Int: String]) -> (events: [String], canStop: Bool, bounded: Bool) {
        var lines: [String] = []
        var canStop = false
        func add(_ event: EmittedEvent, _ label: String) {
            let line = describe(event, names: names) + "  (" + label + ")"
            if !lines.contains(line) { lines.append(line) }
        }
        let bounded = firstEvents(from: start, owed: { _, first in add(first, "owed by the step before") },
                                  emitted: { successor, events in
                                      if let first = events.first { add(first, system.actions[successor.action].label) }
                                  },
                                  deadEnd: { canStop = true })
        return (lines, canStop, bounded)
    }

    /// Whether the model can finish after the log: some configuration owes nothing and reaches, by steps that emit
    /// nothing, a `terminal` state or one without successors.
    private func canFinish(_ configurations: [Configuration]) -> Bool {
        var visited = StateSet()
        var frontier = configurations.filter(\.owed.isEmpty).map(\.state).filter { visited.insert($0) }
        var step = 0
        while !frontier.isEmpty && step <= options.maxSteps {
            var next: [[UInt64]] = []
            for state in frontier {
                if case .success(let value) = relation.evaluate(system.terminalProgram, in: state), value != 0 { return true }
                let successors = relation.successors(of: state)
                if successors.isEmpty { return true }
                for successor in successors where observed(successor).isEmpty {
                    if visited.insert(successor.state) { next.append(successor.state) }
                }
            }
            frontier = next
            step += 1
        }
        return false
    }

    /// An emitted event in the native log format, with the log's name for its device when the log names it.
    func describe(_ event: EmittedEvent, names: [Int: String]) -> String {
        let device = deviceValues.firstIndex(of: event.device).map { names[$0] ?? deviceNames[$0] } ?? signature.deviceType.format(event.device)
        let format = signature.stateType.format
        switch event.kind {
        case .set:
            let requested = event.requested.map(format) ?? "?"
            var text = "\(device) set \(requested) " + (event.state == event.requested ? "ok" : "fail \(format(event.state))")
            if let recover = event.recover { text += " recover \(format(recover))" }
            return text
        case .reset:
            return "\(device) reset \(format(event.state))"
        case .state:
            return "\(device) state \(format(event.state))"
        }
    }
}
