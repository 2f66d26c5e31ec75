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
        return arguments.isEmpty ? action : action + "(" + arguments.map(\.formatted).joined(separator: ", ") + ")"
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
        arguments.isEmpty ? action : action + "(" + arguments.map(\.formatted).joined(separator: ", ") + ")"
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
    /// The engine that produced the verdict.
    public var engine: String
    /// A remark, such as why there is no verdict.
    public var note: String?

    /// Creates a result.
    public init(name: String, kind: CheckedPropertyKind, expected: ExpectedVerdict, verdict: Verdict, trace: Trace? = nil,
                engine: String, note: String? = nil) {
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
}

/// Statistics of a run.
public struct RunStatistics: Sendable, Hashable {
    /// Distinct states stored.
    public var states: Int = 0
    /// Transitions (successors generated, including duplicates).
    public var transitions: Int = 0
    /// Depth of the breadth-first search (the longest shortest path).
    public var depth: Int = 0
    /// Wall-clock seconds.
    public var seconds: Double = 0
    /// Peak resident memory of the process, in bytes.
    public var peakMemoryBytes: Int = 0
    /// Bytes the engine's own structures used at the end.
    public var engineBytes: Int = 0
    /// Reductions applied (for example "symmetry over Dev (3 elements)").
    public var reductions: [String] = []
    /// Remarks on the run, such as why a reduction was not applied.
    public var notes: [String] = []
    /// Threads used by the search.
    public var threads = 1
    /// Whether the state space was fully explored.
    public var complete: Bool = true
    /// Why the search stopped early, if it did.
    public var stopReason: String?

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
    /// The engine's name.
    public let engine: String
    /// Set when two engines were run and reached different verdicts on some property.
    public var disagreement = false
    /// What each ground action did in the explicit search; nil when only the SMT engine ran.
    public var coverage: Coverage?

    /// Creates a result.
    public init(file: String, model: String, cellNames: [String], cellTypes: [FiniteType], properties: [PropertyResult],
                statistics: RunStatistics, engine: String) {
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
