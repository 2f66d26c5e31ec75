import ModelLanguage

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
    /// The actions an `expect dead` line applying to this combination marks as meant to be dead.
    public let meantDead: Set<String>

    /// Creates a run.
    public init(assignment: VariantAssignment, result: CheckResult, sanity: [String: PropertySanity] = [:],
                meant: [String: SanityMark] = [:], meantDead: Set<String> = []) {
        self.assignment = assignment
        self.result = result
        self.sanity = sanity
        self.meant = meant
        self.meantDead = meantDead
    }

    /// The properties that fail `check --strict`: they hold, are trivial or vacuous, and their `expect` line
    /// does not say so (`holds trivially`, `holds vacuously`); or their line says so and the analysis found
    /// them `ok` (or the other one of the two), so the line claims something false. A property without a
    /// sanity entry was not analysed (for example its premise's reachability is unknown) and never fails.
    public var strictFailures: [(name: String, sanity: PropertySanity, meant: SanityMark?)] {
        result.properties.compactMap { property in
            guard property.verdict == .holds, let sanity = sanity[property.name] else { return nil }
            let mark = meant[property.name]
            switch (sanity, mark) {
            case (.ok, nil), (.trivial, .trivially?), (.vacuous, .vacuously?): return nil
            default: return (property.name, sanity, mark)
            }
        }
    }

    /// The actions that fail `check --strict` for coverage: a dead action (never enabled in a reachable
    /// state) that no `expect dead` line marks, and a marked action that fired. Dead is only claimed after a
    /// complete search (`Coverage.deadActions`); a marked action that fired is live however the search ended.
    /// Empty when there is no coverage (the SMT engine ran alone).
    public var deadActionFailures: [(action: String, marked: Bool)] {
        guard let coverage = result.coverage else { return [] }
        let dead = coverage.deadActions
        var failures = dead.filter { !meantDead.contains($0) }.map { (action: $0, marked: false) }
        for action in coverage.declarations where meantDead.contains(action) && coverage.fired(action) {
            failures.append((action, true))
        }
        return failures
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
    public init(single result: CheckResult, sanity: [String: PropertySanity] = [:], meant: [String: SanityMark] = [:],
                meantDead: Set<String> = []) {
        self.init(file: result.file, model: result.model, hasVariants: false,
                  runs: [VariantRun(assignment: VariantAssignment(entries: []), result: result, sanity: sanity, meant: meant,
                                    meantDead: meantDead)],
                  seconds: result.statistics.seconds)
    }

    /// Every run's result.
    public var results: [CheckResult] { runs.map(\.result) }
    /// Whether every cell met its expectation.
    public var expectationsMet: Bool { runs.allSatisfy(\.result.expectationsMet) }
    /// The engine of the runs.
    public var engine: EngineID { runs.first?.result.engine ?? .explicit }

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
