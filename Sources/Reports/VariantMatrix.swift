import ModelLanguage
import PackedSystem

/// Whether a property says something about the protocol (issue 13, item 3): `trivial` when it holds by
/// construction (see `Triviality`), `vacuous` when its premise is never true in a reachable state (see
/// `Vacuity`), else `ok`. The note says why.
public enum PropertySanity: Sendable, Hashable {
    case ok
    case trivial(String)
    case vacuous(String)

    /// `ok`, `trivial` or `vacuous`.
    public var label: String {
        switch self {
        case .ok: return "ok"
        case .trivial: return "trivial"
        case .vacuous: return "vacuous"
        }
    }

    /// Why, when not `ok`.
    public var note: String? {
        switch self {
        case .ok: return nil
        case .trivial(let why), .vacuous(let why): return why
        }
    }
}

/// One combination of a model's variants and what the engine found under it.
public struct VariantRun: Sendable {
    /// The variant values of this run (empty for a model without variants).
    public let assignment: VariantAssignment
    /// The run's result.
    public let result: CheckResult
    /// Each property's sanity, by name; a property without an entry was not analysed.
    public let sanity: [String: PropertySanity]
    /// The properties whose `expect` line says they hold trivially or vacuously.
    public let meant: [String: SanityMark]

    /// Creates a run.
    public init(assignment: VariantAssignment, result: CheckResult, sanity: [String: PropertySanity] = [:],
                meant: [String: SanityMark] = [:]) {
        self.assignment = assignment
        self.result = result
        self.sanity = sanity
        self.meant = meant
    }

    /// The properties that fail `check --strict`: they hold, are trivial or vacuous, and their `expect` line
    /// does not say so (`holds trivially`, `holds vacuously`).
    public var strictFailures: [(name: String, sanity: PropertySanity)] {
        result.properties.compactMap { property in
            guard property.verdict == .holds, let sanity = sanity[property.name] else { return nil }
            switch (sanity, meant[property.name]) {
            case (.ok, _), (.trivial, .trivially?), (.vacuous, .vacuously?): return nil
            default: return (property.name, sanity)
            }
        }
    }
}

/// Every run of one model: the verdict matrix has a row per property and a column per run. A model without
/// variants has one run, and every renderer shows it exactly as a single result.
public struct MatrixResult: Sendable {
    /// The model file.
    public let file: String
    /// The model's name.
    public let model: String
    /// Whether the model declares variants (shown as a matrix even when pins leave one combination).
    public let hasVariants: Bool
    /// The runs, in combination order.
    public let runs: [VariantRun]
    /// Wall-clock seconds of the whole matrix (runs may overlap, so this is not the sum of theirs).
    public let seconds: Double

    /// Creates a matrix.
    public init(file: String, model: String, hasVariants: Bool, runs: [VariantRun], seconds: Double) {
        self.file = file
        self.model = model
        self.hasVariants = hasVariants
        self.runs = runs
        self.seconds = seconds
    }

    /// A model without variants: its single result.
    public init(single result: CheckResult, sanity: [String: PropertySanity] = [:], meant: [String: SanityMark] = [:]) {
        self.init(file: result.file, model: result.model, hasVariants: false,
                  runs: [VariantRun(assignment: VariantAssignment(entries: []), result: result, sanity: sanity, meant: meant)],
                  seconds: result.statistics.seconds)
    }

    /// Every run's result.
    public var results: [CheckResult] { runs.map(\.result) }
    /// Whether every cell met its expectation.
    public var expectationsMet: Bool { runs.allSatisfy(\.result.expectationsMet) }
    /// The engine of the runs.
    public var engine: String { runs.first?.result.engine ?? "explicit" }

    /// `#1`, `#2`, ...: the short column name of run `index`.
    public static func columnName(_ index: Int) -> String { "#\(index + 1)" }

    /// The property names, in model order (the first run's; every combination declares the same properties).
    public var propertyNames: [String] {
        var names: [String] = []
        for run in runs {
            for property in run.result.properties where !names.contains(property.name) { names.append(property.name) }
        }
        return names
    }

    /// The result of property `name` in run `index`, if that run has it.
    public func cell(_ name: String, run index: Int) -> PropertyResult? {
        runs[index].result.properties.first { $0.name == name }
    }
}
