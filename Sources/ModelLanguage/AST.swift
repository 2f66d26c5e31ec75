/// A name with its position.
public struct Identifier: Sendable, Hashable {
    /// The text.
    public var name: String
    /// Where it was written.
    public var range: SourceRange
    /// Creates an identifier.
    public init(_ name: String, _ range: SourceRange) {
        self.name = name
        self.range = range
    }
}

/// A type as written in source.
public indirect enum TypeExpression: Sendable, Hashable {
    case bool(SourceRange)
    case named(Identifier)
    case range(Expression, Expression)
    case enumeration([Identifier], SourceRange)
    case scalarset(Expression, SourceRange)
    /// `[I1][I2] E`: index types, then the element type; `start` is the offset of the first `[`.
    case array([TypeExpression], TypeExpression, start: Int)

    /// Where the type was written.
    public var range: SourceRange {
        switch self {
        case .bool(let r), .enumeration(_, let r), .scalarset(_, let r): return r
        case .named(let identifier): return identifier.range
        case .range(let low, let high): return low.range.merged(with: high.range)
        case .array(_, let element, let start): return SourceRange(start, element.range.end)
        }
    }
}

/// Unary operators.
public enum UnaryOperator: String, Sendable, Hashable {
    case not = "!", negate = "-"
}

/// Binary operators.
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case implies = "->", equivalent = "<->", or = "||", and = "&&"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
}

/// Quantifier kinds.
public enum QuantifierKind: String, Sendable, Hashable {
    case forall, exists, count
}

/// One bound name in a quantifier, `choose` or parameter list: `name: Type`.
public struct Binding: Sendable, Hashable {
    /// The bound name.
    public var name: Identifier
    /// Its type.
    public var type: TypeExpression
    /// Creates a binding.
    public init(name: Identifier, type: TypeExpression) {
        self.name = name
        self.type = type
    }
}

/// An expression as written.
public indirect enum ExpressionKind: Sendable, Hashable {
    case integer(Int64)
    case boolean(Bool)
    case name(Identifier)
    /// `base[i][j]`
    case index(Expression, [Expression])
    /// `f(a, b)`
    case call(Identifier, [Expression])
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// `e in { a, b }`
    case member(Expression, [Expression])
    case conditional(Expression, Expression, Expression)
    case quantifier(QuantifierKind, [Binding], Expression)
    case parenthesized(Expression)
}

