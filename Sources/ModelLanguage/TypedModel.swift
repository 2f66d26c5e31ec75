/// Identifies a name bound by a parameter, quantifier, `choose`, `let` or definition parameter.
public struct BoundID: Sendable, Hashable {
    /// Unique within a checked model.
    public let raw: Int
}

/// A checked expression: every name resolved, every node typed.
public indirect enum TypedExpression: Sendable {
    /// A constant value of the given type.
    case literal(Int64, ValueType)
    /// A state variable, read at the given indices (one per array dimension).
    case variable(Int, [TypedExpression], ValueType, SourceRange)
    /// A constant table, read at the given indices.
    case table(Int, [TypedExpression], ValueType, SourceRange)
    /// A bound name.
    case bound(BoundID, ValueType)
    case unary(UnaryOperator, TypedExpression)
    case binary(BinaryOperator, TypedExpression, TypedExpression, SourceRange)
    case member(TypedExpression, [TypedExpression])
    case conditional(TypedExpression, TypedExpression, TypedExpression, ValueType)
    /// One bound name; multi-name quantifiers are nested.
    case quantifier(QuantifierKind, BoundID, FiniteType, TypedExpression)
    /// A call of a definition, by index.
    case call(Int, [TypedExpression], ValueType)
    /// A `let`-bound value (substituted by the lowering).
    case letValue(BoundID, ValueType)

    /// The type of the value.
    public var type: ValueType {
        switch self {
        case .literal(_, let t), .bound(_, let t), .letValue(_, let t), .variable(_, _, let t, _), .table(_, _, let t, _),
             .call(_, _, let t), .conditional(_, _, _, let t):
            return t
        case .unary(let op, _): return op == .not ? .bool : .int
        case .binary(let op, _, _, _):
            switch op {
            case .add, .subtract, .multiply, .divide, .remainder: return .int
            default: return .bool
            }
        case .member: return .bool
        case .quantifier(let kind, _, _, _): return kind == .count ? .int : .bool
        }
    }
}

/// A checked statement of an action body.
public indirect enum TypedStatement: Sendable {
    /// `variable[indices] := value`.
    case assign(variable: Int, indices: [TypedExpression], value: TypedExpression, range: SourceRange)
    case ifThen(TypedExpression, [TypedStatement], [TypedStatement])
    /// One execution per value of the type (or of the listed values) that satisfies the filter.
    case choose(BoundID, ChoiceDomain, filter: TypedExpression?, body: [TypedStatement])
    /// Names a value of the pre-state for the statements after it.
    case letBinding(BoundID, TypedExpression)
    /// Violates property `property` (an index into `CheckedModel.properties`) when the condition is false.
    case assert(property: Int, condition: TypedExpression, range: SourceRange)
}

/// The values a `choose` ranges over.
public enum ChoiceDomain: Sendable {
    case type(FiniteType)
    case values([TypedExpression])
}

/// How a variable's cells start.
public enum InitialValues: Sendable, Hashable {
    case value(Int64)
    case oneOf([Int64])
    case any
}

/// A state variable.
public struct VariableInfo: Sendable {
    /// Its name.
    public let name: String
    /// Index types, outermost first (empty for a scalar).
    public let indexTypes: [FiniteType]
    /// The type of each cell.
    public let elementType: FiniteType
    /// Initial values of each cell.
    public let initial: InitialValues
    /// Declaration position.
    public let range: SourceRange

    /// The number of cells.
    public var cellCount: Int { indexTypes.reduce(1) { $0 * $1.cardinality } }
}

/// A constant table, flattened row-major.
public struct TableInfo: Sendable {
    /// Its name.
    public let name: String
    /// Index types, outermost first.
    public let indexTypes: [FiniteType]
    /// The type of each entry.
    public let elementType: FiniteType
    /// All entries, row-major.
    public let entries: [Int64]
}

/// A pure definition.
public struct DefinitionInfo: Sendable {
    /// Its name.
    public let name: String
    /// Parameter bindings in order.
    public let parameters: [BoundID]
    /// Parameter types in order.
    public let parameterTypes: [ValueType]
    /// The body.
    public let body: TypedExpression
    /// The result type.
    public let resultType: ValueType
}

/// An action parameter.
public struct ParameterInfo: Sendable {
    /// The bound name.
    public let id: BoundID
    /// Its name as written.
    public let name: String
    /// The values it ranges over.
    public let type: FiniteType
}

