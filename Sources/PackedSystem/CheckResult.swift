import ModelLanguage

/// What an engine concluded about one property.
public enum Verdict: String, Sendable, Hashable, Codable {
    case holds, violated, reachable, unreachable
    /// No verdict: a budget ran out, or the engine cannot decide this property.
    case unknown
}

/// One step of a trace: the initial state (no action) or the state an action produced.
public struct TraceStep: Sendable, Hashable {
    /// The action's name, nil for the initial state.
    public let action: String?
    /// The action's parameters.
    public let arguments: [ActionArgument]
    /// The packed state after the step.
    public let state: [UInt64]
    /// Every cell's value, typed, in layout order: the number a range holds, 0 or 1 for a boolean, an enumeration
    /// constant's position, a scalarset element's index. Renderers that need a value as data (JSON, ITF, the
    /// sequence diagram) read it here and format it with `CheckResult.cellTypes`, never by parsing `values`.
    public let cells: [Int64]
    /// Every cell's value, formatted by its type (`FiniteType.format`), in layout order.
    public let values: [String]

    /// Creates a step; `values` are the `cells` formatted by their types (see `TransitionSystem.step`).
    public init(action: String?, arguments: [ActionArgument], state: [UInt64], cells: [Int64], values: [String]) {
        self.action = action
        self.arguments = arguments
        self.state = state
        self.cells = cells
        self.values = values
    }

    /// `name(arg, arg)`, or `initial state`.
    public var label: String {
        guard let action else { return "initial state" }
        return ActionArgument.label(action, arguments)
    }
}

/// A counterexample or witness: a sequence of states from an initial state.
public struct Trace: Sendable, Hashable {
    /// The steps, the first being the initial state.
    public let steps: [TraceStep]
    /// For a lasso, the index of the step where the loop starts (the last step leads back to it).
    public let loopStart: Int?
    /// When the trace ends with an action that failed (assertion or bounds): that action, its failure and where.
    public let failure: TraceFailure?

    /// Creates a trace.
    public init(steps: [TraceStep], loopStart: Int? = nil, failure: TraceFailure? = nil) {
        self.steps = steps
        self.loopStart = loopStart
        self.failure = failure
    }

    /// The number of transitions (steps after the initial state, plus a failing action).
    public var length: Int { steps.count - 1 + (failure == nil ? 0 : 1) }
}

/// An action that failed in the last state of a trace.
public struct TraceFailure: Sendable, Hashable {
    /// The action.
    public let action: String
    /// Its parameters.
    public let arguments: [ActionArgument]
    /// What failed.
    public let message: String
    /// 1-based line and column of the failing statement.
    public let line: Int
    /// Column of the failing statement.
    public let column: Int

    /// Creates a failure.
    public init(action: String, arguments: [ActionArgument], message: String, line: Int, column: Int) {
        self.action = action
        self.arguments = arguments
        self.message = message
        self.line = line
        self.column = column
    }

    /// `name(arg, arg)`.
    public var label: String {
        ActionArgument.label(action, arguments)
    }
}

/// The result for one property.
public struct PropertyResult: Sendable, Hashable {
    /// The property's name.
    public let name: String
    /// Its kind.
    public let kind: CheckedPropertyKind
    /// The verdict CI must see.
    public let expected: ExpectedVerdict
    /// What the engine found.
    public var verdict: Verdict
    /// The counterexample or witness, when there is one.
    public var trace: Trace?
    /// The engine that produced the verdict (`both` when both engines decided it alike).
    public var engine: EngineID
    /// A remark, such as why there is no verdict.
    public var note: String?
    /// Under the cross-check (`--engine both`): what each engine said on its own, verdict and note. The merged
    /// `verdict` and `note` above are one engine's (or the disagreement); this keeps the other's, so a reader
    /// sees why a property stayed open in one engine. Nil when one engine ran.
    public var engines: CrossCheckedVerdicts?

    /// Creates a result.
    public init(name: String, kind: CheckedPropertyKind, expected: ExpectedVerdict, verdict: Verdict, trace: Trace? = nil,
                engine: EngineID, note: String? = nil) {
        self.name = name
        self.kind = kind
        self.expected = expected
        self.verdict = verdict
        self.trace = trace
        self.engine = engine
        self.note = note
    }

    /// Whether the verdict is the expected one.
    public var meetsExpectation: Bool { verdict.rawValue == expected.rawValue }

    /// Whether the cross-check found the two engines deciding this property differently.
    public var enginesDisagree: Bool { engines?.disagree ?? false }
}

/// One engine's own verdict on a property, and its remark (why there is no verdict, or how it was reached).
public struct EngineVerdict: Sendable, Hashable {
    /// What the engine found.
    public let verdict: Verdict
    /// Its remark, when it made one.
    public let note: String?

    /// Creates an engine's verdict.
    public init(verdict: Verdict, note: String?) {
        self.verdict = verdict
        self.note = note
    }