/// An expression node with its source range.
public struct Expression: Sendable, Hashable {
    /// The node.
    public var kind: ExpressionKind
    /// Where it was written.
    public var range: SourceRange
    /// Creates an expression.
    public init(_ kind: ExpressionKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// A statement inside an action body.
public indirect enum Statement: Sendable, Hashable {
    /// `target := value`; the target is a name or an indexed name.
    case assign(target: Expression, value: Expression, range: SourceRange)
    case ifThen(condition: Expression, then: [Statement], otherwise: [Statement]?, range: SourceRange)
    /// `choose v: T where C { ... }`
    case chooseType(Binding, filter: Expression?, body: [Statement], range: SourceRange)
    /// `choose v in { ... } { ... }`
    case chooseSet(Identifier, values: [Expression], body: [Statement], range: SourceRange)
    case letBinding(Identifier, Expression, range: SourceRange)
    case assert(name: Identifier?, condition: Expression, message: String?, range: SourceRange)

    /// Where the statement was written.
    public var range: SourceRange {
        switch self {
        case .assign(_, _, let r), .ifThen(_, _, _, let r), .chooseType(_, _, _, let r), .chooseSet(_, _, _, let r),
             .letBinding(_, _, let r), .assert(_, _, _, let r):
            return r
        }
    }
}

/// How a variable starts.
public enum Initializer: Sendable, Hashable {
    case value(Expression)
    case oneOf([Expression])
    case any(SourceRange)
}

/// A table body: nested rows, each optionally labelled with its index.
public indirect enum TableLiteral: Sendable, Hashable {
    case value(Expression)
    case rows([(label: Expression?, row: TableLiteral)], SourceRange)

    public static func == (lhs: TableLiteral, rhs: TableLiteral) -> Bool {
        switch (lhs, rhs) {
        case (.value(let a), .value(let b)): return a == b
        case (.rows(let a, let ra), .rows(let b, let rb)):
            return ra == rb && a.count == b.count && zip(a, b).allSatisfy { $0.label == $1.label && $0.row == $1.row }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .value(let e): hasher.combine(e)
        case .rows(let rows, let range):
            hasher.combine(range)
            for row in rows {
                hasher.combine(row.label)
                hasher.combine(row.row)
            }
        }
    }

    /// Where the literal was written.
    public var range: SourceRange {
        switch self {
        case .value(let e): return e.range
        case .rows(_, let r): return r
        }
    }
}

/// The kinds of property.
public enum PropertyKind: String, Sendable, Hashable {
    case invariant, reachable, eventually, leadsto
}

/// Verdicts an `expect` line may demand.
public enum ExpectedVerdict: String, Sendable, Hashable, CaseIterable {
    case holds, violated, reachable, unreachable
}

/// A top-level declaration.
public enum Declaration: Sendable, Hashable {
    case constant(name: Identifier, value: Expression, range: SourceRange)
    case type(name: Identifier, type: TypeExpression, range: SourceRange)
    case variable(name: Identifier, type: TypeExpression, initializer: Initializer, range: SourceRange)
    case table(name: Identifier, type: TypeExpression, body: TableLiteral, range: SourceRange)
    case definition(name: Identifier, parameters: [Binding], result: TypeExpression?, body: Expression, range: SourceRange)
    case action(name: Identifier, fair: Bool, parameters: [Binding], guard: Expression?, body: [Statement],
                emits: [EmitClause] = [], range: SourceRange)
    /// `entry NAME: PREDICATE`: a point of the flow where an observed log may start (docs/language.md, "Events").
    case entry(name: Identifier, predicate: Expression, range: SourceRange)
    /// `invariant N: P`, `reachable N: P`, `eventually N: P`, `leadsto N: P ~> Q` (then `second` is Q).
    case property(kind: PropertyKind, name: Identifier, predicate: Expression, second: Expression?, range: SourceRange)
    case terminal(Expression, range: SourceRange)
    /// `expect N VERDICT [when C]`: `condition`, over variants and constants, limits the line to the combinations
    /// where it holds.
    /// `meant` (`holds trivially`, `holds vacuously`) says the property is expected to say nothing.
    case expect(name: Identifier, verdict: ExpectedVerdict, meant: SanityMark?, condition: Expression?, range: SourceRange)
    /// `expect dead A [when C]`: action A is meant never to be enabled in a reachable state (under the
    /// combinations where C holds), so `check --strict` accepts it being dead, and fails when it is not.
    case expectDead(action: Identifier, condition: Expression?, range: SourceRange)
    /// `variant N: T [in { V1, ... }]`: a constant that ranges over the listed values (all of T's when absent).
    case variant(name: Identifier, type: TypeExpression, values: [Expression]?, range: SourceRange)
    /// `combination N1 = V1, N2 = V2`: a meaningful combination; variants it does not name range over their values.
    case combination([VariantChoice], range: SourceRange)

    /// Where the declaration was written.
    public var range: SourceRange {
        switch self {
        case .constant(_, _, let r), .type(_, _, let r), .variable(_, _, _, let r), .table(_, _, _, let r),
             .definition(_, _, _, _, let r), .action(_, _, _, _, _, _, let r), .property(_, _, _, _, let r), .terminal(_, let r),
             .entry(_, _, let r), .expect(_, _, _, _, let r), .expectDead(_, _, let r), .variant(_, _, _, let r), .combination(_, let r):
            return r
        }
    }
}

/// How an `expect ... holds` line says its property is meant to hold without saying anything about the protocol
/// (`check --strict` fails on a trivial or vacuous property only when its line does not say so).
public enum SanityMark: String, Sendable, Hashable {
    case trivially, vacuously
}

/// One `emits KIND(ARGUMENTS) [if CONDITION]` clause of an action: the event a log shows when the action fires
/// (and the condition holds). The arguments and the condition are read on the state the action leaves.
public struct EmitClause: Sendable, Hashable {
    /// The event's kind as written: `set`, `reset` or `state`.
    public var kind: Identifier
    /// The arguments, in order.
    public var arguments: [Expression]
    /// The condition, if any.
    public var condition: Expression?
    /// Where the clause was written.
    public var range: SourceRange
    /// Creates a clause.
    public init(kind: Identifier, arguments: [Expression], condition: Expression?, range: SourceRange) {
        self.kind = kind
        self.arguments = arguments
        self.condition = condition
        self.range = range
    }
}

/// One `NAME = VALUE` of a `combination` line.
public struct VariantChoice: Sendable, Hashable {
    /// The variant.
    public var name: Identifier
    /// Its value there.
    public var value: Expression
    /// Creates a choice.
    public init(name: Identifier, value: Expression) {
        self.name = name
        self.value = value
    }
}

/// A parsed model file.
public struct ModelSyntax: Sendable, Hashable {
    /// The name after `model`.
    public var name: Identifier
    /// The declarations in source order.
    public var declarations: [Declaration]
    /// Names of declarations that failed to parse after their name was read: uses of them are not reported
    /// again as unknown names.
    public var incompleteNames: Set<String>
    /// The doc comments (`///`) with what each documents, in source order.
    public var documentation: [DocAttachment]
    /// Creates a model.
    public init(name: Identifier, declarations: [Declaration], incompleteNames: Set<String> = [], documentation: [DocAttachment] = []) {
        self.name = name
        self.declarations = declarations
        self.incompleteNames = incompleteNames
        self.documentation = documentation
    }
}

/// A doc comment and what it documents.
public struct DocAttachment: Sendable, Hashable {
    /// The documented declaration.
    public var target: DocTarget
    /// The comment.
    public var comment: DocComment
    /// Creates an attachment.
    public init(target: DocTarget, comment: DocComment) {
        self.target = target
        self.comment = comment
    }
}
