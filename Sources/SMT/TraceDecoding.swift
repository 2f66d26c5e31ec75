import ModelLanguage
import PackedSystem

/// Turns Z3 models into the explorer's trace types: packed states decoded from the model, each step's action
/// found (and the whole trace replayed) with the explicit engine's machine, values formatted by the system.
/// A trace that does not replay is an internal error, never a silent wrong answer.
final class TraceDecoder {
    let system: TransitionSystem
    private let machine: Machine

    init(system: TransitionSystem) {
        self.system = system
        machine = system.makeMachine()
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

    /// Runs `body` with a pointer to the state's words.
    private func with<T>(_ state: [UInt64], _ body: (UnsafePointer<UInt64>) throws -> T) throws -> T {
        try state.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { throw SMTError("internal error: an empty state") }
            return try body(base)
        }
    }

    /// The first ground action (in order) that leads from `state` to `successor`.
    private func action(from state: [UInt64], to successor: [UInt64]) throws -> Int? {
        let words = system.wordCount
        return try with(state) { pointer in
            for index in system.actions.indices {
                guard machine.fire(index, pointer), machine.failure == nil else { continue }
                for k in 0..<machine.successorCount {
                    let candidate = machine.successors + k * words
                    if (0..<words).allSatisfy({ candidate[$0] == successor[$0] }) { return index }
                }
            }
            return nil
        }
    }

    /// The steps of a path of states, each with the action that produced it.
    func steps(_ states: [[UInt64]]) throws -> [TraceStep] {
        var steps: [TraceStep] = []
        for (position, state) in states.enumerated() {
            let values = system.formattedCells(state)
            if position == 0 {
                guard system.initialStates.contains(state) else { throw SMTError("internal error: the trace does not start in an initial state") }
                steps.append(TraceStep(action: nil, arguments: [], state: state, values: values))
                continue
            }
            guard let index = try action(from: states[position - 1], to: state) else {
                throw SMTError("internal error: step \(position) of the SMT trace is not a transition of the system")
            }
            let ground = system.actions[index]
            steps.append(TraceStep(action: ground.name, arguments: ground.arguments, state: state, values: values))
        }
        return steps
    }

    /// The failure of the first action (in order) that fails in `state` with the given kind, as the explorer
    /// reports it.
    func failure(in state: [UInt64], kind: FailureKind) throws -> TraceFailure {
        let found: (Int, ActionFailure, Int32)? = try with(state) { pointer in
            for index in system.actions.indices {
                guard machine.fire(index, pointer), let failure = machine.failure else { continue }
                switch (failure, kind) {
                case (.bounds, .bounds): return (index, failure, machine.failureAddress)
                case (.assertion(let property), .assertion(let wanted)) where property == wanted:
                    return (index, failure, machine.failureAddress)
                default: continue
                }
            }
            return nil
        }
        guard let (index, failure, address) = found else {
            throw SMTError("internal error: no action fails as the SMT engine found in the last state")
        }
        return system.traceFailure(action: index, failure: failure, address: address)
    }

    /// The value of property `index`'s predicate in `state`, or nil (with the failure's detail) when it fails.
    func evaluate(property index: Int, in state: [UInt64]) throws -> (value: Bool?, detail: String?) {
        guard let program = system.properties[index].predicateProgram else { return (nil, nil) }
        return try with(state) { pointer in
            let value = machine.evaluate(program, pointer)
            if let failure = machine.failure {
                if case .bounds(let detail) = failure { return (nil, detail) }
                return (nil, "\(failure)")
            }
            return (value != 0, nil)
        }
    }

    /// Whether `state` is a deadlock as the explorer sees it.
    func isDeadlock(_ state: [UInt64]) throws -> Bool {
        try with(state) { pointer in
            for index in system.actions.indices where machine.fire(index, pointer) { return false }
            return machine.evaluate(system.terminalProgram, pointer) == 0
        }
    }
}
