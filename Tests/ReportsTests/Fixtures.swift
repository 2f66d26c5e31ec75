import Analysis
import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Reports

/// Small models written inline, and the pipeline that turns them into reports.
enum Fixtures {
    /// Two devices (a range type named like a device), P2P DMA between them, stopping one by one: the shortest
    /// counterexample stops a device, then its peer issues a transaction towards it.
    static let twoDevices = """
        model two_devices
        type Dev = 0..1
        type State = enum { RUNNING, STOP }
        var state: [Dev] State = RUNNING
        var inflight: [Dev] 0..2 = 2            // the target of the device's outstanding transaction; 2: none
        action stop(d: Dev) when state[d] == RUNNING { state[d] := STOP }
        action issue(i: Dev, j: Dev) when i != j && state[i] == RUNNING && inflight[i] == 2 { inflight[i] := j }
        action deliver(d: Dev) when inflight[d] < 2 { inflight[d] := 2 }
        action raise_irq(d: Dev) when state[d] == RUNNING { state[d] := state[d] }
        invariant NoDmaToStoppedPeer: forall d: Dev. inflight[d] < 2 -> state[inflight[d]] == RUNNING
        reachable AllStopped: forall d: Dev. state[d] == STOP
        expect NoDmaToStoppedPeer violated
        terminal true
        """

    /// The same devices as a scalarset.
    static let scalarsetDevices = """
        model sym
        const N = 3
        type Dev = scalarset(N)
        type St = enum { RUNNING, RUNNING_P2P, STOP }
        var st: [Dev] St = RUNNING
        var cache: [Dev] St = RUNNING
        var inflight: [Dev][Dev] bool = false
        action go(d: Dev, s: St) when st[d] != s { st[d] := s  cache[d] := s }
        action issue(i: Dev, j: Dev) when i != j && !inflight[i][j] { inflight[i][j] := true }
        terminal true
        """

    /// One device (a scalar state), an interrupt, a lasso and a failing assertion.
    static let singleDevice = """
        model single
        type St = enum { RUNNING, STOP, RESUMING }
        var ds: St = RUNNING
        var n: 0..2 = 0
        var done: bool = false
        fair action set_state(s: St) when ds != s && n < 2 { ds := s  n := n + 1 }
        fair action back when n == 2 { n := 1 }
        action raise_irq when ds == RUNNING && n == 1 { assert IrqWhileRunning: n != 1 : "an <irq> & \\"more\\"" }
        eventually Done: done
        invariant Small: n < 2
        expect Done violated
        expect Small violated
        expect IrqWhileRunning violated
        """

    /// A model whose property misses its expectation.
    static let missed = """
        model missed
        var x: bool = false
        action flip { x := !x }
        invariant NeverTrue: !x
        reachable Unreachable: x && !x
        """

    /// The system of a model text.
    static func system(_ text: String, name: String = "Models/test.vmc") throws -> TransitionSystem {
        let model = try Frontend.check(SourceFile(name: name, text: text)).get()
        return try SystemBuilder.build(model).get()
    }

    /// Checks a model and builds its report, as `vfio-mc report` does.
    static func report(_ text: String, file: String = "Models/test.vmc", slug: String = "test",
                       options: ExplorerOptions = ExplorerOptions()) throws -> ModelReport {
        let system = try system(text, name: file)
        let run = ExplicitExplorer(system: system, options: options, file: file).run()
        let result = run.result
        let graph = run.graph
        let projection = DeviceProjection.detect(system)
        var projector = StateGraphProjector(system: system, projection: projection)
        for state in 0..<graph.stateCount {
            projector.addState(graph.stateWords(state), initial: graph.isInitialState(state))
        }
        graph.forEachTransition { projector.addTransition(from: $0, action: $1, successor: $2) }
        return ModelReport(slug: slug, result: result, system: system, projection: projection, stateGraphs: projector.graphs())
    }

    /// A model with variants checked combination by combination with the explicit engine, as `report`'s verdict
    /// matrix is (every property's sanity left `ok`: the sanity run is the command's, tested on its own), and its
    /// report carrying that matrix. `model` is the name the model declares.
    static func matrixReport(_ text: String, model: String, file: String = "Models/test.vmc") throws -> ModelReport {
        var report = try Self.report(text, file: file)
        let matrix = try Frontend.matrix(SourceFile(name: file, text: text)).get()
        let runs = try matrix.combinations.map { combination -> VariantRun in
            let checked = try matrix.check(combination).get()
            let system = try SystemBuilder.build(checked).get()
            let result = ExplicitExplorer(system: system, file: file).check()
            let sanity = Dictionary(uniqueKeysWithValues: result.properties.map { ($0.name, PropertySanity.ok) })
            return VariantRun(assignment: combination, result: result, sanity: sanity,
                              meantDead: Set(checked.actions.filter(\.meantDead).map(\.name)))
        }
        report.matrix = MatrixResult(file: file, model: model, hasVariants: true, runs: runs, seconds: 0)
        return report
    }

    /// A fresh empty directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "vfio-mc-reports-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
