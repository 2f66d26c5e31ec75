import Analysis
import PackedSystem

/// Settings of a replay.
public struct ReplayOptions: Sendable {
    /// The longest path (in model transitions) the search may take to match one event.
    public var maxSteps = 64
    /// The device state variable events refer to (default: the first one the projection finds).
    public var stateVariable: String?
    /// Log device name -> model device (its position `0`, `1`, ... or its name, `Dev 1`).
    public var mapping: [String: String] = [:]
    /// Require the log to be a complete run: after its last event the model must be able to finish (reach a
    /// `terminal` state, or a state without successors) by steps that change no device's state.
    public var requireComplete = false

    /// Default settings.
    public init() {}
}

/// Checks that a log of protocol events is a behaviour of a model.
///
/// The model declares nothing special: the projection of the reports (`DeviceProjection`) tells which values are
/// devices and which variable holds a device's state. Replay tracks the SET of model states consistent with the
/// events so far (the model is nondeterministic), starting from the initial states (or given start states). An
/// event of device d that says d's state afterwards is X is matched by every path of at most `maxSteps` model
/// transitions that changes no other device's state cell, changes d's cell any number of times (the arcs of a
/// combination transition, a failure, a recovery SET, a reset) and ends with the first change that makes it X, or
/// is empty when d is already in X. Every other transition (QEMU's bookkeeping, the kernel's calls that change no
/// state, DMA) may happen anywhere along the path. An event whose state afterwards is unknown (a failed SET the log
/// says nothing more about) is matched by every such path, wherever it ends. The states where the matched paths
/// end are the new set; an event that leaves the set empty is rejected.
public final class Replayer {
    /// The system replayed against.
    public let system: TransitionSystem
    /// The devices and state variables.
    public let projection: DeviceProjection
    /// The state variable events refer to.
    public let variable: DeviceProjection.StateVariable
    /// The options.
    public let options: ReplayOptions
    private let startStates: [[UInt64]]
    private let relation: TransitionRelation

    /// Prepares a replay from `startStates` (default: the model's initial states). Throws when the model has no
    /// device state variable, or the one named in the options does not exist.
    public init(system: TransitionSystem, startStates: [[UInt64]]? = nil, options: ReplayOptions = ReplayOptions()) throws {
        self.system = system
        self.options = options
        projection = DeviceProjection.detect(system)
        guard !projection.stateVariables.isEmpty else {
            throw ReviewError.failure("replay needs a device state variable and none was found: \(projection.summary) "
                              + "(docs/reports.md explains the projection heuristic)")
        }
        if let name = options.stateVariable {
            guard let chosen = projection.stateVariables.first(where: { $0.name == name }) else {
                throw ReviewError.failure("--state-variable \(name): not a device state variable of the model (it has: "
                                  + projection.stateVariables.map(\.name).joined(separator: ", ") + ")")
            }
            variable = chosen
        } else {
            variable = projection.stateVariables[0]
        }
        self.startStates = startStates ?? system.initialStates
        relation = TransitionRelation(system)
    }

    /// The value of a state name of the variable's type (`STOP_COPY`, also `VFIO_DEVICE_STATE_STOP_COPY`; a number
    /// for an integer type), or nil.
    public func value(of name: String) -> Int64? {
        let type = variable.valueType
        let bare = name.hasPrefix("VFIO_DEVICE_STATE_") ? String(name.dropFirst("VFIO_DEVICE_STATE_".count)) : name
        return type.values.first { type.format($0) == bare || type.format($0) == name }
    }

    private func value(of name: String, event: ProtocolEvent, log: String) throws -> Int64 {
        guard let value = value(of: name) else {
            throw ReviewError(.logEvent(log: log, line: event.line,
                                        message: "'\(name)' is not a state of \(variable.name) (its states: "
                                            + variable.valueType.values.map(variable.valueType.format).joined(separator: ", ") + ")"))
        }
        return value
    }

    private func cell(_ state: [UInt64], _ device: Int) -> Int64 {
        system.layout.fields[variable.fields[device]].read(state)
    }

