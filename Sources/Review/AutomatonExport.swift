import Analysis
import Explorer
import PackedSystem

/// Writing a model's per-device protocol automaton (a projected state graph, as in the reports: the values of a
/// device state variable and the observed changes between them, labelled with the actions that make them).
public enum AutomatonExport {
    /// How the events of an exported automaton are named.
    public enum EventNaming: String, Sendable, CaseIterable {
        /// The names of the actions that make the change (an automaton in which one event may lead to several
        /// states, since a model action such as `k_step` is nondeterministic in the projection).
        case actions
        /// `to_<state>` after the target state, in lower case: a deterministic automaton by construction.
        case targets
    }

    /// The automata of `system` as `export --format rv-dot` (`rv`: one device's automaton in the kernel's
    /// runtime-verification format) or `dot` (every device automaton, or the one `variable` and `device` choose)
    /// writes them, with the warnings the rv format calls for. The search behind the automata does not reduce by
    /// symmetry, so every device's arcs are drawn. No device state variable, or a choice that names none, is a
    /// `ReviewError`.
    public static func export(_ system: TransitionSystem, file: String, rv: Bool, variable: String?, device: String?,
                              naming: EventNaming) throws -> (text: String, warnings: [String]) {
        var options = ExplorerOptions()
        options.symmetry = false
        let analysis = ModelAnalysis(system: system, name: file, options: options)
        if rv {
            let graph = try select(analysis, variable: variable, device: device)
            return (rvDot(graph, naming: naming), rvWarnings(graph, naming: naming))
        }
        var graphs = analysis.graphs
        if variable != nil || device != nil {
            graphs = [try select(analysis, variable: variable, device: device)]
        }
        if graphs.isEmpty {
            throw ReviewError.failure("\(file): no device state variable found, so there is no automaton to export: "
                              + analysis.projection.summary)
        }
        return (dot(graphs, model: system.name, naming: naming), [])
    }

    /// Picks the graph to export: the one covering `device` (a position `0`, `1`, ... in the projection's device
    /// list, or a device name such as `Dev 1`) of `variable` (default: the first state variable), or the first graph.
    public static func select(_ analysis: ModelAnalysis, variable: String?, device: String?) throws -> ProjectedStateGraph {
        let projection = analysis.projection
        guard !analysis.graphs.isEmpty else {
            throw ReviewError.failure("\(analysis.name): no device state variable found, so there is no automaton to export: "
                              + projection.summary)
        }
        let variableName = variable ?? projection.stateVariables.first?.name ?? analysis.graphs[0].variable
        let candidates = analysis.graphs.filter { $0.variable == variableName }
        guard !candidates.isEmpty else {
            throw ReviewError.failure("--variable \(variableName): not a device state variable of the model (it has: "
                              + projection.stateVariables.map(\.name).joined(separator: ", ") + ")")
        }
        guard let device else { return candidates[0] }
        let name: String
        if let index = Int(device), index >= 0, index < projection.devices.count {
            name = projection.devices[index].name
        } else {
            name = device
        }
        guard let graph = candidates.first(where: { $0.devices.contains(name) }) else {
            throw ReviewError.failure("--device \(device): the model has no such device (its devices: "
                              + projection.devices.enumerated().map { "\($0.offset) = \($0.element.name)" }.joined(separator: ", ") + ")")
        }
        return graph
    }

    /// The events of each edge, in the chosen naming.
    static func events(_ graph: ProjectedStateGraph, _ edge: ProjectedStateGraph.Edge, naming: EventNaming) -> [String] {
        switch naming {
        case .actions: return edge.actions
        case .targets: return ["to_" + identifier(graph.label(edge.to)).lowercased()]
        }
    }

