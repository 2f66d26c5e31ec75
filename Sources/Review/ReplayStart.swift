import Explorer
import ModelLanguage
import PackedSystem

/// Where a replay starts: the model's initial states, or the states where a predicate written in the model language
/// becomes true (`--start 'ph == D_SETUP'`, to replay a destination's log against a model that runs the source
/// first): the initial states that satisfy it, and the reachable states that satisfy it and are reached by a
/// transition from a state that does not. (Every reachable state satisfying `ph == D_SETUP` would include states in
/// the middle of the destination's setup, where some devices are already RESUMING.)
public enum ReplayStart {
    /// The name the predicate's text goes by in diagnostics (`--start:1:7: error: unknown name 'X'`).
    static let sourceName = "--start"

    /// Loads the model and, when `predicate` is given, explores it fully and returns the states where the predicate
    /// becomes true (in a deterministic order). The returned system is the one to replay against. The predicate is
    /// checked in the model's scope and compiled with it (`ModelMatrix.checkPredicate`), never spliced into its text.
    /// `budget` bounds the lowering (a stop is a `ReviewError` with its `stopReason`).
    public static func load(_ input: ModelInput, overrides: [ConstantOverride], predicate: String?,
                            options: ExplorerOptions = ExplorerOptions(),
                            budget: BuildBudget = BuildBudget()) throws -> (system: TransitionSystem, start: [[UInt64]]?) {
        let matrix = try ModelLoader.matrix(input, overrides: overrides)
        guard let predicate else { return (try build(matrix.first, predicates: [], budget: budget), nil) }
        let (system, trimmed) = try prepare(matrix, predicate: predicate, budget: budget)
        guard let program = system.predicatePrograms.first else {
            throw ReviewError.failure("--start '\(trimmed)': the expression could not be compiled")
        }
        let found = states(becoming: [program], in: system, options: options)
        if found.states[0].isEmpty {
            throw ReviewError(.noStartState(expression: trimmed, searchStopped: found.stopReason))
        }
        return (system, found.states[0])
    }

    /// The model's first combination lowered once, with the predicate compiled alongside, and the predicate's
    /// text. The model's own errors come before the predicate's: the builder lowers the model before the predicate
    /// and stops at the first error, and when the predicate does not check, the model is lowered alone (on that
    /// error path only) to report its errors if it has some.
    static func prepare(_ matrix: ModelMatrix, predicate: String,
                        budget: BuildBudget) throws -> (system: TransitionSystem, trimmed: String) {
        let trimmed: String
        let checked: CheckedPredicate
        do {
            trimmed = try expressionText(predicate)
            checked = try check(trimmed, in: matrix, under: matrix.first.variantAssignment)
        } catch {
            _ = try build(matrix.first, predicates: [], budget: budget)
            throw error
        }
        return (try build(matrix.first, predicates: [checked], budget: budget), trimmed)
    }

    /// `load` for every combination of a model's variants: each combination's system, with the states where
    /// `predicate` becomes true in it (an empty list when none does there). The expression is checked and compiled
    /// with the first combination first (not explored), so that its errors are reported as `load` reports them.
    public static func loadCombinations(_ input: ModelInput, overrides: [ConstantOverride], pins: [VariantPin] = [], predicate: String,
                                        options: ExplorerOptions = ExplorerOptions(), budget: BuildBudget = BuildBudget())
        throws -> [(assignment: VariantAssignment, system: TransitionSystem, start: [[UInt64]])] {
        let trimmed = try prepare(try ModelLoader.matrix(input, overrides: overrides), predicate: predicate, budget: budget).trimmed
        let matrix = try ModelLoader.matrix(input, overrides: overrides, pins: pins)
        return try matrix.combinations.map { combination in
            let system: TransitionSystem
            do {
                let model: CheckedModel
                switch matrix.check(combination) {
                case .failure(let errors): throw ReviewError.model(errors)
                case .success(let value): model = value
                }
                system = try build(model, predicates: [try check(trimmed, in: matrix, under: combination)], budget: budget)
            } catch let error as ReviewError {
                throw error.inCombination(combination, of: matrix.source.name)
            }
            let found = system.predicatePrograms.first.map { Self.states(becoming: [$0], in: system, options: options).states[0] } ?? []
            return (combination, system, found)
        }
    }

    /// The predicate without surrounding blanks; it must be one non-empty line.
    static func expressionText(_ predicate: String) throws -> String {
        let trimmed = predicate.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains("\n") else {
            throw ReviewError.failure("--start needs an expression on one line")
        }
        return trimmed
    }

    /// Parses and checks the predicate under one combination; its diagnostics point into its own text.
    static func check(_ text: String, in matrix: ModelMatrix, under combination: VariantAssignment) throws -> CheckedPredicate {
        switch matrix.checkPredicate(SourceFile(name: sourceName, text: text), under: combination) {
        case .failure(let errors): throw ReviewError.model(errors)
        case .success(let checked): return checked
        }
    }

    /// Lowers a checked model with the predicates compiled alongside, within `budget`.
    static func build(_ model: CheckedModel, predicates: [CheckedPredicate], budget: BuildBudget) throws -> TransitionSystem {
        switch SystemBuilder.build(model, budget: budget, predicates: predicates) {
        case .failure(let errors): throw ReviewError.model(errors)
        case .success(let system): return system
        }
    }

    /// Explores the system fully and returns, for each compiled predicate, the states where it becomes true: the
    /// initial states that satisfy it, and the successors that satisfy it of states that do not (in a deterministic
    /// order). `stopReason` is set when the search stopped before it was complete.
    public static func states(becoming programs: [Int32], in system: TransitionSystem,
                              options: ExplorerOptions = ExplorerOptions()) -> (states: [[[UInt64]]], stopReason: String?) {
        var exploreOptions = options
        exploreOptions.symmetry = false
        let run = ExplicitExplorer(system: system, options: exploreOptions, file: system.model.source.name).run()
        let result = run.result
        let graph = run.graph
        // A relation of its own: `forEachTransition` fires with another one, and this one only evaluates.
        let relation = TransitionRelation(system)
        var found: [[[UInt64]]] = []
        let wordCount = system.wordCount
        for program in programs {
            func holds(_ words: UnsafePointer<UInt64>) -> Bool { relation.holds(program, in: words) }
            var satisfied: [Bool] = []
            var start = StateSet()
            for index in 0..<graph.stateCount {
                let words = graph.stateWords(index)
                let value = words.withUnsafeBufferPointer { buffer in buffer.baseAddress.map(holds) ?? false }
                satisfied.append(value)
                if value && graph.isInitialState(index) { start.insert(words) }
            }
            graph.forEachTransition { from, _, successor in
                guard !satisfied[from], holds(successor) else { return }
                start.insert(Array(UnsafeBufferPointer(start: successor, count: wordCount)))
            }
            found.append(start.states)
        }
        return (found, result.statistics.complete ? nil : (result.statistics.stopReason?.description ?? "budget"))
    }
}
