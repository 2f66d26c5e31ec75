import Explorer
import ModelLanguage
import PackedSystem

/// Two versions of a model with variants compared cell by cell: each combination of the base is paired with
/// each combination of the proposal that gives the same value to every variant both versions declare (so a
/// model that gains a variant pairs its old single run with every new combination), and each pair is compared
/// as `ModelDiff` compares two models. A base combination without a partner has disappeared, which counts as a
/// regression, as a disappeared property does.
public struct MatrixDiff: Sendable {
    /// One paired combination and its comparison.
    public struct Pair: Sendable {
        /// The combination, with the variants of both versions (the base's first).
        public let label: String
        /// The comparison of the two runs.
        public let diff: ModelDiff
    }

    /// How the versions are named.
    public let baseName: String
    /// How the proposal is named.
    public let proposedName: String
    /// The number of combinations of each version.
    public let counts: (base: Int, proposed: Int)
    /// The pairs, in the base's order, then the proposal's.
    public let pairs: [Pair]
    /// Base combinations with no partner in the proposal.
    public let removed: [VariantAssignment]
    /// Proposed combinations with no partner in the base.
    public let added: [VariantAssignment]

    /// Checks every pair of matching combinations and compares them.
    public init(base: [(assignment: VariantAssignment, system: TransitionSystem)], baseName: String,
                proposed: [(assignment: VariantAssignment, system: TransitionSystem)], proposedName: String,
                options: ExplorerOptions = ExplorerOptions(), paths: ModelDiff.PathDefinitions = ModelDiff.PathDefinitions()) {
        self.baseName = baseName
        self.proposedName = proposedName
        counts = (base.count, proposed.count)
        var pairs: [Pair] = []
        var matchedProposals: Set<Int> = []
        var removed: [VariantAssignment] = []
        for old in base {
            var matched = false
            for (index, new) in proposed.enumerated() where Self.agree(old.assignment, new.assignment) {
                matched = true
                matchedProposals.insert(index)
                let diff = ModelDiff(base: old.system, baseName: baseName, proposed: new.system, proposedName: proposedName,
                                     options: options, paths: paths)
                pairs.append(Pair(label: Self.label(old.assignment, new.assignment), diff: diff))
            }
            if !matched { removed.append(old.assignment) }
        }
        self.pairs = pairs
        self.removed = removed
        added = proposed.indices.filter { !matchedProposals.contains($0) }.map { proposed[$0].assignment }
    }

    /// Whether two assignments give the same value to every variant both name.
    static func agree(_ a: VariantAssignment, _ b: VariantAssignment) -> Bool {
        a.entries.allSatisfy { entry in b.entries.first { $0.name == entry.name }.map { $0.value == entry.value } ?? true }
    }

    /// The union of two agreeing assignments, `(no variants)` when both are empty.
    static func label(_ a: VariantAssignment, _ b: VariantAssignment) -> String {
        let union = a.entries + b.entries.filter { entry in !a.entries.contains { $0.name == entry.name } }
        return union.isEmpty ? "(no variants)" : VariantAssignment(entries: union).description
    }

    /// 1 when a pair regressed or a base combination disappeared; else 3 when a verdict is missing; else 0.
    public var exitCode: Int32 {
        if !removed.isEmpty || pairs.contains(where: { $0.diff.exitCode == 1 }) { return 1 }
        if pairs.contains(where: { $0.diff.exitCode == 3 }) { return 3 }
        return 0
    }
}

/// What `diff` found: two models without variants compared, or two models with variants compared combination by
/// combination.
public enum DiffOutcome: Sendable {
    /// Neither version declares variants.
    case single(ModelDiff)
    /// Either version declares variants.
    case matrix(MatrixDiff)

    /// Loads both versions (every combination of their variants) and compares them: `single` when neither has
    /// variants, else `matrix` (docs/reviewing.md). Unreadable input and model errors are a `ReviewError`; so is
    /// `options`' budget running out while a version is lowered (its `stopReason` set), as in `check`.
    public static func compare(base: ModelInput, proposed: ModelInput, overrides: [ConstantOverride],
                               options: ExplorerOptions, paths: ModelDiff.PathDefinitions) throws -> DiffOutcome {
        let budget = options.budget.buildBudget
        let baseRuns = try ModelLoader.loadCombinations(base, overrides: overrides, budget: budget)
        let proposedRuns = try ModelLoader.loadCombinations(proposed, overrides: overrides, budget: budget)
        if baseRuns.count == 1, proposedRuns.count == 1, baseRuns[0].assignment.isEmpty, proposedRuns[0].assignment.isEmpty {
            return .single(ModelDiff(base: baseRuns[0].system, baseName: base.displayName, proposed: proposedRuns[0].system,
                                     proposedName: proposed.displayName, options: options, paths: paths))
        }
        return .matrix(MatrixDiff(base: baseRuns, baseName: base.displayName, proposed: proposedRuns,
                                  proposedName: proposed.displayName, options: options, paths: paths))
    }

    /// The exit status of `diff` (see `ModelDiff.exitCode`, `MatrixDiff.exitCode`).
    public var exitCode: Int32 {
        switch self {
        case .single(let diff): return diff.exitCode
        case .matrix(let diff): return diff.exitCode
        }
    }
}
