import ModelLanguage
import PackedSystem

/// Turns stored state indices into `Trace`s people can read.
struct TraceBuilder {
    let system: TransitionSystem
    let store: StateStore

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
        Trace(steps: store.path(to: index).map(step))
    }

    /// The shortest path to `index`, ending with `action` failing there.
    func failingTrace(to index: Int, action: Int, failure: ActionFailure, address: Int32) -> Trace {
        let ground = system.actions[action]
        let position = system.model.source.position(of: system.location(ofInstruction: address).start)
        let message: String
        switch failure {
        case .assertion(let property):
            let info = system.properties[property].info
            message = "assertion \(info.name) failed" + (info.message.map { ": \($0)" } ?? "")
        case .bounds(let detail):
            message = detail
        }
        return Trace(steps: store.path(to: index).map(step),
                     failure: TraceFailure(action: ground.name, arguments: ground.arguments, message: message,
                                           line: position.line, column: position.column))
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
