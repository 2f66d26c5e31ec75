import PackedSystem

/// One transition of the explored graph: source and target state indices and the ground action that fired.
public struct StateGraphEdge: Sendable, Hashable {
    /// Index of the source state (discovery order).
    public let from: Int
    /// Index of the target state.
    public let to: Int
    /// Index of the ground action in `TransitionSystem.actions`.
    public let action: Int

    /// Creates an edge.
    public init(from: Int, to: Int, action: Int) {
        self.from = from
        self.to = to
        self.action = action
    }
}

/// What an explicit run returns: the result, and the graph it explored.
public struct ExplicitRun: EngineRun {
    /// The verdicts, traces and statistics.
    public let result: CheckResult
    /// The stored states and the transitions between them.
    public let graph: ExploredGraph
}

/// The states an explicit run stored, as a value the run returns: what the reports' state graphs, `--start` and
/// the analyses read, without reaching into the explorer. It shares the run's state store (no copy), so it keeps
/// that memory alive as long as it is held.
public struct ExploredGraph {
    /// The system explored.
    public let system: TransitionSystem
    let store: StateStore
    let reducer: SymmetryReducer?
    /// Every transition between the stored states, when the search recorded them (`SuccessorGraph`: a complete
    /// search of a model with liveness properties); nil when they are found by firing the actions again.
    let successors: SuccessorGraph?
    /// The run's interruption: walking the transitions stops when it answers.
    let interruption: (@Sendable () -> StopReason?)?

    /// The number of distinct states stored.
    public var stateCount: Int { store.count }

    /// The packed words of state `index` (0 ..< `stateCount`).
    public func stateWords(_ index: Int) -> [UInt64] {
        precondition(index >= 0 && index < store.count, "state index out of range")
        return store.stateArray(index)
    }

    /// Whether state `index` is an initial state.
    public func isInitialState(_ index: Int) -> Bool {
        precondition(index >= 0 && index < store.count, "state index out of range")
        return store.isInitial(index)
    }

    /// Calls `body` for every transition from a stored state: the source state's index, the ground action's index
    /// and the successor's words exactly as the action produced them (before any symmetry reduction), in state
    /// order then action order (so the order is deterministic). Every call is a genuine transition of the model,
    /// whether or not the search stored its target; actions that fail (assertion, bounds) contribute nothing.
    public func forEachTransition(_ body: (_ from: Int, _ action: Int, _ successor: UnsafePointer<UInt64>) -> Void) {
        let relation = TransitionRelation(system)
        for state in 0..<store.count {
            // The walk re-fires every action on every stored state: on a big graph it takes as long as the search,
            // so it stops as the search does when the command's budget runs out or a signal arrives.
            if state & 1023 == 1023, interruption?() != nil { return }
            relation.forEachSuccessor(of: store.state(state)) { action, successor in body(state, action, successor) }
        }
    }

    /// Calls `body` for every transition between stored states (targets found with `store.find`, after the same
    /// symmetry reduction the search applied), in state order then action order. Successors that are not stored
    /// (a search stopped by a budget) are skipped. Returns the number of skipped successors.
    @discardableResult
    public func forEachEdge(_ body: (StateGraphEdge) -> Void) -> Int {
        if let successors {
            // The same edges in the same order, without firing the actions again (`SuccessorGraphTests`).
            for state in 0..<successors.stateCount {
                if state & 1023 == 1023, interruption?() != nil { return 0 }
                for edge in successors.edges(state) {
                    body(StateGraphEdge(from: state, to: Int(successors.targets[edge]), action: Int(successors.actions[edge])))
                }
            }
            return 0
        }
        let wordCount = system.wordCount
        let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, wordCount))
        defer { scratch.deallocate() }
        var skipped = 0
        forEachTransition { from, action, successor in
            scratch.update(from: successor, count: wordCount)
            if let reducer { _ = reducer.canonicalize(scratch) }
            if let target = store.find(scratch) {
                body(StateGraphEdge(from: from, to: target, action: action))
            } else {
                skipped += 1
            }
        }
        return skipped
    }

    /// For every liveness property that holds on the graph, a ranking that certifies it (`LivenessRanking`),
    /// for the SMT engine to check in its own encoding. Meaningful only for a complete search without symmetry
    /// reduction (the explorer switches symmetry off for models with liveness properties).
    public func livenessRankings() -> [Int: LivenessRanking] {
        guard reducer == nil else { return [:] }
        return LivenessChecker(system: system, store: store, relation: TransitionRelation(system), recorded: successors).rankings()
    }

    /// Every transition between stored states (see `forEachEdge`).
    public func edges() -> [StateGraphEdge] {
        var result: [StateGraphEdge] = []
        forEachEdge { result.append($0) }
        return result
    }
}
