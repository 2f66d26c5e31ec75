import Analysis

/// How one device's projected automaton (the values of a device state variable and the observed changes between
/// them) differs between two versions of a model. Values are compared by name, so reordering an enum is no change.
public struct DeviceAutomatonChange: Sendable, Hashable {
    /// A change of an arc's labels.
    public struct Relabelled: Sendable, Hashable {
        /// The source value.
        public let from: String
        /// The target value.
        public let to: String
        /// The actions before.
        public let before: [String]
        /// The actions after.
        public let after: [String]
    }

    /// An arc: from, to and the actions that make it.
    public struct Arc: Sendable, Hashable {
        /// The source value.
        public let from: String
        /// The target value.
        public let to: String
        /// The actions.
        public let actions: [String]

        /// Creates an arc.
        public init(from: String, to: String, actions: [String]) {
            self.from = from
            self.to = to
            self.actions = actions
        }
    }

    /// The state variable.
    public let variable: String
    /// The devices this change describes (several when their changes are identical).
    public let devices: [String]
    /// Set when the device exists in only one version: `base` or `proposed`.
    public let onlyIn: String?
    /// Values that became reachable.
    public let statesAdded: [String]
    /// Values that became unreachable.
    public let statesRemoved: [String]
    /// Initial values before and after.
    public struct InitialChange: Sendable, Hashable {
        /// The initial values before.
        public let before: [String]
        /// The initial values after.
        public let after: [String]
    }

    /// Initial values before and after, when they differ.
    public let initialChange: InitialChange?
    /// Arcs that became reachable.
    public let arcsAdded: [Arc]
    /// Arcs that became unreachable.
    public let arcsRemoved: [Arc]
    /// Arcs in both versions made by different actions.
    public let arcsRelabelled: [Relabelled]

    /// Whether nothing changed.
    public var isEmpty: Bool {
        onlyIn == nil && statesAdded.isEmpty && statesRemoved.isEmpty && initialChange == nil && arcsAdded.isEmpty
            && arcsRemoved.isEmpty && arcsRelabelled.isEmpty
    }

    /// `st of Dev 0, Dev 1`, or `st` for the single device of a model without a device type.
    public var title: String {
        devices == ["device"] ? variable : variable + " of " + devices.joined(separator: ", ")
    }

    /// The change as text lines (without the title): `+ state X`, `- arc A -> B (act)`, `~ arc ...`.
    public var lines: [String] {
        if let onlyIn { return ["only in the \(onlyIn) model"] }
        var lines: [String] = []
        if let initialChange {
            lines.append("~ initial \(initialChange.before.joined(separator: ", ")) -> \(initialChange.after.joined(separator: ", "))")
        }
        lines += statesAdded.map { "+ state \($0) is reachable" }
        lines += statesRemoved.map { "- state \($0) is no longer reachable" }
        lines += arcsAdded.map { "+ arc \($0.from) -> \($0.to) (\($0.actions.joined(separator: ", ")))" }
        lines += arcsRemoved.map { "- arc \($0.from) -> \($0.to) (\($0.actions.joined(separator: ", ")))" }
        lines += arcsRelabelled.map {
            "~ arc \($0.from) -> \($0.to): made by \($0.before.joined(separator: ", ")), now by \($0.after.joined(separator: ", "))"
        }
        return lines
    }
}

/// Comparing the projected automata of two analysed versions of a model, device by device.
public enum AutomatonComparison {
    /// Per state variable and device (base order, then devices only the proposed version has), the differences;
    /// devices of one variable whose differences are identical are merged. Devices without any difference are left out.
    public static func compare(base: ModelAnalysis, proposed: ModelAnalysis) -> [DeviceAutomatonChange] {
        let before = base.graphsByDevice
        let after = proposed.graphsByDevice
        var keys = base.deviceGraphKeys.filter { before[$0] != nil }
        for key in proposed.deviceGraphKeys where after[key] != nil && !keys.contains(key) { keys.append(key) }
        var changes: [DeviceAutomatonChange] = []
        for key in keys {
            let change = compare(key: key, before[key], after[key])
            guard !change.isEmpty else { continue }
            if let index = changes.firstIndex(where: { $0.variable == key.variable && $0.lines == change.lines }) {
                let existing = changes[index]
                changes[index] = DeviceAutomatonChange(
                    variable: existing.variable, devices: existing.devices + [key.device], onlyIn: existing.onlyIn,
                    statesAdded: existing.statesAdded, statesRemoved: existing.statesRemoved, initialChange: existing.initialChange,
                    arcsAdded: existing.arcsAdded, arcsRemoved: existing.arcsRemoved, arcsRelabelled: existing.arcsRelabelled)
            } else {
                changes.append(change)
            }
        }
        return changes
    }

    /// The differences of one device's graphs (either may be missing).
    static func compare(key: DeviceGraphKey, _ before: ProjectedStateGraph?, _ after: ProjectedStateGraph?) -> DeviceAutomatonChange {
        guard let before, let after else {
            return DeviceAutomatonChange(variable: key.variable, devices: [key.device], onlyIn: before == nil ? "proposed" : "base",
                                         statesAdded: [], statesRemoved: [], initialChange: nil, arcsAdded: [], arcsRemoved: [],
                                         arcsRelabelled: [])
        }
        let beforeStates = before.nodes.map(before.label)
        let afterStates = after.nodes.map(after.label)
        let beforeInitial = before.initial.map(before.label)
        let afterInitial = after.initial.map(after.label)
        func arcs(_ graph: ProjectedStateGraph) -> [(key: String, arc: DeviceAutomatonChange.Arc)] {
            graph.edges.map { edge in
                let arc = DeviceAutomatonChange.Arc(from: graph.label(edge.from), to: graph.label(edge.to), actions: edge.actions)
                return (arc.from + "\u{0}" + arc.to, arc)
            }
        }
        let beforeArcs = arcs(before)
        let afterArcs = arcs(after)
        let beforeByKey = Dictionary(beforeArcs.map { ($0.key, $0.arc) }, uniquingKeysWith: { first, _ in first })
        let afterByKey = Dictionary(afterArcs.map { ($0.key, $0.arc) }, uniquingKeysWith: { first, _ in first })
        var relabelled: [DeviceAutomatonChange.Relabelled] = []
        for entry in afterArcs {
            if let old = beforeByKey[entry.key], old.actions != entry.arc.actions {
                relabelled.append(DeviceAutomatonChange.Relabelled(from: old.from, to: old.to, before: old.actions, after: entry.arc.actions))
            }
        }
        return DeviceAutomatonChange(
            variable: key.variable, devices: [key.device], onlyIn: nil,
            statesAdded: afterStates.filter { !beforeStates.contains($0) },
            statesRemoved: beforeStates.filter { !afterStates.contains($0) },
            initialChange: beforeInitial == afterInitial ? nil : DeviceAutomatonChange.InitialChange(before: beforeInitial, after: afterInitial),
            arcsAdded: afterArcs.filter { beforeByKey[$0.key] == nil }.map(\.arc),
            arcsRemoved: beforeArcs.filter { afterByKey[$0.key] == nil }.map(\.arc),
            arcsRelabelled: relabelled)
    }
}
