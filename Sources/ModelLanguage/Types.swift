/// An enum type: its name and its constants in order (a value is the constant's ordinal).
public struct EnumType: Sendable, Hashable {
    /// Unique within a model.
    public let id: Int
    /// The declared name.
    public let name: String
    /// The constants, in declaration order.
    public let cases: [String]
}

/// A scalarset type: `size` interchangeable values `0..<size`.
public struct ScalarsetType: Sendable, Hashable {
    /// Unique within a model.
    public let id: Int
    /// The declared name.
    public let name: String
    /// The number of values.
    public let size: Int
}

/// The type of an expression's value.
public enum ValueType: Sendable, Hashable {
    case bool
    case int
    case enumeration(EnumType)
    case scalarset(ScalarsetType)
    /// The type of an expression that already failed to check; compatible with everything, to avoid cascades.
    case error

    /// A name for messages.
    public var description: String {
        switch self {
        case .bool: return "bool"
        case .int: return "integer"
        case .enumeration(let e): return "enum \(e.name)"
        case .scalarset(let s): return "scalarset \(s.name)"
        case .error: return "<error>"
        }
    }

    /// Whether values of the two types may be compared or assigned.
    public func isCompatible(with other: ValueType) -> Bool {
        if self == .error || other == .error { return true }
        return self == other
    }
}

/// A type with finitely many values, usable for variables, array indices, parameters and quantifiers.
/// Values are represented as `Int64`: booleans as 0 and 1, enum constants and scalarset values by ordinal,
/// integers by themselves.
public enum FiniteType: Sendable, Hashable {
    case bool
    case range(Int64, Int64)
    case enumeration(EnumType)
    case scalarset(ScalarsetType)

    /// How many values the type has.
    public var cardinality: Int {
        switch self {
        case .bool: return 2
        case .range(let low, let high): return Int(high - low + 1)
        case .enumeration(let e): return e.cases.count
        case .scalarset(let s): return s.size
        }
    }

    /// The smallest value (the value of ordinal 0).
    public var lowerBound: Int64 {
        if case .range(let low, _) = self { return low }
        return 0
    }

    /// The value with the given ordinal (0-based position in the type's order).
    public func value(ordinal: Int) -> Int64 { lowerBound + Int64(ordinal) }

    /// Whether `value` belongs to the type.
    public func contains(_ value: Int64) -> Bool {
        value >= lowerBound && value - lowerBound < Int64(cardinality)
    }

    /// All values in order, produced lazily (a range type may have two billion of them).
    public var values: LazyMapSequence<Range<Int>, Int64> {
        let low = lowerBound
        return (0..<cardinality).lazy.map { low + Int64($0) }
    }

    /// The type of an expression holding such a value.
    public var valueType: ValueType {
        switch self {
        case .bool: return .bool
        case .range: return .int
        case .enumeration(let e): return .enumeration(e)
        case .scalarset(let s): return .scalarset(s)
        }
    }

    /// The type as it would be written in a model.
    public var description: String {
        switch self {
        case .bool: return "bool"
        case .range(let low, let high): return "\(low)..\(high)"
        case .enumeration(let e): return e.name
        case .scalarset(let s): return s.name
        }
    }

    /// How a value is shown to people: `true`, `5`, `RUNNING`, `Dev#1`.
    public func format(_ value: Int64) -> String {
        switch self {
        case .bool: return value != 0 ? "true" : "false"
        case .range: return String(value)
        case .enumeration(let e):
            return value >= 0 && value < Int64(e.cases.count) ? e.cases[Int(value)] : "\(e.name)#\(value)"
        case .scalarset(let s): return "\(s.name)#\(value)"
        }
    }

    /// Bits needed to store an ordinal of this type (0 for a single-valued type).
    public var bitWidth: Int {
        let count = cardinality
        guard count > 1 else { return 0 }
        return Int.bitWidth - (count - 1).leadingZeroBitCount
    }
}