    /// Replays a log. `logName` is used in messages. Throws a `ReviewError` for a state name the model does not
    /// know or a device mapping that does not fit; a log the model cannot follow is a result, not an error.
    public func replay(_ log: EventLog, logName: String = "log") throws -> ReplayResult {
        // An empty log "conforms" to every model, which tells a reviewer nothing: most likely the wrong file, or
        // QEMU ran without the trace events enabled.
        guard !log.events.isEmpty else {
            throw ReviewError.failure("\(logName): the log has no protocol events (\(log.skippedLines) other line\(log.skippedLines == 1 ? "" : "s")); "
                              + "for QEMU, enable -trace 'vfio_migration_*' -trace 'vfio_vmstate_change*'")
        }
        let mapping = try DeviceMapping.resolve(names: log.deviceNames, explicit: options.mapping, devices: projection.devices)
        // Resolve every state name first, so that a typo is an error even after a rejection.
        var targets: [Int64?] = []
        for event in log.events {
            if case .set(let requested, let recover) = event.kind {
                _ = try value(of: requested, event: event, log: logName)
                if let recover { _ = try value(of: recover, event: event, log: logName) }
            }
            if let after = event.stateAfter {
                targets.append(try value(of: after, event: event, log: logName))
            } else if case .reset = event.kind {
                guard let running = value(of: "RUNNING") else {
                    throw ReviewError(.logEvent(log: logName, line: event.line,
                                                message: "say which state the reset leaves the device in "
                                                    + "(\(variable.name) has no state RUNNING)"))
                }
                targets.append(running)
            } else {
                targets.append(nil)
            }
        }
        var current = StateSet(startStates)
        var steps: [ReplayStep] = []
        let type = variable.valueType
        for (index, event) in log.events.enumerated() {
            guard let device = mapping[event.device] else { continue }
            let search = match(from: current, device: device, target: targets[index])
            if search.landed.isEmpty {
                let rejection = ReplayRejection(
                    eventIndex: index, event: event, device: projection.devices[device].name, statesBefore: current.count,
                    deviceStates: deviceValues(current), moves: moves(from: current), bounded: search.bounded,
                    hint: targets[index].flatMap { hint(from: current, device: device, target: $0) },
                    canStop: canStop(current))
                var result = ReplayResult(log: log, variable: variable.name, mapping: mappingList(log, mapping), steps: steps,
                                          finalStates: current.states, rejection: rejection, system: system)
                result.unloggedDevices = unlogged(mapping)
                return result
            }
            current = search.landed
            steps.append(ReplayStep(event: event, device: projection.devices[device].name, states: current.count,
                                    deviceValues: Set(current.states.map { cell($0, device) }).sorted().map(type.format)))
        }
        var result = ReplayResult(log: log, variable: variable.name, mapping: mappingList(log, mapping), steps: steps,
                                  finalStates: current.states, rejection: nil, system: system)
        result.unloggedDevices = unlogged(mapping)
        if options.requireComplete {
            result.completion = canFinish(current) ? .finished : .unfinished
        }
        return result
    }

    /// The model's devices no log device maps to.
    private func unlogged(_ mapping: [String: Int]) -> [String] {
        projection.devices.indices.filter { device in !mapping.values.contains(device) }.map { projection.devices[$0].name }
    }

