import ModelLanguage
import PackedSystem

/// Turns Z3 models into the explorer's trace types: packed states decoded from the model, each step's action
/// found (and the whole trace replayed) with the transition relation the explorer's traces are rebuilt with,
/// values formatted by the system. A trace that does not replay is an internal error, never a silent wrong answer.
final class TraceDecoder {
    let system: TransitionSystem
    let relation: TransitionRelation

    init(system: TransitionSystem) {
        self.system = system
        relation = TransitionRelation(system)
    }

    /// The packed state of a frame in a model.
    func state(_ frame: Frame, in model: Z3Model) throws -> [UInt64] {
        var words = Array(repeating: UInt64(0), count: max(1, system.wordCount))
        for (field, cell) in zip(system.layout.fields, frame.cells) {
            guard let cell else { continue }
            let ordinal = try model.unsignedValue(cell)
            guard ordinal < UInt64(field.type.cardinality) else { throw SMTError("internal error: Z3 gave an ordinal outside its domain") }
            words[field.word] |= ordinal << UInt64(field.shift)
        }
        return words
    }

    /// The steps of a path of states, each with the action that produced it.
    func steps(_ states: [[UInt64]]) throws -> [TraceStep] {
        if let first = states.first, !system.initialStates.contains(first) {
            throw SMTError("internal error: the trace does not start in an initial state")
        }
        switch relation.steps(through: states) {
        case .success(let steps): return steps
        case .failure(let unmatched):
            throw SMTError("internal error: step \(unmatched.position) of the SMT trace is not a transition of the system")
        }
    }

    /// The failure of the first action (in order) that fails in `state` with the given kind, as the explorer
    /// reports it.
    func failure(in state: [UInt64], kind: FailureKind) throws -> TraceFailure {
        let wanted: ActionFailure
        switch kind {
        case .bounds: wanted = .bounds(detail: "")
        case .assertion(let property): wanted = .assertion(property: property)
        }
        guard let failed = relation.failures(in: state).first(where: { $0.failure.isAlike(wanted) }) else {
            throw SMTError("internal error: no action fails as the SMT engine found in the last state")
        }
        return system.traceFailure(failed)
    }

    /// The value of property `index`'s predicate in `state`, or nil (with the failure's detail) when it fails.
    func evaluate(property index: Int, in state: [UInt64]) -> (value: Bool?, detail: String?) {
        guard let program = system.properties[index].predicateProgram else { return (nil, nil) }
        switch relation.evaluate(program, in: state) {
        case .success(let value): return (value != 0, nil)
        case .failure(.bounds(let detail)): return (nil, detail)
        case .failure(let failure): return (nil, "\(failure)")
        }
    }

    /// Whether `state` is a deadlock as the explorer sees it.
    func isDeadlock(_ state: [UInt64]) -> Bool {
        relation.isDeadlocked(state)
    }
}

extension TraceDecoder {
    /// Whether safety property `index` is not violated in `state`, as the SMT encoding's "good" predicate reads
    /// it (for `bounds`: no action fails with a bounds violation and no invariant or goal predicate fails to
    /// evaluate; for a goal: the goal is not reached). The invariant finder asks this of the simulation's states.
    func isGood(property index: Int, in state: [UInt64], failures: [FailedAction]) -> Bool {
        switch system.properties[index].info.kind {
        case .invariant:
            return evaluate(property: index, in: state).value == true
        case .reachable:
            let (value, detail) = evaluate(property: index, in: state)
            return value == false && detail == nil
        case .assertion:
            return !failures.contains { $0.failure.isAlike(.assertion(property: index)) }
        case .deadlock:
            return !isDeadlock(state)
        case .bounds:
            if failures.contains(where: { $0.failure.isAlike(.bounds(detail: "")) }) { return false }
            return !system.properties.indices.contains { other in
                let kind = system.properties[other].info.kind
                return (kind == .invariant || kind == .reachable) && system.properties[other].predicateProgram != nil
                    && evaluate(property: other, in: state).value == nil
            }
        case .eventually, .leadsto:
            return true
        }
    }
}
