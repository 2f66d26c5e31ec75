import Analysis
import Explorer
import ModelLanguage
import PackedSystem
@testable import Reports
import Testing

@Suite struct DiagramTests {
    /// A witness that issues a transaction and delivers it: the delivery is drawn from the issuer to its target.
    private static let delivery = """
        model delivery
        type Dev = 0..1
        type State = enum { RUNNING, STOP }
        var state: [Dev] State = RUNNING
        var inflight: [Dev] 0..2 = 2
        var delivered: bool = false
        action issue(i: Dev, j: Dev) when i != j && inflight[i] == 2 { inflight[i] := j }
        action deliver(d: Dev) when inflight[d] < 2 { inflight[d] := 2  delivered := true }
        reachable Delivered: delivered
        terminal true
        """

    private func trace(_ report: ModelReport, _ name: String) throws -> (Int, Trace) {
        let index = try #require(report.result.properties.firstIndex { $0.name == name })
        return (index, try #require(report.result.properties[index].trace))
    }

    @Test func projectionFindsDevicesAndTheirStateVariable() throws {
        let ranged = DeviceProjection.detect(try Fixtures.system(Fixtures.twoDevices))
        #expect(ranged.deviceTypeName == "Dev")
        #expect(ranged.devices.map(\.name) == ["Dev 0", "Dev 1"])
        #expect(ranged.stateVariables.map(\.name) == ["state"])
        #expect(ranged.deviceParameters["issue"] == [0, 1])
        #expect(ranged.deviceParameters["stop"] == [0])
        #expect(ranged.pointerVariables.count == 1)

        // A scalarset: `st` is the state, `cache` (same enum, not named like a state) is not.
        let symmetric = DeviceProjection.detect(try Fixtures.system(Fixtures.scalarsetDevices))
        #expect(symmetric.devices.map(\.name) == ["Dev#0", "Dev#1", "Dev#2"])
        #expect(symmetric.stateVariables.map(\.name) == ["st"])
        #expect(symmetric.deviceParameters["go"] == [0])

        let single = DeviceProjection.detect(try Fixtures.system(Fixtures.singleDevice))
        #expect(single.devices.map(\.name) == ["device"])
        #expect(single.stateVariables.map(\.name) == ["ds"])

        #expect(!DeviceProjection.detect(try Fixtures.system(Fixtures.missed)).hasDevices)
    }

    @Test func counterexampleIsArcThenDmaIntoTheStoppedDevice() throws {
        let report = try Fixtures.report(Fixtures.twoDevices)
        let (index, trace) = try trace(report, "NoDmaToStoppedPeer")
        #expect(trace.steps.count == 3)
        let diagram = try #require(report.sequenceDiagram(index))
        #expect(diagram.lifelines == ["userspace", "Dev 0", "Dev 1"])
        #expect(diagram.initialStates == [nil, "RUNNING", "RUNNING"])
        #expect(diagram.messages.count == 2)
        // Breadth-first: stop the target first, then a peer's transaction towards it.
        let arc = diagram.messages[0]
        #expect(arc.kind == .arc)
        #expect(arc.from == 0 && arc.to > 0)
        #expect(arc.label.hasPrefix("stop(") && arc.label.hasSuffix(": RUNNING -> STOP"))
        let dma = diagram.messages[1]
        #expect(dma.kind == .dma)
        #expect(dma.from > 0 && dma.from != arc.to && dma.to == arc.to)
        #expect(dma.label.hasPrefix("issue("))
        #expect(diagram.finalStates[arc.to] == "STOP")
        #expect(diagram.finalStates[dma.from] == "RUNNING")
        #expect(diagram.conclusion == "invariant NoDmaToStoppedPeer is false in this state")

        let svg = diagram.svg(idPrefix: "t", title: "NoDmaToStoppedPeer", standalone: true)
        #expect(XMLNode.parse(svg) != nil, "well-formed SVG")
        for text in ["userspace", "Dev 0", "Dev 1", "RUNNING -&gt; STOP", "issue(", "is false in this state"] {
            #expect(svg.contains(text), "\(text)")
        }
    }

    @Test func deliveryGoesFromTheIssuerToItsTarget() throws {
        let report = try Fixtures.report(Self.delivery)
        let (index, _) = try trace(report, "Delivered")
        let diagram = try #require(report.sequenceDiagram(index))
        #expect(diagram.messages.map(\.kind) == [.dma, .dma])
        #expect(diagram.messages[1].label.hasPrefix("deliver("))
        #expect(diagram.messages[1].from == diagram.messages[0].from)
        #expect(diagram.messages[1].to == diagram.messages[0].to)
    }

    @Test func singleDeviceArcsEventsFailuresAndLoops() throws {
        let report = try Fixtures.report(Fixtures.singleDevice)
        let (smallIndex, _) = try trace(report, "Small")
        let small = try #require(report.sequenceDiagram(smallIndex))
        #expect(small.lifelines == ["userspace", "device"])
        #expect(small.messages.allSatisfy { $0.kind == .arc && $0.from == 0 && $0.to == 1 && $0.label.hasPrefix("set_state(") })

        let (irqIndex, _) = try trace(report, "IrqWhileRunning")
        let irq = try #require(report.sequenceDiagram(irqIndex))
        let failure = try #require(irq.messages.last)
        #expect(failure.kind == .failure)
        #expect(failure.from == 1 && failure.to == 0)
        #expect(failure.label.contains("raise_irq fails"))

        let (doneIndex, doneTrace) = try trace(report, "Done")
        let done = try #require(report.sequenceDiagram(doneIndex))
        #expect(done.loopStart == doneTrace.loopStart)
        let svg = done.svg(idPrefix: "d", title: "Done", standalone: true)
        #expect(XMLNode.parse(svg) != nil)
        if let loopStart = doneTrace.loopStart, loopStart < doneTrace.steps.count - 1 {
            #expect(svg.contains("loop: back to the state of step \(loopStart)"))
        }
    }

    @Test func stateGraphOfTwoDevices() throws {
        let report = try Fixtures.report(Fixtures.twoDevices)
        #expect(report.stateGraphs.count == 1)
        let graph = try #require(report.stateGraphs.first)
        // Both devices have the same graph: merged.
        #expect(graph.devices == ["Dev 0", "Dev 1"])
        #expect(graph.variable == "state")
        #expect(graph.nodes.map(graph.label) == ["RUNNING", "STOP"])
        #expect(graph.initial.map(graph.label) == ["RUNNING"])
        #expect(graph.edges.count == 1)
        #expect(graph.edges.first.map { [graph.label($0.from), graph.label($0.to)] } == ["RUNNING", "STOP"])
        #expect(graph.edges.first?.actions == ["stop"])
        let svg = try #require(StateGraphSVG.render(graph, idPrefix: "g", standalone: true))
        #expect(XMLNode.parse(svg) != nil)
        for text in [">RUNNING<", ">STOP<", ">stop<", "initial value"] { #expect(svg.contains(text), "\(text)") }
    }

    @Test func stateGraphOfOneDevice() throws {
        let report = try Fixtures.report(Fixtures.singleDevice)
        let graph = try #require(report.stateGraphs.first)
        #expect(graph.devices == ["device"])
        #expect(graph.title == "ds")
        #expect(graph.nodes.count == 3)
        // Every ordered pair of distinct states by set_state.
        #expect(graph.edges.count == 6)
        #expect(graph.edges.allSatisfy { $0.actions == ["set_state"] })
        let svg = try #require(StateGraphSVG.render(graph, idPrefix: "g", standalone: false))
        // Pairs of opposite changes by the same actions are drawn as one double-headed arrow.
        #expect(svg.components(separatedBy: "marker-start").count - 1 == 3)
    }
}

@Suite struct StateGraphTests {
    @Test func edgesAndTransitionsAgreeWithoutReduction() throws {
        let system = try Fixtures.system(Fixtures.twoDevices)
        let run = ExplicitExplorer(system: system, file: "t.vmc").run()
        let result = run.result
        let graph = run.graph
        var transitions: [(Int, Int, [UInt64])] = []
        graph.forEachTransition { from, action, successor in
            transitions.append((from, action, Array(UnsafeBufferPointer(start: successor, count: system.wordCount))))
        }
        var edges: [StateGraphEdge] = []
        let skipped = graph.forEachEdge { edges.append($0) }
        #expect(skipped == 0)
        #expect(edges.count == transitions.count)
        #expect(graph.stateCount == result.statistics.states)
        for (edge, transition) in zip(edges, transitions) {
            #expect(edge.from == transition.0 && edge.action == transition.1)
            #expect(graph.stateWords(edge.to) == transition.2)
        }
        #expect((0..<graph.stateCount).filter(graph.isInitialState) == [0])
    }

    @Test func scalarsetDevicesShareOneGraphWithOrWithoutSymmetry() throws {
        var plain = ExplorerOptions()
        plain.symmetry = false
        let reduced = try Fixtures.report(Fixtures.scalarsetDevices)
        let full = try Fixtures.report(Fixtures.scalarsetDevices, options: plain)
        #expect(reduced.result.statistics.states <= full.result.statistics.states)
        // Transition counts depend on the number of states explored; the graphs themselves must not.
        func shape(_ report: ModelReport) -> [String] {
            report.stateGraphs.map { graph in
                "\(graph.variable) \(graph.devices) \(graph.nodes) \(graph.initial) "
                    + graph.edges.map { "\($0.from)->\($0.to):\($0.actions)" }.joined(separator: " ")
            }
        }
        #expect(shape(reduced) == shape(full))
        let graph = try #require(full.stateGraphs.first)
        #expect(full.stateGraphs.count == 1)
        #expect(graph.devices == ["Dev#0", "Dev#1", "Dev#2"])
        #expect(graph.nodes.map(graph.label) == ["RUNNING", "RUNNING_P2P", "STOP"])
        #expect(graph.edges.count == 6)
        #expect(graph.edges.allSatisfy { $0.actions == ["go"] })
    }
}
