import Analysis
import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import PromelaExport
import Reports
import Review
import Testing

/// The automaton the kernel's rv generator (tools/verification/dot2, automata.py) reads from a DOT file, parsed
/// with the same rules: the first line names `digraph state_automaton`; the states are the contiguous `{node`
/// lines (the last word of each, without quotes and `};`); `__init_S` names the initial state; the line right after
/// the block is skipped (the initial arrow); then every line starting with `"` is a transition whose label (the
/// next-to-last word) lists events separated by `\n`.
struct RVAutomaton {
    var states: Set<String> = []
    var initial: String?
    var finals: Set<String> = []
    var transitions: [String: [String: String]] = [:]
    var initialArrow = ""
    var lastLine = ""

    init(_ text: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        func words(_ line: String) -> [Substring] { line.split(whereSeparator: { $0 == " " || $0 == "\t" }) }
        let first = words(lines[0])
        try #require(first.count >= 2 && first[0] == "digraph" && first[1] == "state_automaton")
        var cursor = 0
        while cursor < lines.count, words(lines[cursor]).first != "{node" { cursor += 1 }
        while cursor < lines.count, words(lines[cursor]).first == "{node" {
            let line = lines[cursor]
            let raw = String(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last ?? "")
            let state = raw.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "};", with: "")
            if state.hasPrefix("__init_") {
                initial = String(state.dropFirst(7))
            } else {
                states.insert(state)
                if line.contains("doublecircle") { finals.insert(state) }
            }
            cursor += 1
        }
        try #require(cursor < lines.count, "no line after the state block")
        initialArrow = lines[cursor].trimmingCharacters(in: .whitespaces)
        cursor += 1
        while cursor < lines.count, lines[cursor].trimmingCharacters(in: .whitespaces).first == "\"" {
            let words = lines[cursor].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            try #require(words.count >= 2 && words[1] == "->", "not a transition: \(lines[cursor])")
            let from = words[0].replacingOccurrences(of: "\"", with: "")
            let to = words[2].replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: ";", with: "")
            let events = words[words.count - 2].replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "\\n", with: " ")
            for event in events.split(separator: " ") {
                if let existing = transitions[from]?[String(event)] { try #require(existing == to, "nondeterministic: \(from) \(event)") }
                transitions[from, default: [:]][String(event)] = to
            }
            cursor += 1
        }
        lastLine = cursor < lines.count ? lines[cursor] : ""
    }
}

/// A model whose two devices behave differently, and a model-wide feature mix for the Promela translation.
private let twoDeviceModel = """
    model two
    type Dev = 0..1
    type State = enum { IDLE, BUSY, DONE }
    var state: [Dev] State = IDLE
    action start(d: Dev) when state[d] == IDLE { state[d] := BUSY }
    action finish(d: Dev) when state[d] == BUSY { state[d] := if d == 0 then DONE else IDLE }
    terminal true
    """

@Suite struct AutomatonExportTests {
    @Test func rvDotFollowsTheKernelGeneratorsFormat() throws {
        let analysis = ModelAnalysis(system: try modelSystem("v2-device.vmc"), name: "v2-device.vmc")
        let graph = try AutomatonExport.select(analysis, variable: nil, device: nil)
        let text = AutomatonExport.rvDot(graph, naming: .targets)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "digraph state_automaton {")
        #expect(lines.last == "}")
        let automaton = try RVAutomaton(text)
        #expect(automaton.initial == "RUNNING")
        #expect(automaton.finals == ["RUNNING"])
        #expect(automaton.initialArrow == "\"__init_RUNNING\" -> \"RUNNING\";")
        #expect(automaton.lastLine == "}")
        #expect(automaton.states == Set(graph.nodes.map(graph.label)))
        #expect(automaton.states.count == 8)
        // Every observed change is a transition, named after its target.
        let changes = graph.edges.count
        #expect(automaton.transitions.values.reduce(0) { $0 + $1.count } == changes)
        #expect(automaton.transitions["STOP_COPY"]?["to_stop"] == "STOP")
        #expect(automaton.transitions["STOP_COPY"]?["to_pre_copy"] == nil)
        #expect(AutomatonExport.rvWarnings(graph, naming: .targets).isEmpty)
        // Named after actions, k_step leads to several states: a warning says so.
        let warnings = AutomatonExport.rvWarnings(graph, naming: .actions)
        #expect(warnings.first?.contains("not deterministic") == true)
        #expect(warnings.contains("  STOP_COPY --k_step--> STOP | ERROR"))
        let byAction = AutomatonExport.rvDot(graph, naming: .actions)
        #expect(byAction.contains("\t\"STOP\" -> \"RUNNING\" [ label = \"reset\\nk_step\" ];"))
    }

    @Test func devicesAndVariablesAreSelectable() throws {
        let analysis = ModelAnalysis(system: try system(twoDeviceModel), name: "two.vmc")
        #expect(analysis.graphs.count == 2)
        let first = try AutomatonExport.select(analysis, variable: nil, device: nil)
        #expect(first.devices == ["Dev 0"])
        let second = try AutomatonExport.select(analysis, variable: "state", device: "1")
        #expect(second.devices == ["Dev 1"])
        #expect(try AutomatonExport.select(analysis, variable: nil, device: "Dev 1").devices == ["Dev 1"])
        let rv = try RVAutomaton(AutomatonExport.rvDot(second))
        #expect(rv.states == ["IDLE", "BUSY"])
        #expect(rv.transitions == ["IDLE": ["start": "BUSY"], "BUSY": ["finish": "IDLE"]])
        #expect(throws: ReviewError.self) { try AutomatonExport.select(analysis, variable: nil, device: "7") }
        #expect(throws: ReviewError.self) { try AutomatonExport.select(analysis, variable: "nothing", device: nil) }
        let dot = AutomatonExport.dot(analysis.graphs, model: "two")
        #expect(dot.hasPrefix("digraph \"two\" {\n"))
        #expect(dot.contains("subgraph cluster_0 {") && dot.contains("subgraph cluster_1 {"))
        #expect(dot.contains("label=\"state of Dev 1\";"))
        #expect(dot.contains("\"g0_BUSY\" -> \"g0_DONE\" [label=\"finish\"];"))
        #expect(dot.contains("\"g0___init0\" -> \"g0_IDLE\";"))
        #expect(AutomatonExport.identifier("Dev#1 a-b") == "Dev_1_a_b")
        #expect(AutomatonExport.identifier("3") == "s3")
    }
}

