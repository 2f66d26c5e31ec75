import Explorer
import ModelLanguage
import PackedSystem

/// A reading of the resolver's loop (disputes D5).
public enum LoopVariant: String, Sendable, Hashable, Codable, CaseIterable {
    /// The shipped loop: next := table[next][new] while next is unsupported, ERROR included (never supported).
    case shipped
    /// The posted fix: the loop stops at ERROR and the request fails with EINVAL.
    case fixed
}

/// One rule's verdict under one reading, with the first request of its counterexample.
public struct RuleVerdict: Sendable, Hashable, Codable {
    /// The property of the generated model.
    public let property: String
    /// The rule it checks, in words.
    public let rule: String
    /// The checker's verdict.
    public let verdict: Verdict
    /// For a violation: the flag set and request of the counterexample, `{P2P,PRE_COPY} STOP_COPY -> PRE_COPY`.
    public let example: String?
}

/// How a SET of one (current, requested) pair on one flag set ends.
public struct KernelPath: Sendable, Hashable, Codable {
    /// What the driver loop does.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// The requested state is reached.
        case reached
        /// The resolver returns EINVAL (after the arcs listed).
        case refused
        /// The SET never returns: the resolver's loop or the driver's loop does not end.
        case hangs
    }

    /// The optional flags of the flag set (STOP_COPY is always there).
    public let flags: [String]
    /// The current state.
    public let current: String
    /// The requested state.
    public let requested: String
    /// How it ends.
    public let outcome: Outcome
    /// The states the device goes through, from the current one.
    public let states: [String]

    /// `{P2P,PRE_COPY}`, or `{}` for STOP_COPY alone.
    public var flagSet: String { "{" + flags.joined(separator: ",") + "}" }

    /// `CUR -> NEW: A -> B`, `CUR -> NEW: EINVAL`, `CUR -> NEW: A -> B -> EINVAL` or `... -> HANGS`.
    public var request: String { "\(current) -> \(requested)" }

    /// The path part of a line.
    public var rendered: String {
        switch outcome {
        case .reached: return states.joined(separator: " -> ")
        case .refused: return states.count <= 1 ? "EINVAL" : states.joined(separator: " -> ") + " -> EINVAL"
        case .hangs: return states.joined(separator: " -> ") + " -> HANGS (the SET never returns)"
        }
    }

    /// `{FLAGS} CUR -> NEW: PATH`.
    public var line: String { "\(flagSet) \(request): \(rendered)" }
}

/// The verdicts and paths under one reading of the loop.
public struct KernelVariantResult: Sendable, Hashable, Codable {
    /// The reading.
    public let variant: LoopVariant
    /// The rules' verdicts, in `KernelModel.rules` order.
    public let verdicts: [RuleVerdict]
    /// Every flag set and (current, requested) pair.
    public let paths: [KernelPath]
    /// States the checker explored.
    public let states: Int

    /// Whether some rule is violated.
    public var violated: Bool { verdicts.contains { $0.verdict == .violated } }
}

/// The tables of one file checked under both readings of the loop.
public struct KernelAnalysis: Sendable {
    /// What was read.
    public let tables: KernelTables
    /// One result per reading, shipped first.
    public let results: [KernelVariantResult]

    /// The readings whose verdicts count: the one the file shows, or both when it shows neither.
    public var countedVariants: [LoopVariant] {
        switch tables.loop {
        case .shipped: return [.shipped]
        case .fixed: return [.fixed]
        case .unknown: return LoopVariant.allCases
        }
    }

    /// The result of one reading.
    public func result(_ variant: LoopVariant) -> KernelVariantResult? { results.first { $0.variant == variant } }

    /// States other than ERROR that the documentation gives no permitted arc (new states): any arc into or out
    /// of them violates ArcPermitted.
    public var undocumentedStates: [String] {
        tables.states.filter { $0 != "ERROR" && KernelModel.documentedArcs[$0] == nil }
    }

