import ModelLanguage
import PackedSystem

/// Turns stored state indices into `Trace`s people can read. Steps are made by `TransitionSystem.step`, and
/// concrete executions under symmetry are found by `TransitionRelation.steps(through:matching:)`, the same path
/// that labels the SMT engine's traces.
struct TraceBuilder {
    let system: TransitionSystem
    let store: StateStore
    /// With symmetry reduction, stored states are representatives; traces are rebuilt as concrete executions.
    var reducer: SymmetryReducer?
    let relation: TransitionRelation

    /// The step that leads into state `index` (its producing action and its values).
    func step(_ index: Int) -> TraceStep {
        system.step(action: producingAction(index), state: store.stateArray(index))
    }

    /// The ground action that produced state `index` in the search, nil for an initial state.
    private func producingAction(_ index: Int) -> Int? {
        store.isInitial(index) ? nil : Int(store.action(index))
    }

    /// The shortest path from an initial state to `index`.
    func trace(to index: Int) -> Trace {
        if reducer != nil, let concrete = concreteSteps(store.path(to: index)) { return Trace(steps: concrete) }
        return Trace(steps: store.path(to: index).map(step))
    }

    /// Under symmetry: a concrete execution whose k-th state has the k-th representative of `path`. Each step
    /// takes the first successor (in action order) of the previous concrete state whose representative is the next
    /// one on the path.
    func concreteSteps(_ path: [Int]) -> [TraceStep]? {
        guard let reducer else { return nil }
        let wordCount = system.wordCount
        let candidate = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, wordCount))
        defer { candidate.deallocate() }
        let steps = relation.steps(through: path.map(store.stateArray)) { successor, representative in
            candidate.update(from: successor, count: wordCount)
            reducer.canonicalize(candidate)
            return (0..<wordCount).allSatisfy { candidate[$0] == representative[$0] }
        }
        return try? steps.get()
    }

    /// The shortest path to `index`, ending with `action` failing there.
    func failingTrace(to index: Int, action: Int, failure: ActionFailure, address: Int32) -> Trace {
        var action = action
        var address = address
        var steps = store.path(to: index).map(step)
        if reducer != nil, let concrete = concreteSteps(store.path(to: index)), let last = concrete.last {
            // The failing instance in the concrete state may be a permuted one: take the first that fails alike
            // (its action and failing instruction; the message stays the one the search recorded).
            steps = concrete
            if let alike = relation.failures(in: last.state).first(where: { $0.failure.isAlike(failure) }) {
                action = alike.action
                address = alike.address
            }
        }
        return Trace(steps: steps, failure: system.traceFailure(action: action, failure: failure, address: address))
    }

    /// A lasso: the path `stem` (state indices from an initial state) then `loop` (indices after the stem's last
    /// state, ending with a state that steps back to `loop`'s target). `actions[k]` is the ground action into step k.
    func lasso(states: [Int], actions: [Int?], loopStart: Int) -> Trace {
        let steps = states.indices.map { system.step(action: actions[$0], state: store.stateArray(states[$0])) }
        return Trace(steps: steps, loopStart: loopStart)
    }
}