/// A checked action.
public struct ActionInfo: Sendable {
    /// Its name.
    public let name: String
    /// Whether it is weakly fair.
    public let fair: Bool
    /// Its parameters.
    public let parameters: [ParameterInfo]
    /// The guard (`true` when absent).
    public let guardExpression: TypedExpression
    /// The body.
    public let body: [TypedStatement]
    /// Declaration position.
    public let range: SourceRange
    /// Whether an `expect dead` line that applies to this combination says the action is meant never to be
    /// enabled in a reachable state.
    public var meantDead = false
    /// The events it emits when it fires, in order (`emits ...`).
    public var emissions: [EmissionInfo] = []
}

/// The kinds of observable event a model may declare (docs/language.md, "Events and entry points").
public enum EventKind: String, Sendable, Hashable, CaseIterable {
    /// A SET of the device state: `set(DEVICE, REQUESTED, [RECOVER,] AFTER)`.
    case set
    /// A device reset: `reset(DEVICE, AFTER)`.
    case reset
    /// A state the log shows for a device (QEMU's trace of its cached state): `state(DEVICE, STATE)`.
    case state
}

/// One checked `emits` clause. Every expression is read on the state the action leaves.
public struct EmissionInfo: Sendable {
    /// The kind.
    public let kind: EventKind
    /// The device.
    public let device: TypedExpression
    /// The requested state (`set` only).
    public let requested: TypedExpression?
    /// The recover state (`set` with four arguments only).
    public let recover: TypedExpression?
    /// The device's state afterwards (`set`, `reset`) or the state shown (`state`).
    public let state: TypedExpression
    /// Emitted only when this holds (absent: always).
    public let condition: TypedExpression?
    /// Where the clause was written.
    public let range: SourceRange
}

/// The types every event of a model uses: one device type and one state type, so that a log's device names and
/// state names can be read against them.
public struct EventSignature: Sendable, Hashable {
    /// The type of the device argument.
    public let deviceType: ValueType
    /// The type of the state arguments.
    public let stateType: ValueType
}

/// A checked `entry NAME: PREDICATE`.
public struct EntryInfo: Sendable {
    /// Its name.
    public let name: String
    /// The predicate.
    public let predicate: TypedExpression
    /// Declaration position.
    public let range: SourceRange
}

/// The kind of a property, including the built-in ones.
public enum CheckedPropertyKind: String, Sendable, Hashable {
    case invariant, reachable, eventually, leadsto, assertion, deadlock, bounds
}

/// A property with its expected verdict.
public struct PropertyInfo: Sendable {
    /// Its name.
    public let name: String
    /// What kind of property it is.
    public let kind: CheckedPropertyKind
    /// The predicate (P of `leadsto`); nil for built-ins and assertions.
    public let predicate: TypedExpression?
    /// Q of `leadsto`.
    public let target: TypedExpression?
    /// The verdict CI must see: from an `expect` line, or `holds` (`reachable` for goals) by default.
    public var expected: ExpectedVerdict
    /// Whether an `expect` line gave the verdict.
    public var explicitlyExpected: Bool
    /// Declaration position (of the first assertion for assertion properties).
    public let range: SourceRange
    /// The message of an assertion, if it has one.
    public let message: String?
    /// Whether the applying `expect` line says the property holds trivially or vacuously.
    public var meant: SanityMark? = nil
}

/// A model after name resolution and type checking: what the lowering consumes.
public struct CheckedModel: Sendable {
    /// The model's name.
    public let name: String
    /// The source it came from.
    public let source: SourceFile
    /// Constants with their final values (after overrides), in order.
    public let constants: [(name: String, value: Int64, type: ValueType)]
    /// Enum types.
    public let enums: [EnumType]
    /// Scalarset types.
    public let scalarsets: [ScalarsetType]
    /// State variables in declaration order.
    public let variables: [VariableInfo]
    /// Constant tables.
    public let tables: [TableInfo]
    /// Definitions, in declaration order.
    public let definitions: [DefinitionInfo]
    /// Actions in declaration order.
    public let actions: [ActionInfo]
    /// Properties: declared ones in order, then assertions, then `deadlock` and `bounds`.
    public let properties: [PropertyInfo]
    /// The `terminal` predicates.
    public let terminals: [TypedExpression]
    /// Declared variants, in order.
    public let variants: [VariantInfo]
    /// The value of each variant in this check, parallel to `variants`.
    public let assignment: [Int64]
    /// Every combination to run (each parallel to `variants`): the listed ones, or all, restricted to the pins.
    /// A model without variants has one empty combination.
    public let combinations: [[Int64]]

    /// The declared entry points, in order.
    public var entries: [EntryInfo] = []
    /// The types of the declared events; nil when no action emits any.
    public var eventSignature: EventSignature? = nil
    /// The doc comments of the model, its properties (and named assertions) and its variants.
    public var documentation = ModelDocumentation()

    /// This check's variant values by name, formatted (empty without variants).
    public var variantAssignment: VariantAssignment { VariantAssignment(variants, assignment) }
}
