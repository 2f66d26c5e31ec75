import ModelLanguage

/// An expression after grounding: parameters and quantifiers expanded, definitions inlined, constants folded.
/// It reads the state only through fields (cells at constant positions) and dynamic cells. Booleans are 0 and 1.
public indirect enum LoweredExpression: Sendable, Hashable {
    case constant(Int64)
    /// A cell at a fixed position: an index into `StateLayout.fields`.
    case field(Int)
    /// A cell of `variable` at computed indices (one per dimension; out-of-range indices violate `bounds`).
    case cell(variable: Int, indices: [LoweredExpression])
    /// An entry of a constant table at computed indices.
    case table(table: Int, indices: [LoweredExpression])
    case unary(UnaryOperator, LoweredExpression)
    case binary(BinaryOperator, LoweredExpression, LoweredExpression)
    /// Membership in a set of constants.
    case member(LoweredExpression, [Int64])
    case conditional(LoweredExpression, LoweredExpression, LoweredExpression)

    /// The constant value, if the expression is one.
    public var constantValue: Int64? {
        if case .constant(let value) = self { return value }
        return nil
    }
}

/// Where an assignment writes.
public enum LoweredTarget: Sendable, Hashable {
    /// A cell at a fixed position.
    case field(Int)
    /// A cell at computed indices.
    case cell(variable: Int, indices: [LoweredExpression])
}

/// A statement after grounding. Every expression reads the pre-state.
public indirect enum LoweredStatement: Sendable, Hashable {
    case assign(LoweredTarget, LoweredExpression, SourceRange)
    case ifThen(LoweredExpression, [LoweredStatement], [LoweredStatement])
    /// One execution per alternative whose filter holds; the alternative's body runs, then the rest of the block.
    case choose([ChoiceAlternative])
    case assert(property: Int, LoweredExpression, SourceRange)
}

/// One value of a `choose`, grounded.
public struct ChoiceAlternative: Sendable, Hashable {
    /// The filter for this value (`constant(1)` when none).
    public let filter: LoweredExpression
    /// The body with the value substituted.
    public let body: [LoweredStatement]
    /// The chosen value, for display.
    public let label: String
}