    /// The verdict and note of `property` as its engine reported it.
    public init(_ property: PropertyResult) {
        self.init(verdict: property.verdict, note: property.note)
    }
}

/// Both engines' verdicts on one property under `--engine both`, kept beside the merged verdict
/// (`PropertyResult.engines`).
public struct CrossCheckedVerdicts: Sendable, Hashable {
    /// The explicit-state engine's.
    public let explicit: EngineVerdict
    /// The SMT engine's.
    public let smt: EngineVerdict

    /// Creates the pair.
    public init(explicit: EngineVerdict, smt: EngineVerdict) {
        self.explicit = explicit
        self.smt = smt
    }

    /// Whether both engines decided and their verdicts differ.
    public var disagree: Bool {
        explicit.verdict != .unknown && smt.verdict != .unknown && explicit.verdict != smt.verdict
    }
}

/// Statistics of a run. Every engine fills the same fields with the same meaning; a field an engine cannot
/// measure keeps its zero value, as each field's comment says.
public struct RunStatistics: Sendable, Hashable {
    /// Distinct states stored by the explicit search (after symmetry reduction: representatives). 0 for the SMT
    /// engine, which stores no states.
    public var states: Int = 0
    /// Transitions of the explicit search: successors generated, duplicates included. 0 for the SMT engine.
    public var transitions: Int = 0
    /// Explicit search: the depth of the breadth-first search (the longest shortest path from an initial state).
    /// SMT engine: the deepest bound BMC and k-induction reached (0 when no bound was tried).
    public var depth: Int = 0
    /// Wall-clock seconds of the run (building the system not included).
    public var seconds: Double = 0
    /// Peak resident memory of the whole process, in bytes, when the run ended (`ProcessMemory.peakResidentBytes`,
    /// the same measure for every engine; it includes what other runs of the same process used before).
    public var peakMemoryBytes: Int = 0
    /// Bytes the explicit engine's state store used at the end (states, parents, actions, hash index). 0 for the
    /// SMT engine, whose memory is Z3's.
    public var engineBytes: Int = 0
    /// State-space reductions applied by the explicit search (for example "symmetry over Dev (3 elements)").
    public var reductions: [String] = []
    /// The decision procedures the SMT engine ran, in the order it reports them ("bmc", "k-induction", "houdini", "pdr",
    /// "lasso bmc", "liveness-to-safety pdr"). Empty for the explicit engine.
    public var methods: [String] = []
    /// Remarks on the run, such as why a reduction was not applied.
    public var notes: [String] = []
    /// Threads used by the explicit search (1 for the SMT engine).
    public var threads = 1
    /// Rounds of the parallel search that ran on one thread because they were faster there
    /// (`--parallel-rounds adaptive`), and all its rounds; 0 for a one-thread search and the SMT engine.
    public var roundsOnOneThread = 0
    public var rounds = 0
    /// Whether the run covered everything it set out to (the whole state space; every bound up to the limit).
    public var complete: Bool = true
    /// Why the run stopped early, if it did.
    public var stopReason: StopReason?

    /// Creates empty statistics.
    public init() {}

    /// States per second.
    public var statesPerSecond: Double { seconds > 0 ? Double(states) / seconds : 0 }
    /// Peak resident memory per state.
    public var bytesPerState: Double { states > 0 ? Double(peakMemoryBytes) / Double(states) : 0 }
}

/// Everything one engine found about one model: the contract between engines and renderers.
public struct CheckResult: Sendable {
    /// The model file.
    public let file: String
    /// The model's name.
    public let model: String
    /// Names of every cell, in layout order (the columns of `TraceStep.values`).
    public let cellNames: [String]
    /// Types of every cell, in layout order.
    public let cellTypes: [FiniteType]
    /// Per-property results, in model order.
    public var properties: [PropertyResult]
    /// Run statistics.
    public var statistics: RunStatistics
    /// The engine that ran (`both`: the cross-engine comparison of two runs).
    public let engine: EngineID
    /// Set when two engines were run and reached different verdicts on some property.
    public var disagreement = false
    /// What each ground action did in the explicit search; nil when only the SMT engine ran.
    public var coverage: Coverage?

    /// Creates a result.
    public init(file: String, model: String, cellNames: [String], cellTypes: [FiniteType], properties: [PropertyResult],
                statistics: RunStatistics, engine: EngineID) {
        self.file = file
        self.model = model
        self.cellNames = cellNames
        self.cellTypes = cellTypes
        self.properties = properties
        self.statistics = statistics
        self.engine = engine
    }

    /// Whether every property met its expectation.
    public var expectationsMet: Bool { properties.allSatisfy(\.meetsExpectation) }
    /// Whether some property has no verdict.
    public var hasUnknown: Bool { properties.contains { $0.verdict == .unknown } }
}
