/// The one place a `TraceStep` is made from a ground action and a packed state. Both engines, the liveness lasso
/// and the symmetry-concrete traces all go through here, so a step's label, arguments and formatted values cannot
/// drift between them. It lives on the system, not on `TransitionRelation`, because making a step fires nothing:
/// it needs no machine, and the system is a Sendable value every thread and renderer already holds.
extension TransitionSystem {
    /// The step into `state` by ground action `action`, or the initial step when `action` is nil.
    public func step(action: Int?, state: [UInt64]) -> TraceStep {
        let cells = layout.fields.map { $0.read(state) }
        let values = zip(layout.fields, cells).map { field, value in field.type.format(value) }
        let ground = action.map { actions[$0] }
        return TraceStep(action: ground?.name, arguments: ground?.arguments ?? [], state: state, cells: cells, values: values)
    }

    /// The first step of a trace: an initial state, reached by no action.
    public func initialStep(_ state: [UInt64]) -> TraceStep {
        step(action: nil, state: state)
    }
}