    /// Whether the model can finish from `states` by steps that change no device's state: a `terminal` state, or a
    /// state without successors.
    private func canFinish(_ states: StateSet) -> Bool {
        silentClosure(states).states.contains { state in
            let terminal = state.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { relation.holds(system.terminalProgram, in: $0) } ?? false
            }
            return terminal || relation.successors(of: state).isEmpty
        }
    }

    private func mappingList(_ log: EventLog, _ mapping: [String: Int]) -> [(name: String, device: String)] {
        log.deviceNames.compactMap { name in mapping[name].map { (name, projection.devices[$0].name) } }
    }

    /// Whether only device `device` changed (or nothing) between `before` and `after`.
    private func othersUnchanged(_ before: [UInt64], _ after: [UInt64], except device: Int) -> Bool {
        for other in variable.fields.indices where other != device {
            if cell(before, other) != cell(after, other) { return false }
        }
        return true
    }

    /// The bounded search for one event (see the type's documentation).
    private func match(from start: StateSet, device: Int, target: Int64?) -> (landed: StateSet, bounded: Bool) {
        var searching = StateSet()
        var landed = StateSet()
        var frontier: [[UInt64]] = []
        for state in start.states {
            if searching.insert(state) { frontier.append(state) }
            if target == nil || cell(state, device) == target { landed.insert(state) }
        }
        var step = 0
        while !frontier.isEmpty && step < options.maxSteps {
            var next: [[UInt64]] = []
            for state in frontier {
                let before = cell(state, device)
                for successor in relation.successors(of: state).map(\.state) {
                    guard othersUnchanged(state, successor, except: device) else { continue }
                    let after = cell(successor, device)
                    if let target, after != before, after == target {
                        landed.insert(successor)
                        continue
                    }
                    if searching.insert(successor) {
                        next.append(successor)
                        if target == nil { landed.insert(successor) }
                    }
                }
            }
            frontier = next
            step += 1
        }
        return (landed, !frontier.isEmpty)
    }

    /// Per device, the values its state cell has in the set.
    private func deviceValues(_ states: StateSet) -> [(device: String, values: [String])] {
        let type = variable.valueType
        return projection.devices.indices.map { device in
            (projection.devices[device].name, Set(states.states.map { cell($0, device) }).sorted().map(type.format))
        }
    }

    /// The closure of a set under silent transitions (no device state changes), bounded by `maxSteps`.
    private func silentClosure(_ start: StateSet) -> StateSet {
        var closure = start
        var frontier = start.states
        var step = 0
        while !frontier.isEmpty && step < options.maxSteps {
            var next: [[UInt64]] = []
            for state in frontier {
                for successor in relation.successors(of: state).map(\.state) {
                    guard variable.fields.indices.allSatisfy({ cell(state, $0) == cell(successor, $0) }) else { continue }
                    if closure.insert(successor) { next.append(successor) }
                }
            }
            frontier = next
            step += 1
        }
        return closure
    }

    /// The device state changes the model can make next: from the set's silent closure, every transition that
    /// changes some device's state, as `Dev 1: RUNNING -> RUNNING_P2P (k_step)`.
    private func moves(from states: StateSet) -> [String] {
        let type = variable.valueType
        var seen: Set<String> = []
        var result: [String] = []
        for state in silentClosure(states).states {
            for next in relation.successors(of: state) {
                let changes = variable.fields.indices.compactMap { device -> String? in
                    let before = cell(state, device)
                    let after = cell(next.state, device)
                    return before == after ? nil : "\(projection.devices[device].name): \(type.format(before)) -> \(type.format(after))"
                }
                guard !changes.isEmpty else { continue }
                let line = changes.joined(separator: ", ") + " (\(system.actions[next.action].label))"
                if seen.insert(line).inserted { result.append(line) }
            }
        }
        return result
    }

    private func canStop(_ states: StateSet) -> Bool {
        silentClosure(states).states.contains { state in
            relation.successors(of: state).isEmpty
        }
    }

    /// When the device can reach the target only after other devices change: those changes, on a shortest such path
    /// (every device may move; at most `maxSteps` transitions).
    private func hint(from start: StateSet, device: Int, target: Int64) -> [String]? {
        var parent: [[UInt64]: (state: [UInt64], action: Int)] = [:]
        var visited = start
        var frontier = start.states
        var found: [UInt64]?
        var step = 0
        search: while !frontier.isEmpty && step < options.maxSteps {
            var next: [[UInt64]] = []
            for state in frontier {
                var hit: [UInt64]?
                for successor in relation.successors(of: state) {
                    guard hit == nil, visited.insert(successor.state) else { continue }
                    parent[successor.state] = (state, successor.action)
                    if cell(successor.state, device) == target && cell(state, device) != target { hit = successor.state }
                    next.append(successor.state)
                }
                if let hit {
                    found = hit
                    break search
                }
            }
            frontier = next
            step += 1
        }
        guard var state = found else { return nil }
        var path: [(from: [UInt64], action: Int, to: [UInt64])] = []
        while let link = parent[state] {
            path.append((link.state, link.action, state))
            state = link.state
        }
        let type = variable.valueType
        var lines: [String] = []
        for link in path.reversed() {
            for other in variable.fields.indices where other != device {
                let before = cell(link.from, other)
                let after = cell(link.to, other)
                if before != after {
                    lines.append("\(projection.devices[other].name): \(type.format(before)) -> \(type.format(after)) "
                                 + "(\(system.actions[link.action].label))")
                }
            }
        }
        return lines.isEmpty ? nil : lines
    }
}