    /// How a SET from ERROR ends (disputes D4): the resolver's step 1 refuses an unsupported current state (the
    /// kernel warns there); a SET of ERROR while in ERROR succeeds with no arc, as the driver's loop never calls
    /// the resolver. Nil when the file has no ERROR state.
    public var fromError: String? {
        guard let needs = tables.needs["ERROR"] else { return nil }
        let flagSets = KernelResolver.flagSets(tables.optionalFlags).map { Set($0).union(["STOP_COPY"]) }
        let supportedSomewhere = flagSets.contains { needs.supported(by: $0) }
        if supportedSomewhere {
            return "ERROR is supported by some flag set (it needs \(needs.rendered)): a SET from ERROR follows the table's ERROR row"
        }
        return "no flag set supports ERROR (it needs \(needs.rendered)): a SET from ERROR fails with EINVAL at the resolver's first check (the kernel warns there; drivers that refuse first return their own error, disputes D4), and a SET of ERROR while in ERROR succeeds with no arc"
    }

    /// Whether some rule is violated under a reading that counts.
    public var violated: Bool { countedVariants.contains { result($0)?.violated ?? false } }

    /// Checks `tables`: generates the resolver model, runs the explicit engine under both readings, and
    /// computes the paths by running the resolver's algorithm on the table.
    public init(tables: KernelTables) throws {
        self.tables = tables
        guard !tables.states.isEmpty else {
            throw KernelSourceError(file: tables.file, line: nil, column: nil, message: "the table names no state")
        }
        guard tables.states.count <= KernelModel.maxStates else {
            throw KernelSourceError(file: tables.file, line: nil, column: nil,
                                    message: "\(tables.states.count) states: vfio-mc kernel checks at most \(KernelModel.maxStates)")
        }
        guard tables.optionalFlags.count <= KernelModel.maxOptionalFlags else {
            throw KernelSourceError(file: tables.file, line: nil, column: nil,
                                    message: "\(tables.optionalFlags.count) optional flags: vfio-mc kernel checks at most \(KernelModel.maxOptionalFlags)")
        }
        let text = KernelModel.text(for: tables)
        let names = KernelModel.modelNames(tables.states)
        let back = Dictionary(uniqueKeysWithValues: names.map { ($0.value, $0.key) })
        var results: [KernelVariantResult] = []
        for variant in LoopVariant.allCases {
            let system = try ModelLoader.load(text: text, name: "kernel model of \(tables.file)",
                                              overrides: [ConstantOverride(name: "LOOP_FIX", value: variant == .fixed ? "true" : "false")])
            let result = ExplicitExplorer(system: system, options: ExplorerOptions(), file: tables.file).check()
            var verdicts: [RuleVerdict] = []
            for (property, rule) in KernelModel.rules {
                guard let found = result.properties.first(where: { $0.name == property }) else {
                    throw ReviewError.failure("the generated model has no property \(property)")
                }
                var example: String?
                if found.verdict == .violated, let first = found.trace?.steps.first {
                    example = Self.request(in: first, cells: result.cellNames, flags: tables.optionalFlags, names: back)
                }
                verdicts.append(RuleVerdict(property: property, rule: rule, verdict: found.verdict, example: example))
            }
            results.append(KernelVariantResult(variant: variant, verdicts: verdicts,
                                               paths: KernelResolver.paths(tables, variant: variant),
                                               states: result.statistics.states))
        }
        self.results = results
    }

    /// `{FLAGS} START -> REQ` from the initial state of a counterexample.
    static func request(in step: TraceStep, cells: [String], flags: [String], names: [String: String]) -> String? {
        var value: [String: String] = [:]
        for (cell, shown) in zip(cells, step.values) { value[cell] = shown }
        guard let start = value["start"], let requested = value["req"] else { return nil }
        let set = flags.filter { value["f_\($0)"] == "true" }
        return "{" + set.joined(separator: ",") + "} \(names[start] ?? start) -> \(names[requested] ?? requested)"
    }
}
