/// How often one ground action fired in an explicit search (issue 13, item 3: coverage as TLC reports it).
public struct ActionCoverage: Sendable, Hashable {
    /// The action's declared name.
    public let action: String
    /// Its parameter values (empty for an action without parameters).
    public let arguments: [ActionArgument]
    /// Expanded states in which the action was enabled and fired (a firing that failed counts too).
    public var fired: Int
    /// Stored states whose first discovery was by this action: the new states it contributed.
    public var distinctStates: Int
    /// Firings that failed (an assertion or an index out of range).
    public var failures: Int

    /// Creates an entry.
    public init(action: String, arguments: [ActionArgument], fired: Int = 0, distinctStates: Int = 0, failures: Int = 0) {
        self.action = action
        self.arguments = arguments
        self.fired = fired
        self.distinctStates = distinctStates
        self.failures = failures
    }

    /// `name(arg, arg)`, or `name` without parameters.
    public var label: String {
        ActionArgument.label(action, arguments)
    }
}

/// Per ground action, what the explicit search saw it do; and which actions are dead (never enabled in any
/// reachable state).
///
/// Dead is a claim about every reachable state, so it is only made when the search explored them all
/// (`complete`). Under symmetry reduction the search expands one representative per orbit, and a ground
/// instance such as `stop(d2)` may be enabled only in states whose representative enables `stop(d1)` instead: a
/// zero count for one instance proves nothing. A permutation maps every instance of a declaration to an
/// instance of the same declaration, so a declaration none of whose instances fires in any representative is
/// dead in the full state space; only whole declarations are then called dead (`deadInstances` stays empty).
public struct Coverage: Sendable, Hashable {
    /// One entry per ground action, in ground-action order (declaration order, then parameter order). Instances
    /// whose guard is false for their parameter values are dropped at grounding and have no entry.
    public var actions: [ActionCoverage]
    /// Every declared action, in model order (a declaration with no ground instance has no entry in `actions`).
    public var declarations: [String]
    /// Whether the search explored every reachable state.
    public var complete: Bool
    /// Whether symmetry reduction was on (counts are then over representatives only).
    public var symmetry: Bool

    /// Creates coverage.
    public init(actions: [ActionCoverage], declarations: [String], complete: Bool, symmetry: Bool) {
        self.actions = actions
        self.declarations = declarations
        self.complete = complete
        self.symmetry = symmetry
    }

    /// Declarations never enabled in any reachable state, in model order; empty when the search stopped early.
    public var deadActions: [String] {
        guard complete else { return [] }
        let live = Set(actions.lazy.filter { $0.fired > 0 }.map(\.action))
        return declarations.filter { !live.contains($0) }
    }

    /// Ground instances never enabled in any reachable state, as labels; empty when the search stopped early or
    /// ran under symmetry reduction (see the type's comment).
    public var deadInstances: [String] {
        guard complete, !symmetry else { return [] }
        return actions.filter { $0.fired == 0 }.map(\.label)
    }

    /// Whether some ground instance of `action` fired (then it is live, whether or not the search completed).
    public func fired(_ action: String) -> Bool {
        actions.contains { $0.action == action && $0.fired > 0 }
    }
}
