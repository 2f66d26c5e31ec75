/// A ground action that failed in a state, as every engine reports it: the action, why it failed, and the address of
/// the failing instruction (kept as an address so the source position is looked up only when a trace is rendered).
public struct FailedAction: Sendable, Hashable {
    /// Index of the ground action in `TransitionSystem.actions`.
    public let action: Int
    /// Why it failed.
    public let failure: ActionFailure
    /// Address of the instruction that failed (see `TransitionSystem.location(ofInstruction:)`).
    public let address: Int32
    // No public initialiser: failed actions are found by firing (`TransitionRelation.failures(in:)`), not made up.
}

/// A failure is an `Error` so that `TransitionRelation.evaluate` can return it in a `Result`.
extension ActionFailure: Error {
    /// Whether two failures count against the same property: the same assertion, or both `bounds` (whatever their
    /// detail). Under symmetry a permuted instance of an action fails "alike" with another value in its message,
    /// and the SMT engine knows only which property failed, not the detail.
    public func isAlike(_ other: ActionFailure) -> Bool {
        switch (self, other) {
        case (.assertion(let x), .assertion(let y)): return x == y
        case (.bounds, .bounds): return true
        default: return false
        }
    }
}

extension TransitionSystem {
    /// How a failed action is reported at the end of a trace (see `traceFailure(action:failure:address:)`).
    public func traceFailure(_ failed: FailedAction) -> TraceFailure {
        traceFailure(action: failed.action, failure: failed.failure, address: failed.address)
    }
}
