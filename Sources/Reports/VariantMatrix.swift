import ModelLanguage
import PackedSystem

/// One combination of a model's variants and what the engine found under it.
public struct VariantRun: Sendable {
    /// The variant values of this run (empty for a model without variants).
    public let assignment: VariantAssignment
    /// The run's result.
    public let result: CheckResult

    /// Creates a run.
    public init(assignment: VariantAssignment, result: CheckResult) {
        self.assignment = assignment
        self.result = result
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
    public init(single result: CheckResult) {
        self.init(file: result.file, model: result.model, hasVariants: false,
                  runs: [VariantRun(assignment: VariantAssignment(entries: []), result: result)], seconds: result.statistics.seconds)
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