/// Models for the Promela translation: choose with filters that can leave no alternative, failing assertions and
/// stores, several initial states, negative ranges, two-dimensional arrays written at computed indices, tables with
/// negative entries, a parallel swap, a write-only ghost, terminal states and deadlocks.
let promelaFeatureModels: [(name: String, text: String)] = [
    ("features", """
        model features
        type Mode = enum { A, B, C }
        type Dev = 0..1
        table delta: [Mode] -2..2 = { -2, 0, 2 }
        var mode: Mode in { A, B }
        var x: -3..3 = 0
        var grid: [Dev][bool] 0..2 = 0
        var left: 0..1 = 0
        var right: 0..1 = 1
        var ghost: 0..3 = 0
        var touched: bool = false
        action swap { left := right  right := left }
        action step(d: Dev) when grid[d][mode == A] < 2 {
          grid[d][mode == A] := grid[d][mode == A] + 1
          ghost := if ghost < 3 then ghost + 1 else 0
        }
        action move when mode != B { x := x + delta[mode]  touched := true }
        action pick { choose m: Mode where m != mode && x >= 0 { mode := m } }
        action check when x > 1 { assert Small: x <= 1 : "x too big" }
        invariant NotBoth: !(x == -3 && mode == C)
        terminal x == 3
        expect Small violated
        expect bounds violated
        expect NotBoth holds
        """),
    ("choices", """
        model choices
        type Phase = enum { P0, P1, P2, STUCK }
        var ph: Phase = P0
        var n: 0..3 in { 0, 1 }
        var log: [0..1] 0..3 = any
        action go when ph != STUCK {
          if n > 0 {
            choose k in { 1, 2 } {
              n := if n + k > 3 then 3 else n + k
              log[n % 2] := k
            }
          } else {
            ph := if ph == P0 then P1 else if ph == P1 then P2 else STUCK
          }
          choose b: bool where b && n < 3 { if b { log[0] := 0 } }
        }
        action reset when ph == STUCK && n == 0 { ph := P0  n := 1 }
        expect deadlock violated
        """),
]

