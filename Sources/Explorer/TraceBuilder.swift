import ModelLanguage
import PackedSystem

/// Turns stored state indices into `Trace`s people can read.
struct TraceBuilder {
    let system: TransitionSystem
    let store: StateStore
    /// With symmetry reduction, stored states are representatives; traces are rebuilt as concrete executions.
    var reducer: SymmetryReducer?
    var machine: Machine?

    /// The step that leads into state `index` (its producing action and its values).
    func step(_ index: Int) -> TraceStep {
        let words = store.stateArray(index)
        let values = system.formattedCells(words)
        if store.parent(index) == StateStore.noParent {
            return TraceStep(action: nil, arguments: [], state: words, values: values)
        }
        let action = system.actions[Int(store.action(index))]
        return TraceStep(action: action.name, arguments: action.arguments, state: words, values: values)
    }

    /// The shortest path from an initial state to `index`.
    func trace(to index: Int) -> Trace {
        if reducer != nil, let concrete = concretePath(store.path(to: index)) { return Trace(steps: concrete.steps) }
        return Trace(steps: store.path(to: index).map(step))
    }

    /// Under symmetry: a concrete execution whose k-th state has the k-th representative of `path`. Each step
    /// fires the actions in order on the previous concrete state and takes the first successor whose
    /// representative is the next one on the path.
    func concretePath(_ path: [Int]) -> (steps: [TraceStep], last: [UInt64])? {
        guard let reducer, let machine, let first = path.first else { return nil }
        let wordCount = system.wordCount
        var current = store.stateArray(first)
        var steps = [TraceStep(action: nil, arguments: [], state: current, values: system.formattedCells(current))]
        var candidate = [UInt64](repeating: 0, count: wordCount)
        for representative in path.dropFirst() {
            let target = store.stateArray(representative)
            var found: (action: Int, state: [UInt64])?
            current.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                for action in system.actions.indices where found == nil {
                    guard machine.fire(action, base), machine.failure == nil else { continue }
                    for successor in 0..<machine.successorCount where found == nil {
                        let words = Array(UnsafeBufferPointer(start: machine.successors + successor * wordCount, count: wordCount))
                        candidate = words
                        candidate.withUnsafeMutableBufferPointer { buffer in
                            if let pointer = buffer.baseAddress { reducer.canonicalize(pointer) }
                        }
                        if candidate == target { found = (action, words) }
                    }
                }
            }
            guard let found else { return nil }
            let ground = system.actions[found.action]
            steps.append(TraceStep(action: ground.name, arguments: ground.arguments, state: found.state, values: system.formattedCells(found.state)))
            current = found.state
        }
        return (steps, current)
    }

    /// The shortest path to `index`, ending with `action` failing there.
    func failingTrace(to index: Int, action: Int, failure: ActionFailure, address: Int32) -> Trace {
        var action = action
        var address = address
        var steps = store.path(to: index).map(step)
        if reducer != nil, let concrete = concretePath(store.path(to: index)), let machine {
            // The failing instance in the concrete state may be a permuted one: take the first that fails alike.
            steps = concrete.steps
            concrete.last.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                for candidate in system.actions.indices {
                    if machine.fire(candidate, base), let observed = machine.failure, Self.alike(observed, failure) {
                        action = candidate
                        address = machine.failureAddress
                        return
                    }
                }
            }
        }
        return Trace(steps: steps, failure: system.traceFailure(action: action, failure: failure, address: address))
    }

    /// Whether two failures are of the same property (bounds failures are alike whatever their detail).
    static func alike(_ a: ActionFailure, _ b: ActionFailure) -> Bool {
        switch (a, b) {
        case (.assertion(let x), .assertion(let y)): return x == y
        case (.bounds, .bounds): return true
        default: return false
        }
    }

    /// A lasso: the path `stem` (state indices from an initial state) then `loop` (indices after the stem's last
    /// state, ending with a state that steps back to `loop`'s target). `actions[k]` is the ground action into step k.
    func lasso(states: [Int], actions: [Int?], loopStart: Int) -> Trace {
        var steps: [TraceStep] = []
        for (position, index) in states.enumerated() {
            let words = store.stateArray(index)
            let values = system.formattedCells(words)
            if let action = actions[position] {
                let ground = system.actions[action]
                steps.append(TraceStep(action: ground.name, arguments: ground.arguments, state: words, values: values))
            } else {
                steps.append(TraceStep(action: nil, arguments: [], state: words, values: values))
            }
        }
        return Trace(steps: steps, loopStart: loopStart)
    }
}
