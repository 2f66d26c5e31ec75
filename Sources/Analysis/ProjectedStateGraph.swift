import ModelLanguage
import PackedSystem

/// The reachable graph projected on one device state variable: nodes are the values the variable takes in
/// reachable states, edges the changes of that value observed on transitions, labelled with the actions.
public struct ProjectedStateGraph: Sendable, Hashable {
    /// An observed change of the projected value.
    public struct Edge: Sendable, Hashable {
        /// The value before.
        public let from: Int64
        /// The value after.
        public let to: Int64
        /// Names of the actions that made this change, in declaration order.
        public let actions: [String]
        /// How many transitions of the reachable graph made this change (summed over merged devices).
        public let transitions: Int
    }

    /// The state variable's name.
    public let variable: String
    /// The devices whose projection is this graph (several when their graphs are identical).
    public let devices: [String]
    /// The type of the values.
    public let valueType: FiniteType
    /// Values taken in reachable states, in the type's order.
    public let nodes: [Int64]
    /// Values taken in initial states.
    public let initial: [Int64]
    /// Changes, ordered by source then target value.
    public let edges: [Edge]

    /// The label of a value.
    public func label(_ value: Int64) -> String { valueType.format(value) }

    /// `st` for one device without a device type, else `st[Dev 0]` or `st[Dev 0, Dev 1]` for merged devices.
    public var title: String {
        devices == ["device"] ? variable : variable + " of " + devices.joined(separator: ", ")
    }

    /// The values never reached.
    public var unreachedValues: [Int64] { valueType.values.filter { !nodes.contains($0) } }
}

/// Builds projected state graphs from a reachable graph: add every state, then every transition, then ask for the graphs.
/// Renderers stay independent of the engine: the caller feeds the states, then the transitions (see
/// `ExplicitExplorer.forEachTransition`, or `forEachEdge` with `addEdge`).
public struct StateGraphProjector {
    private let projection: DeviceProjection
    private let actionNames: [String]
    private let fields: [FieldSlot]
    /// Per projected cell (state variable x device), flattened: the fields to read.
    private let cells: [(variable: Int, device: Int, field: Int)]
    /// Per state, the projected values (`cells.count` per state).
    private var values: [Int64] = []
    private var initial: [Set<Int64>]
    private var reached: [Set<Int64>]
    /// Per cell: (from, to) -> (action indices seen, transitions).
    private var changes: [[ChangeKey: ChangeInfo]]

    private struct ChangeKey: Hashable {
        let from: Int64
        let to: Int64
    }

    private struct ChangeShape: Equatable {
        let from: Int64
        let to: Int64
        let actions: [String]
    }

    private struct ChangeInfo {
        var actions: Set<Int> = []
        var transitions = 0
    }

    /// Creates a projector for a system and its detected devices.
    public init(system: TransitionSystem, projection: DeviceProjection) {
        self.projection = projection
        actionNames = system.actions.map(\.name)
        fields = system.layout.fields
        var cells: [(variable: Int, device: Int, field: Int)] = []
        for (variableIndex, variable) in projection.stateVariables.enumerated() {
            for (device, field) in variable.fields.enumerated() { cells.append((variableIndex, device, field)) }
        }
        self.cells = cells
        initial = Array(repeating: [], count: cells.count)
        reached = Array(repeating: [], count: cells.count)
        changes = Array(repeating: [:], count: cells.count)
    }

    /// The number of states added so far.
    public var stateCount: Int { cells.isEmpty ? addedStates : values.count / cells.count }
    private var addedStates = 0

    /// Adds the next state (states are numbered in the order they are added).
    public mutating func addState(_ words: [UInt64], initial isInitial: Bool) {
        addedStates += 1
        for (index, cell) in cells.enumerated() {
            let value = fields[cell.field].read(words)
            values.append(value)
            reached[index].insert(value)
            if isInitial { initial[index].insert(value) }
        }
    }

    /// Adds a transition between two added states by the ground action with index `action`.
    public mutating func addEdge(from source: Int, to target: Int, action: Int) {
        let count = cells.count
        guard count > 0, source >= 0, target >= 0, (source + 1) * count <= values.count, (target + 1) * count <= values.count else { return }
        for index in 0..<count {
            record(index, from: values[source * count + index], to: values[target * count + index], action: action)
        }
    }

    /// Adds a transition from added state `source` by ground action `action` to a successor given by its words
    /// (as the action produced it, so that each device keeps its identity even when the search stores states
    /// reduced by symmetry). Values of successors count as reached.
    public mutating func addTransition(from source: Int, action: Int, successor: UnsafePointer<UInt64>) {
        let count = cells.count
        guard count > 0, source >= 0, (source + 1) * count <= values.count else { return }
        for (index, cell) in cells.enumerated() {
            let after = fields[cell.field].read(successor)
            reached[index].insert(after)
            record(index, from: values[source * count + index], to: after, action: action)
        }
    }

