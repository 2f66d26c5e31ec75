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

/// Read access to the states an explorer stored, for renderers that draw the reachable graph. Valid after `run()`.
extension ExplicitExplorer {
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
        return store.parent(index) == StateStore.noParent
    }

    /// Calls `body` for every transition between stored states, recomputed by firing every ground action on every
    /// state, in state order then action order (so the order is deterministic). Successors that are not stored
    /// (a search stopped by a budget, or a state the store keeps in another form) are skipped; actions that fail
    /// (assertion, bounds) contribute no edge. Returns the number of skipped successors.
    @discardableResult
    public func forEachEdge(_ body: (StateGraphEdge) -> Void) -> Int {
        let machine = system.makeMachine()
        let wordCount = system.wordCount
        let current = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, wordCount))
        defer { current.deallocate() }
        var skipped = 0
        for state in 0..<store.count {
            current.update(from: store.state(state), count: wordCount)
            for actionIndex in system.actions.indices {
                guard machine.fire(actionIndex, current), machine.failure == nil else { continue }
                for successor in 0..<machine.successorCount {
                    if let target = store.find(machine.successors + successor * wordCount) {
                        body(StateGraphEdge(from: state, to: target, action: actionIndex))
                    } else {
                        skipped += 1
                    }
                }
            }
        }
        return skipped
    }

    /// Every transition between stored states (see `forEachEdge`).
    public func edges() -> [StateGraphEdge] {
        var result: [StateGraphEdge] = []
        forEachEdge { result.append($0) }
        return result
    }
}
