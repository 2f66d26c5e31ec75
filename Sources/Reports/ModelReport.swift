import Analysis
import Explorer
import ModelLanguage
import PackedSystem

/// Switches for the report renderers.
public struct ReportOptions: Sendable {
    /// Include wall-clock times, rates and memory figures (they change from run to run, so they are off by default
    /// and committed reports stay byte-for-byte reproducible).
    public var timings = false

    /// Default options: deterministic output.
    public init() {}
}

/// Everything the renderers need about one checked model.
public struct ModelReport: Sendable {
    /// The base name of the model's files in the report directory (unique among the models of a report).
    public let slug: String
    /// The check result.
    public let result: CheckResult
    /// The system that was checked.
    public let system: TransitionSystem
    /// The devices and device state variables found in the model.
    public let projection: DeviceProjection
    /// The reachable graph projected on each device state variable.
    public let stateGraphs: [ProjectedStateGraph]
    /// A remark about the state graphs (for example that the search stopped early, so they are partial).
    public let graphNote: String?
    /// Per property (parallel to `result.properties`), the slug used in file names and anchors.
    public let propertySlugs: [String]
    /// Every combination's run (with the sanity of each property and the coverage), for the verdict matrix, the
    /// sanity column and the coverage table; nil when the caller did not run them (the page then shows none).
    public var matrix: MatrixResult?

    /// Creates a report for one model.
    public init(slug: String, result: CheckResult, system: TransitionSystem, projection: DeviceProjection,
                stateGraphs: [ProjectedStateGraph], graphNote: String? = nil) {
        self.slug = slug
        self.result = result
        self.system = system
        self.projection = projection
        self.stateGraphs = stateGraphs
        self.graphNote = graphNote
        var used: Set<String> = []
        var slugs: [String] = []
        for property in result.properties {
            let base = Markup.slug(property.name)
            slugs.append(Markup.unique(base, among: &used))
        }
        propertySlugs = slugs
    }

    /// The HTML page's path, relative to the report directory.
    public var htmlPath: String { slug + ".html" }
    /// The Markdown page's path.
    public var markdownPath: String { slug + ".md" }

    /// The ITF file of property `index`'s trace.
    public func itfPath(_ index: Int) -> String { "itf/\(slug).\(propertySlugs[index]).itf.json" }
    /// The sequence diagram file of property `index`'s trace (used by the Markdown page).
    public func sequencePath(_ index: Int) -> String { "svg/\(slug).\(propertySlugs[index]).sequence.svg" }
    /// The file of state graph `index` (used by the Markdown page).
    public func graphPath(_ index: Int) -> String {
        let graph = stateGraphs[index]
        return "svg/\(slug).\(Markup.slug(graph.variable)).\(Markup.slug(graph.devices.first ?? "all")).states.svg"
    }

    /// The indices of the properties that have a trace: counterexamples first, then witnesses, each in model order.
    public var tracedProperties: (counterexamples: [Int], witnesses: [Int]) {
        let traced = result.properties.indices.filter { result.properties[$0].trace != nil }
        return (traced.filter { result.properties[$0].verdict != .reachable }, traced.filter { result.properties[$0].verdict == .reachable })
    }

    /// The sequence diagram of property `index`'s trace.
    public func sequenceDiagram(_ index: Int) -> SequenceDiagram? {
        let property = result.properties[index]
        guard let trace = property.trace else { return nil }
        return SequenceDiagram(trace: trace, projection: projection, cellNames: result.cellNames,
                               conclusion: Self.conclusion(property, trace))
    }

    /// What the last state of a trace shows, for the end of its sequence diagram.
    static func conclusion(_ property: PropertyResult, _ trace: Trace) -> String? {
        if trace.failure != nil || trace.loopStart != nil { return nil }
        switch property.kind {
        case .invariant: return "invariant \(property.name) is false in this state"
        case .reachable: return "goal \(property.name) holds in this state"
        case .deadlock: return "deadlock: no action can be taken in this state"
        case .bounds: return "bounds: a property's value is out of its domain in this state"
        default: return nil
        }
    }

    /// Status text of a property: `ok`, `FAIL` or `UNKNOWN`.
    static func status(_ property: PropertyResult) -> (text: String, css: String) {
        if property.verdict == .unknown { return ("UNKNOWN", "unknown") }
        if property.enginesDisagree { return ("DISAGREE", "fail") }
        return property.meetsExpectation ? ("ok", "ok") : ("FAIL", "fail")
    }

