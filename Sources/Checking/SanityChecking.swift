import Explorer
import ModelLanguage
import PackedSystem

/// Checking one model with the sanity rules of issue 13 (item 3): the triviality analysis runs on the checked
/// model; for the explicit engine, each implication invariant's and `leadsto`'s premise is added as a `reachable`
/// goal to the same search (the goals are removed from the result again, so verdicts, statistics and traces are
/// those of the model alone), and a premise no reachable state satisfies makes its property vacuous.
extension SystemChecking {
    /// Builds `model`, checks it with `check` (the selected engines on the built system; the explicit engine runs
    /// when `engines` is not `.smt`, which is what adds the premise goals), and returns the result with the
    /// sanity of each property.
    public static func checkWithSanity(_ model: CheckedModel, engines: EngineSelection, budget: BuildBudget,
                                       check: (TransitionSystem) -> CheckResult) -> Result<SanityRun, ModelErrors> {
        let trivial = Triviality.trivialProperties(model)
        var goals: [String: String] = [:]
        var system: TransitionSystem
        switch SystemBuilder.build(model, budget: budget) {
        case .failure(let errors): return .failure(errors)
        case .success(let built): system = built
        }
        if engines == .explicit {
            let augmented = Vacuity.withPremiseGoals(model)
            if !augmented.goals.isEmpty, case .success(let built) = SystemBuilder.build(augmented.model, budget: budget) {
                system = built
                goals = augmented.goals
            }
        }
        var result = check(system)
        let goalNames = Set(goals.values)
        var goalVerdicts: [String: Verdict] = [:]
        for property in result.properties where goalNames.contains(property.name) { goalVerdicts[property.name] = property.verdict }
        result.properties.removeAll { goalNames.contains($0.name) }
        // A premise whose reachability was not decided (the search stopped early, or the explorer did not run)
        // leaves its property unanalysed, without an entry: neither `ok` nor `vacuous` has been shown.
        let premised = Set(Vacuity.premises(model).map(\.property))
        var sanity: [String: PropertySanity] = [:]
        for property in result.properties {
            if let why = trivial[property.name] {
                sanity[property.name] = .trivial(why)
            } else if premised.contains(property.name) {
                switch goals[property.name].flatMap({ goalVerdicts[$0] }) {
                case .unreachable?:
                    sanity[property.name] = .vacuous(property.kind == .leadsto ? "no reachable state satisfies its left-hand side"
                                                     : "no reachable state satisfies the premise of its implication")
                case .reachable?: sanity[property.name] = .ok
                default: break
                }
            } else {
                sanity[property.name] = .ok
            }
        }
        var meant: [String: SanityMark] = [:]
        for property in model.properties { if let mark = property.meant { meant[property.name] = mark } }
        let meantDead = Set(model.actions.filter(\.meantDead).map(\.name))
        return .success(SanityRun(result: result, sanity: sanity, meant: meant, meantDead: meantDead))
    }
}

/// One model's result with the sanity of its properties, the `holds trivially`/`holds vacuously` marks and the
/// actions `expect dead` marks.
public struct SanityRun: Sendable {
    /// The model's result, without the premise goals.
    public let result: CheckResult
    /// Each analysed property's sanity (a property whose premise was not decided has none).
    public let sanity: [String: PropertySanity]
    /// The properties an `expect NAME holds trivially|vacuously` line marks.
    public let meant: [String: SanityMark]
    /// The actions an `expect dead` line marks.
    public let meantDead: Set<String>
}