    /// A C identifier for a label: other characters become `_`, and a leading digit gets `s` in front.
    public static func identifier(_ label: String) -> String {
        var result = String(label.map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "_") ? character : "_"
        })
        if result.isEmpty || result.first?.isNumber == true { result = "s" + result }
        return result
    }

    /// Pairs (state, event) with more than one target: the automaton is not deterministic there.
    public static func nondeterminism(_ graph: ProjectedStateGraph, naming: EventNaming) -> [String] {
        var targets: [String: [String]] = [:]
        var order: [String] = []
        for edge in graph.edges {
            for event in events(graph, edge, naming: naming) {
                let key = "\(graph.label(edge.from)) --\(event)-->"
                if targets[key] == nil { order.append(key) }
                targets[key, default: []].append(graph.label(edge.to))
            }
        }
        return order.compactMap { key in
            guard let list = targets[key], list.count > 1 else { return nil }
            return "\(key) \(list.joined(separator: " | "))"
        }
    }

    /// The automaton in the Linux kernel's runtime-verification DOT format, as `tools/verification/dot2` parses it:
    /// the first line `digraph state_automaton {`; a contiguous block of state lines, the invisible
    /// `__init_<initial>` node first, the initial state as a `doublecircle`, the others as `circle`; the initial
    /// arrow on the line right after the block; one line per arc, `"from" -> "to" [ label = "e1\ne2" ];`; `}`.
    /// State names are made C identifiers. With several initial values the first is used (see `warnings`).
    public static func rvDot(_ graph: ProjectedStateGraph, naming: EventNaming = .actions) -> String {
        let name: (Int64) -> String = { identifier(graph.label($0)) }
        let initial = graph.initial.first ?? graph.nodes.first ?? 0
        var lines = ["digraph state_automaton {"]
        lines.append("\t{node [shape = plaintext, style=invis, label=\"\"] \"__init_\(name(initial))\"};")
        lines.append("\t{node [shape = doublecircle] \"\(name(initial))\"};")
        for node in graph.nodes where node != initial {
            lines.append("\t{node [shape = circle] \"\(name(node))\"};")
        }
        lines.append("\t\"__init_\(name(initial))\" -> \"\(name(initial))\";")
        for edge in graph.edges {
            let label = events(graph, edge, naming: naming).joined(separator: "\\n")
            lines.append("\t\"\(name(edge.from))\" -> \"\(name(edge.to))\" [ label = \"\(label)\" ];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Remarks about an rv export: several initial values, nondeterministic events.
    public static func rvWarnings(_ graph: ProjectedStateGraph, naming: EventNaming) -> [String] {
        var warnings: [String] = []
        if graph.initial.count > 1 {
            warnings.append("the automaton has several initial states (\(graph.initial.map(graph.label).joined(separator: ", "))); "
                            + "an rv monitor has one, \(graph.label(graph.initial[0]))")
        }
        let clashes = nondeterminism(graph, naming: naming)
        if !clashes.isEmpty {
            warnings.append("the automaton is not deterministic (an rv monitor keeps one target per state and event; "
                            + "--events targets names events after their target state):")
            warnings += clashes.map { "  " + $0 }
        }
        return warnings
    }

    /// Plain Graphviz DOT: one digraph; several graphs become clusters. Initial values are marked by an arrow from
    /// a point; arcs are labelled with their events, one per line.
    public static func dot(_ graphs: [ProjectedStateGraph], model: String, naming: EventNaming = .actions) -> String {
        var lines = ["digraph \"\(escape(model))\" {", "  rankdir=LR;", "  node [shape=ellipse, fontname=\"monospace\"];",
                     "  edge [fontname=\"monospace\", fontsize=10];"]
        let clustered = graphs.count > 1
        for (index, graph) in graphs.enumerated() {
            let prefix = clustered ? "g\(index)_" : ""
            let indent = clustered ? "    " : "  "
            if clustered {
                lines.append("  subgraph cluster_\(index) {")
                lines.append("    label=\"\(escape(graph.title))\";")
            } else {
                lines.append("  label=\"\(escape(graph.title))\";")
                lines.append("  labelloc=t;")
            }
            func node(_ value: Int64) -> String { "\"\(escape(prefix + graph.label(value)))\"" }
            for value in graph.nodes {
                lines.append(indent + node(value) + (clustered ? " [label=\"\(escape(graph.label(value)))\"]" : "") + ";")
            }
            for (position, value) in graph.initial.enumerated() {
                let start = "\"\(prefix)__init\(position)\""
                lines.append(indent + start + " [shape=point, label=\"\"];")
                lines.append(indent + start + " -> " + node(value) + ";")
            }
            for edge in graph.edges {
                let label = events(graph, edge, naming: naming).map(escape).joined(separator: "\\n")
                lines.append(indent + node(edge.from) + " -> " + node(edge.to) + " [label=\"\(label)\"];")
            }
            if clustered { lines.append("  }") }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
