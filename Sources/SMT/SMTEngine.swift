import ModelLanguage
import PackedSystem

/// Limits for the symbolic engine.
public struct SMTOptions: Sendable {
    /// The deepest bound for bounded model checking and k-induction.
    public var maxDepth: Int = 40
    /// Wall-clock limit for the whole run, passed to Z3 per query as well.
    public var timeoutSeconds: Double?
    /// Memory limit passed to Z3, in bytes.
    public var maxMemoryBytes: Int?

    /// Default options.
    public init() {}
}

/// The symbolic engine: bounded model checking finds shortest violations and witnesses; k-induction proves
/// invariants. (Implementation in progress: every property is reported unknown.)
public final class SMTEngine {
    /// The system checked.
    public let system: TransitionSystem
    /// Limits.
    public let options: SMTOptions
    /// The file name reported in results.
    public let file: String

    /// Creates an engine for a system.
    public init(system: TransitionSystem, options: SMTOptions = SMTOptions(), file: String) {
        self.system = system
        self.options = options
        self.file = file
    }

    /// Checks every property.
    public func run() -> CheckResult {
        let properties = system.properties.map {
            PropertyResult(name: $0.info.name, kind: $0.info.kind, expected: $0.info.expected, verdict: .unknown, engine: "smt",
                           note: "the SMT engine is not implemented yet")
        }
        var statistics = RunStatistics()
        statistics.complete = false
        return CheckResult(file: file, model: system.name, cellNames: system.cellNames, cellTypes: system.layout.fields.map(\.type),
                           properties: properties, statistics: statistics, engine: "smt")
    }
}
