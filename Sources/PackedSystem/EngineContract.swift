/// What every engine shares: the contract the commands, the cross-engine comparison and the tests program
/// against, so a new engine (or a new way to call one) does not copy the explicit or the SMT engine's details.
///
/// An engine is created for one system with its own options (which include an `EngineBudget`), and `run()`
/// returns a value: the `CheckResult` every renderer takes, plus whatever that engine alone can say (the explored
/// graph of the explicit engine, the solver statistics and invariants of the SMT engine). Nothing is read from the
/// engine object after `run()`.
public protocol CheckingEngine {
    /// What `run()` returns beside the common result.
    associatedtype Run: EngineRun
    /// The engine's identifier, as results carry it.
    static var id: EngineID { get }
    /// The system checked.
    var system: TransitionSystem { get }
    /// The limits the run honours.
    var budget: EngineBudget { get }
    /// Checks every property of `system` once.
    func run() -> Run
}

/// The value an engine's run returns.
public protocol EngineRun {
    /// The verdicts, traces and statistics, in the form every renderer takes.
    var result: CheckResult { get }
}

extension CheckingEngine {
    /// Runs the engine and keeps only the common result.
    public func check() -> CheckResult { run().result }
}

/// Which engine produced a result or a verdict. `both` marks a result (or a property) that the cross-engine
/// comparison produced from the two engines' runs. Rendered by its raw value, the name the `--engine` option takes.
public enum EngineID: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The explicit-state engine (breadth-first search).
    case explicit
    /// The Z3 engine (BMC, k-induction, PDR, lassos).
    case smt
    /// Both engines, cross-checked.
    case both

    /// The name shown in text, JSON, ITF and the reports.
    public var description: String { rawValue }
}

/// The limits of one engine run, declared once for every engine. Each engine reads the limits it can honour:
/// the explicit engine all of them, the SMT engine the memory (given to Z3), the time and the interruption (it has
/// no states to count, so `maxStates` does not apply to it).
public struct EngineBudget: Sendable {
    /// Stop (without a verdict for undecided properties) once this many distinct states are stored.
    public var maxStates: Int?
    /// Stop before the process's resident memory would exceed this many bytes.
    public var maxMemoryBytes: Int?
    /// Whether `maxMemoryBytes` is the default limit (`DefaultMemoryLimit`) rather than one the user gave: a stop
    /// at it says so, and how to change it.
    public var memoryLimitIsDefault = false
    /// Stop after this many seconds of the run.
    public var timeoutSeconds: Double?
    /// Asked between units of work (batches, bounds) whether to stop now, for example after SIGINT or when the
    /// command's own budget is spent; a non-nil answer is the stop reason, and the run ends as at a time limit:
    /// partial statistics, undecided properties.
    public var interruption: (@Sendable () -> StopReason?)?
    /// The limit a time-limit stop names when `timeoutSeconds` is only what is left of it: a command hands each
    /// variant combination the rest of its own `--timeout`, and the stop must say "time limit of 60 s reached",
    /// not "of 0.001 s". Nil: `timeoutSeconds` is the limit itself.
    public var statedTimeoutSeconds: Double?

    /// The seconds a time-limit stop names.
    public var timeLimitShown: Double { statedTimeoutSeconds ?? timeoutSeconds ?? 0 }

    /// No limits.
    public init(maxStates: Int? = nil, maxMemoryBytes: Int? = nil, timeoutSeconds: Double? = nil,
                interruption: (@Sendable () -> StopReason?)? = nil) {
        self.maxStates = maxStates
        self.maxMemoryBytes = maxMemoryBytes
        self.timeoutSeconds = timeoutSeconds
        self.interruption = interruption
    }

    /// The same memory limit and interruption for building the system (grounding) before the run.
    public var buildBudget: BuildBudget {
        BuildBudget(maxResidentBytes: maxMemoryBytes, interruption: interruption, memoryLimitIsDefault: memoryLimitIsDefault)
    }

    /// The stop reason of a run that reached the memory limit `bytes`.
    public func memoryStop(_ bytes: Int) -> StopReason { .memoryLimit(bytes: bytes, byDefault: memoryLimitIsDefault) }
}

/// Why a run (or the building of a system) stopped before it was complete. Rendered (`description`) to the exact
/// words the text, JSON and report outputs have always shown.
public enum StopReason: Sendable, Hashable, CustomStringConvertible {
    /// `--max-states` reached: "state limit of N reached".
    case stateLimit(Int)
    /// The state store's own capacity reached: "the explorer's limit of N states reached".
    case storeCapacity(Int)
    /// The memory limit reached: "memory limit of N bytes reached", followed, when it is the default limit rather
    /// than the user's `--max-memory`, by what the default is and how to change it.
    case memoryLimit(bytes: Int, byDefault: Bool = false)
    /// The system refused the memory to grow the state store (an address-space limit such as `ulimit -v`, or the
    /// kernel's overcommit limit), with no `--max-memory` reached: "the system refused the memory to grow the state
    /// store to N bytes".
    case outOfMemory(bytes: Int)
    /// The time limit reached: "time limit of S s reached" (whole seconds without a fraction).
    case timeLimit(seconds: Double)
    /// A run's share of the command's time limit used up (a variant combination's, so that every combination
    /// is started): "this combination's share of the time limit used up: 15 s of 60 s".
    case timeShare(seconds: Double, of: Double)
    /// A signal asked the process to stop: "interrupted by SIGINT".
    case signal(name: String)
    /// The solver stopped on its own, in the engine's words ("Z3 reached the time limit", "Z3 gave up: ...").
    case solver(String)
    /// The engine failed (for example Z3 could not be set up): the error's text.
    case engineError(String)

    public var description: String {
        switch self {
        case .stateLimit(let limit): return "state limit of \(limit) reached"
        case .storeCapacity(let limit): return "the explorer's limit of \(limit) states reached"
        case .memoryLimit(let bytes, false): return "memory limit of \(bytes) bytes reached"
        case .memoryLimit(let bytes, true):
            return "memory limit of \(bytes) bytes reached (the default: \(DefaultMemoryLimit.percent)% of what the machine or its "
                + "cgroup allows; --max-memory changes it)"
        case .outOfMemory(let bytes): return "the system refused the memory to grow the state store to \(bytes) bytes"
        case .timeLimit(let seconds): return "time limit of \(Self.format(seconds)) s reached"
        case .timeShare(let seconds, let limit):
            // A share is a fraction of the limit: shown to a tenth of a second (a hundredth below one second).
            let shown = seconds >= 1 ? (seconds * 10).rounded() / 10 : (seconds * 100).rounded() / 100
            return "this combination's share of the time limit used up: \(Self.format(shown)) s of \(Self.format(limit)) s"
        case .signal(let name): return "interrupted by \(name)"
        case .solver(let words), .engineError(let words): return words
        }
    }

    /// Seconds as the limits print them: `5`, `0.5`, `1e-06` (beyond 1e15 in Double's own form, where a whole
    /// number would not fit an Int).
    public static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? String(Int(seconds)) : String(seconds)
    }
}