    /// Counts for the index: properties, met, violated, reachable.
    var counts: (properties: Int, met: Int, violated: Int, reachable: Int, unknown: Int) {
        let properties = result.properties
        return (properties.count, properties.filter(\.meetsExpectation).count, properties.filter { $0.verdict == .violated }.count,
                properties.filter { $0.verdict == .reachable }.count, properties.filter { $0.verdict == .unknown }.count)
    }

    /// The model's overall status: a sentence, a short word for the index, and the style.
    var overall: (text: String, short: String, css: String) {
        if result.disagreement { return ("engines disagree", "disagree", "fail") }
        if result.properties.contains(where: { !$0.meetsExpectation && $0.verdict != .unknown }) { return ("expectation failed", "FAIL", "fail") }
        if result.hasUnknown { return ("no verdict for some properties", "no verdict", "unknown") }
        return ("every expectation met", "ok", "ok")
    }

    /// Constants with their values, as `N = 3`.
    var constantsText: [String] {
        system.model.constants.map { constant in
            switch constant.type {
            case .bool: return "\(constant.name) = \(constant.value != 0 ? "true" : "false")"
            default: return "\(constant.name) = \(constant.value)"
            }
        }
    }

    /// For a model with variants, the combination this report shows (`load=ON_EXIT`, ...) and how many the
    /// model runs; nil without variants. (The report shows one combination; `check` shows the whole matrix.)
    var variantsText: (values: [String], combinations: Int)? {
        let model = system.model
        guard !model.variants.isEmpty else { return nil }
        return (model.variantAssignment.entries.map { "\($0.name)=\($0.value)" }, model.combinations.count)
    }

    /// Statistics rows: label and value; timing rows only when asked for.
    func statisticsRows(_ options: ReportOptions) -> [(String, String)] {
        let statistics = result.statistics
        var rows: [(String, String)] = [
            ("engine", result.engine.rawValue),
            ("distinct states", Markup.grouped(statistics.states)),
            ("transitions", Markup.grouped(statistics.transitions)),
            ("depth (longest shortest path)", String(statistics.depth)),
            ("state space fully explored", statistics.complete ? "yes" : "no"),
            ("reductions", statistics.reductions.isEmpty ? "none" : statistics.reductions.joined(separator: ", ")),
            ("state bits (words of 64 bits)", "\(system.layout.usedBits) (\(system.layout.wordCount))"),
            ("ground actions", String(system.actions.count)),
        ]
        if let reason = statistics.stopReason { rows.append(("stopped early", reason.description)) }
        if options.timings {
            rows += [
                ("seconds", Markup.fixed(statistics.seconds, places: 3)),
                ("states per second", Markup.grouped(Int(statistics.statesPerSecond.rounded()))),
                ("peak resident memory", Markup.bytes(statistics.peakMemoryBytes)),
                ("engine memory", Markup.bytes(statistics.engineBytes)),
                ("bytes per state (peak memory / states)", Markup.fixed(statistics.bytesPerState, places: 1)),
            ]
        }
        return rows
    }
}

extension ModelReport {
    /// Checks one system with the explicit engine and projects its reachable graph on the device state variables
    /// (`ModelAnalysis`, the same analysis `diff` and `export` use), with a note when the graphs are partial. The
    /// verdict matrix (`matrix`) is the caller's to set.
    public init(analysing system: TransitionSystem, file: String, slug: String, options: ExplorerOptions) {
        let analysis = ModelAnalysis(system: system, name: file, options: options)
        let result = analysis.result
        var note: String?
        if !analysis.projection.stateVariables.isEmpty {
            if !result.statistics.complete && analysis.graphs.isEmpty {
                note = "The search stopped early (\(result.statistics.stopReason?.description ?? "budget")) and the command's budget was spent: "
                    + "no graphs are drawn."
            } else if !result.statistics.complete {
                note = "The search stopped early (\(result.statistics.stopReason?.description ?? "budget")): the graphs show the transitions "
                    + "from the states it explored."
            } else if !result.statistics.reductions.isEmpty {
                note = "The search stored one representative per class of symmetric states; the graphs show the transitions "
                    + "from those representatives, which cover every change up to a permutation of the devices."
            }
        }
        self.init(slug: slug, result: result, system: system, projection: analysis.projection, stateGraphs: analysis.graphs,
                  graphNote: note)
    }
}