    private mutating func record(_ index: Int, from before: Int64, to after: Int64, action: Int) {
        guard before != after else { return }
        changes[index][ChangeKey(from: before, to: after), default: ChangeInfo()].actions.insert(action)
        changes[index][ChangeKey(from: before, to: after), default: ChangeInfo()].transitions += 1
    }

    /// The graphs, one per state variable and device, devices with identical graphs merged (scalarset devices always
    /// merged).
    public func graphs() -> [ProjectedStateGraph] {
        var result: [ProjectedStateGraph] = []
        for (variableIndex, variable) in projection.stateVariables.enumerated() {
            var perDevice: [(device: String, graph: ProjectedStateGraph)] = []
            for (index, cell) in cells.enumerated() where cell.variable == variableIndex {
                let type = variable.valueType
                let edges = changes[index].keys.sorted { ($0.from, $0.to) < ($1.from, $1.to) }.map { key -> ProjectedStateGraph.Edge in
                    let info = changes[index][key] ?? ChangeInfo()
                    var names: [String] = []
                    for action in info.actions.sorted() where !names.contains(actionNames[action]) { names.append(actionNames[action]) }
                    return ProjectedStateGraph.Edge(from: key.from, to: key.to, actions: names, transitions: info.transitions)
                }
                let device = projection.devices[cell.device].name
                perDevice.append((device, ProjectedStateGraph(variable: variable.name, devices: [device], valueType: type,
                                                               nodes: reached[index].sorted(), initial: initial[index].sorted(),
                                                               edges: edges)))
            }
            // Scalarset devices are interchangeable: their graphs are one graph (their union, which also undoes any
            // bias of the representatives a symmetry-reduced search stores). Other devices with graphs of the same
            // shape (values, changes and actions) are merged, keeping the first device's position and adding up the
            // transition counts.
            var merged: [ProjectedStateGraph] = []
            if case .scalarset = projection.deviceType, let first = perDevice.first {
                merged = [perDevice.dropFirst().reduce(first.graph) { union($0, $1.graph) }]
                result += merged
                continue
            }
            func shape(_ graph: ProjectedStateGraph) -> [ChangeShape] {
                graph.edges.map { ChangeShape(from: $0.from, to: $0.to, actions: $0.actions) }
            }
            for entry in perDevice {
                if let existing = merged.firstIndex(where: { $0.nodes == entry.graph.nodes && $0.initial == entry.graph.initial
                    && shape($0) == shape(entry.graph) }) {
                    let graph = merged[existing]
                    let edges = zip(graph.edges, entry.graph.edges).map { pair in
                        ProjectedStateGraph.Edge(from: pair.0.from, to: pair.0.to, actions: pair.0.actions,
                                                 transitions: pair.0.transitions + pair.1.transitions)
                    }
                    merged[existing] = ProjectedStateGraph(variable: graph.variable, devices: graph.devices + [entry.device],
                                                           valueType: graph.valueType, nodes: graph.nodes, initial: graph.initial,
                                                           edges: edges)
                } else {
                    merged.append(entry.graph)
                }
            }
            result += merged
        }
        return result
    }

    /// The union of two graphs of the same variable: every value, initial value and change of either; the actions of
    /// a change in declaration order.
    private func union(_ a: ProjectedStateGraph, _ b: ProjectedStateGraph) -> ProjectedStateGraph {
        var edges: [ChangeKey: (actions: [String], transitions: Int)] = [:]
        for edge in a.edges + b.edges {
            var entry = edges[ChangeKey(from: edge.from, to: edge.to)] ?? ([], 0)
            for action in edge.actions where !entry.actions.contains(action) { entry.actions.append(action) }
            entry.transitions += edge.transitions
            edges[ChangeKey(from: edge.from, to: edge.to)] = entry
        }
        let order = Dictionary(actionNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let merged = edges.keys.sorted { ($0.from, $0.to) < ($1.from, $1.to) }.map { key -> ProjectedStateGraph.Edge in
            let entry = edges[key] ?? ([], 0)
            return ProjectedStateGraph.Edge(from: key.from, to: key.to,
                                            actions: entry.actions.sorted { (order[$0] ?? 0) < (order[$1] ?? 0) },
                                            transitions: entry.transitions)
        }
        return ProjectedStateGraph(variable: a.variable, devices: a.devices + b.devices, valueType: a.valueType,
                                   nodes: Array(Set(a.nodes + b.nodes)).sorted(), initial: Array(Set(a.initial + b.initial)).sorted(),
                                   edges: merged)
    }
}
