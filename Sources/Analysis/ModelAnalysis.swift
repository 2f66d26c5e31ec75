import Explorer
import PackedSystem

/// A model checked with the explicit engine, with its reachable graph projected on the device state variables
/// (the projection of the reports: `DeviceProjection` and `StateGraphProjector`, see docs/reports.md).
public struct ModelAnalysis: Sendable {
    /// How the model is named in output.
    public let name: String
    /// The system.
    public let system: TransitionSystem
    /// The verdicts and counterexamples.
    public let result: CheckResult
    /// The devices and device state variables found in the model.
    public let projection: DeviceProjection
    /// The projected state graphs, devices with identical graphs merged.
    public let graphs: [ProjectedStateGraph]

    /// Checks `system` and projects its reachable graph.
    public init(system: TransitionSystem, name: String, options: ExplorerOptions = ExplorerOptions()) {
        self.name = name
        self.system = system
        let run = ExplicitExplorer(system: system, options: options, file: name).run()
        result = run.result
        projection = DeviceProjection.detect(system)
        var graphs: [ProjectedStateGraph] = []
        // When the command's budget ran out (or a signal arrived), projecting the explored graph would only delay
        // the partial result: the graphs are left out.
        if !projection.stateVariables.isEmpty, options.budget.interruption?() == nil {
            var projector = StateGraphProjector(system: system, projection: projection)
            let graph = run.graph
            for state in 0..<graph.stateCount {
                projector.addState(graph.stateWords(state), initial: graph.isInitialState(state))
            }
            graph.forEachTransition { projector.addTransition(from: $0, action: $1, successor: $2) }
            graphs = projector.graphs()
        }
        self.graphs = graphs
    }

    /// Per state variable and device, the graph that covers the device (merged graphs expanded).
    public var graphsByDevice: [DeviceGraphKey: ProjectedStateGraph] {
        var result: [DeviceGraphKey: ProjectedStateGraph] = [:]
        for graph in graphs {
            for device in graph.devices { result[DeviceGraphKey(variable: graph.variable, device: device)] = graph }
        }
        return result
    }

    /// The keys of `graphsByDevice` in projection order (state variable, then device).
    public var deviceGraphKeys: [DeviceGraphKey] {
        projection.stateVariables.flatMap { variable in
            projection.devices.map { DeviceGraphKey(variable: variable.name, device: $0.name) }
        }
    }
}

/// A device state variable of one device: `st` of `Dev 0`.
public struct DeviceGraphKey: Sendable, Hashable {
    /// The state variable's name.
    public let variable: String
    /// The device's name, as the projection shows it.
    public let device: String

    /// Creates a key.
    public init(variable: String, device: String) {
        self.variable = variable
        self.device = device
    }
}