@Suite struct PromelaTests {
    /// The models of Models/ without scalarsets (vfio-mc reduces those by symmetry, SPIN does not).
    static let modelFiles: [String] = {
        let directory = repositoryRoot.appendingPathComponent("Models").path
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".vmc") }.sorted()
    }()

    @Test(arguments: modelFiles)
    func spinStoresAsManyStatesAsVfioMC(file: String) throws {
        let loaded = try modelSystem(file)
        guard loaded.model.scalarsets.isEmpty else {
            print("PromelaTests: \(file) declares a scalarset (vfio-mc reduces it by symmetry); skipped")
            return
        }
        try compareWithSpin(loaded, name: file)
    }

    @Test(arguments: promelaFeatureModels.map(\.name))
    func spinStoresAsManyStatesOnFeatureModels(name: String) throws {
        let text = try #require(promelaFeatureModels.first { $0.name == name }?.text)
        try compareWithSpin(try system(text, name: name + ".vmc"), name: name + ".vmc")
    }

    /// More initial states than the translation writes out is a typed error, rendered to the message `export` prints.
    @Test func tooManyInitialStatesIsAnExportError() throws {
        let many = try system("""
            model many
            var cells: [0..12] bool = any
            """)
        #expect(many.initialStates.count == 8192)
        do {
            _ = try PromelaTranslator.translate(many, sourceName: "many.vmc")
            Issue.record("the translation accepted 8192 initial states")
        } catch let error as PromelaExportError {
            #expect(error == .tooManyInitialStates(file: "many.vmc", count: 8192, limit: 4096))
            #expect(error.rendered == "error: many.vmc: 8192 initial states; the Promela translation handles at most 4096")
        }
    }

    /// An action with 2^13 combinations of `choose` alternatives: more than the translation writes out.
    @Test func tooManyChooseCombinationsIsAnExportError() throws {
        let chooses = (1...13).map { "  choose b\($0): bool { x := 1 }\n" }.joined()
        let wide = try system("model ch\nvar x: 0..3 = 0\naction a {\n\(chooses)}\n")
        #expect(throws: PromelaExportError.tooManyChooseCombinations(limit: 4096)) {
            _ = try PromelaTranslator.translate(wide, sourceName: "ch.vmc")
        }
        #expect(PromelaExportError.tooManyChooseCombinations(limit: 4096).rendered
            == "error: an action has more than 4096 combinations of choose alternatives; "
            + "the Promela translation gives each its own alternative and stops here")
    }

    /// The front end refuses an empty set of initial values, so no model reaches this case; its text is kept.
    @Test func noInitialStateRendersAsBefore() {
        #expect(PromelaExportError.noInitialState(file: "m.vmc").rendered == "error: m.vmc: the model has no initial state")
    }

    @Test func translationShape() throws {
        let text = try PromelaTranslator.translate(try system(promelaFeatureModels[0].text), sourceName: "features.vmc")
        #expect(text.contains("#define A 0"))
        #expect(text.contains("hidden byte vmc_tab_delta[3] = { 0, 2, 4 };"))
        #expect(text.contains("byte x = 3;  /* stored as value + 3 */"))
        #expect(text.contains("/* table delta (stored as entry + 2), row-major */"))
        #expect(text.contains("byte grid[4] = 0;  /* [0..1][bool] */"))
        #expect(text.contains("active proctype features()"))
        #expect(text.contains("/* initial state 2 */"))
        #expect(text.contains(":: d_step { mode == A && x == 3 && grid[0] == 0"))
        #expect(text.contains("assert(vmc_holds_Small)"))
        #expect(text.contains("/* swap */"))
        #expect(text.contains("vmc_tmp_left = right;"))
        // The ghost is written but never read by a transition: the never-enabled alternative reads it.
        #expect(text.contains(":: d_step { vmc_live -> vmc_live = touched }"))
    }

    /// Translates, builds with SPIN and gcc as the header says, and compares SPIN's stored states with vfio-mc's.
    func compareWithSpin(_ system: TransitionSystem, name: String) throws {
        guard installed("spin"), installed("gcc") else {
            // CI (.ci/run) installs SPIN through scripts/setup-deps and sets VFIO_MC_REQUIRE_SPIN=1, so a
            // comparison that silently stopped running there is a failure, not a skip.
            if ProcessInfo.processInfo.environment["VFIO_MC_REQUIRE_SPIN"] == "1" {
                Issue.record("VFIO_MC_REQUIRE_SPIN=1 but spin or gcc is not installed: the state-count comparison for \(name) cannot run")
            } else {
                print("PromelaTests: spin or gcc is not installed (`which spin`); the state-count comparison for \(name) is skipped")
            }
            return
        }
        var options = ExplorerOptions()
        options.symmetry = false
        let expected = ExplicitExplorer(system: system, options: options, file: name).check().statistics.states
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try PromelaTranslator.translate(system, sourceName: name).write(to: directory.appendingPathComponent("model.pml"),
                                                                        atomically: true, encoding: .utf8)
        let generate = try run(["spin", "-a", "model.pml"], in: directory)
        try #require(generate.status == 0, "spin -a failed for \(name):\n\(generate.output)")
        let compile = try run(["gcc", "-O2", "-DSAFETY", "-DNOFAIR", "-o", "pan", "pan.c"], in: directory)
        try #require(compile.status == 0, "gcc failed for \(name):\n\(compile.output.prefix(2000))")
        let verify = try run(["./pan", "-m1000000", "-c0"], in: directory)
        let line = try #require(verify.output.split(separator: "\n").first { $0.contains("states, stored") }, "\(verify.output)")
        let stored = Int(line.split(separator: " ").first ?? "")
        #expect(stored == expected, "\(name): SPIN stored \(stored.map(String.init) ?? "?") states, vfio-mc \(expected)")
    }
}
