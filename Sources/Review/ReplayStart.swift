import Explorer
import ModelLanguage
import PackedSystem

/// Where a replay starts: the model's initial states, or the states where a predicate written in the model language
/// becomes true (`--start 'ph == D_SETUP'`, to replay a destination's log against a model that runs the source
/// first): the initial states that satisfy it, and the reachable states that satisfy it and are reached by a
/// transition from a state that does not. (Every reachable state satisfying `ph == D_SETUP` would include states in
/// the middle of the destination's setup, where some devices are already RESUMING.)
public enum ReplayStart {
    /// The name of the goal added to the model to evaluate the predicate.
    static let goalName = "replay_start__"

    /// Loads the model and, when `predicate` is given, explores it fully and returns the states where the predicate
    /// becomes true (in a deterministic order). The returned system is the one to replay against.
    public static func load(_ input: ModelInput, overrides: [ConstantOverride], predicate: String?,
                            options: ExplorerOptions = ExplorerOptions()) throws -> (system: TransitionSystem, start: [[UInt64]]?) {
        // The model alone first, so that its own errors are reported as such.
        let system = try ModelLoader.load(input, overrides: overrides)
        guard let predicate else { return (system, nil) }
        let trimmed = predicate.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains("\n") else {
            throw ReviewError("error: --start needs an expression on one line")
        }
        let prefix = "reachable \(goalName): "
        let text = try input.text() + "\n" + prefix + trimmed + "\n"
        let extended: TransitionSystem
        switch Frontend.check(SourceFile(name: input.displayName, text: text), overrides: overrides) {
        case .failure(let errors):
            let goalLine = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
            let messages = errors.diagnostics.map { diagnostic -> String in
                guard diagnostic.line == goalLine else { return diagnostic.rendered }
                let column = max(1, diagnostic.column - prefix.count)
                return "error: --start '\(trimmed)': \(diagnostic.message) (at column \(column) of the expression)"
            }
            throw ReviewError(messages.joined(separator: "\n"))
        case .success(let model):
            switch SystemBuilder.build(model) {
            case .failure(let errors): throw ReviewError(errors.rendered)
            case .success(let built): extended = built
            }
        }
        guard let goal = extended.properties.first(where: { $0.info.name == goalName }), let program = goal.predicateProgram else {
            throw ReviewError("error: --start '\(trimmed)': the expression could not be compiled")
        }
        var exploreOptions = options
        exploreOptions.symmetry = false
        let explorer = ExplicitExplorer(system: extended, options: exploreOptions, file: input.displayName)
        let result = explorer.run()
        // A relation of its own: `forEachTransition` fires with another one, and this one only evaluates.
        let relation = TransitionRelation(extended)
        func holds(_ words: UnsafePointer<UInt64>) -> Bool { relation.holds(program, in: words) }
        // The states where the predicate becomes true: initial states that satisfy it, and successors that satisfy it
        // of states that do not.
        var satisfied: [Bool] = []
        var start = StateSet()
        for index in 0..<explorer.stateCount {
            let words = explorer.stateWords(index)
            let value = words.withUnsafeBufferPointer { buffer in buffer.baseAddress.map(holds) ?? false }
            satisfied.append(value)
            if value && explorer.isInitialState(index) { start.insert(words) }
        }
        let wordCount = extended.wordCount
        explorer.forEachTransition { from, _, successor in
            guard !satisfied[from], holds(successor) else { return }
            start.insert(Array(UnsafeBufferPointer(start: successor, count: wordCount)))
        }
        if start.isEmpty {
            let stopped = result.statistics.complete ? "" : " (the search stopped early: \(result.statistics.stopReason ?? "budget"))"
            throw ReviewError("error: --start '\(trimmed)': no reachable state of the model satisfies it\(stopped)")
        }
        return (extended, start.states)
    }
}
