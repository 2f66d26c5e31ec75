import ModelLanguage

/// A test of one field against a set of allowed ordinals: `(allowed >> ordinal) & 1 == 1`.
/// Guards are split into such tests (checked natively, without the machine) and a residual expression.
public struct FieldTest: Sendable, Hashable {
    /// The word holding the field.
    public let word: Int32
    /// The field's bit offset.
    public let shift: UInt8
    /// The field's mask (after shifting).
    public let mask: UInt64
    /// Bit k is set when ordinal `low + k` passes (ordinals from `low` to `low + span` only).
    public let allowed: UInt64
    /// The smallest ordinal that can pass.
    public let low: UInt64
    /// The ordinals that can pass are `low ... low + span`: 63 for a bit set, any span for an interval
    /// (`allowed` then has every bit set).
    public let span: UInt64

    /// A test of a field's ordinals, at most 64 from `low` on, against a bit set.
    init(word: Int32, shift: UInt8, mask: UInt64, allowed: UInt64, low: UInt64 = 0) {
        self.word = word
        self.shift = shift
        self.mask = mask
        self.allowed = allowed
        self.low = low
        span = 63
    }

    /// A test that a field's ordinal lies in an interval (for fields with more than 64 values).
    init(word: Int32, shift: UInt8, mask: UInt64, interval: ClosedRange<UInt64>) {
        self.word = word
        self.shift = shift
        self.mask = mask
        allowed = ~0
        low = interval.lowerBound
        span = interval.upperBound - interval.lowerBound
    }

    /// Whether no value passes.
    public var passesNothing: Bool { allowed == 0 }

    /// Whether the packed state passes the test.
    @inlinable @inline(__always)
    public func passes(_ state: UnsafePointer<UInt64>) -> Bool {
        let offset = ((state[Int(word)] >> UInt64(shift)) & mask) &- low
        return offset <= span && (allowed >> (offset & 63)) & 1 != 0
    }
}

/// What a guard says about single fields: its top-level conjuncts that compare one field with constants. The
/// explorer turns them into native field tests; the Promela exporter into narrower field ranges after the guard.
public enum GuardAnalysis {
    /// The top-level conjuncts of `e`, left to right (`a && (b && c)` gives `a`, `b`, `c`).
    public static func conjuncts(_ e: LoweredExpression) -> [LoweredExpression] {
        if case .binary(.and, let l, let r) = e { return conjuncts(l) + conjuncts(r) }
        return [e]
    }

    /// The field tests among the top-level conjuncts that come before the first conjunct that can fail
    /// (a computed index, a division, a multiplication), and the conjunction of the others in their order.
    /// Conjuncts before the first one that can fail never fail, so testing some of them first decides the same
    /// guard with the same failures as evaluating `&&` from left to right.
    public static func split(_ guardExpression: LoweredExpression, layout: StateLayout) -> (tests: [FieldTest], residual: LoweredExpression) {
        var tests: [FieldTest] = []
        var residual: LoweredExpression = .truth
        var mayFailBefore = false
        for conjunct in conjuncts(guardExpression) {
            if !mayFailBefore, let test = fieldTest(conjunct, layout: layout) {
                tests.append(test)
            } else {
                residual = .and(residual, conjunct)
                if !conjunct.cannotFail { mayFailBefore = true }
            }
        }
        return (tests, residual)
    }

    /// The interval each field lies in wherever the guard holds, for the fields its conjuncts bound: a
    /// comparison of the field with a constant (`<`, `<=`, `>`, `>=`, `==`, either side) or a membership test.
    /// Fields the guard does not bound are left out (their type's range holds).
    public static func knownRanges(_ guardExpression: LoweredExpression, layout: StateLayout) -> [Int: ClosedRange<Int64>] {
        var known: [Int: ClosedRange<Int64>] = [:]
        for conjunct in conjuncts(guardExpression) {
            guard let constraint = FieldConstraint(conjunct), let bounds = constraint.bounds else { continue }
            let type = layout.fields[constraint.field].type
            let current = known[constraint.field] ?? ValueRanges.interval(type)
            let lower = max(current.lowerBound, bounds.lowerBound)
            let upper = min(current.upperBound, bounds.upperBound)
            if lower <= upper { known[constraint.field] = lower...upper }
        }
        return known
    }

    /// The test equivalent to `e`, when `e` constrains a single field: any test of a field with at most 64
    /// values; for a wider field, a comparison bounding it (`<`, `<=`, `>`, `>=`, `==`, a test on an interval of
    /// ordinals) or a membership test whose values span at most 64 ordinals.
    static func fieldTest(_ e: LoweredExpression, layout: StateLayout) -> FieldTest? {
        guard let constraint = FieldConstraint(e) else { return nil }
        let slot = layout.fields[constraint.field]
        let count = slot.type.cardinality
        if count <= 64 {
            var allowed: UInt64 = 0
            for ordinal in 0..<count where constraint.allows(slot.type.value(ordinal: ordinal)) { allowed |= 1 << UInt64(ordinal) }
            return FieldTest(word: Int32(slot.word), shift: UInt8(slot.shift), mask: slot.mask, allowed: allowed)
        }
        let lowest = slot.type.lowerBound
        let highest = lowest + Int64(count - 1)
        if !constraint.negated, case .member(let values) = constraint.relation {
            let inside = values.filter { slot.type.contains($0) }
            guard let first = inside.min(), let last = inside.max() else {
                return FieldTest(word: Int32(slot.word), shift: UInt8(slot.shift), mask: slot.mask, allowed: 0)
            }
            guard last - first < 64 else { return nil }
            var allowed: UInt64 = 0
            for value in inside { allowed |= 1 << UInt64(value - first) }
            return FieldTest(word: Int32(slot.word), shift: UInt8(slot.shift), mask: slot.mask, allowed: allowed,
                             low: UInt64(first - lowest))
        }
        guard case .compare(let op, _) = constraint.relation, op != .notEqual, let bounds = constraint.bounds else { return nil }
        let from = max(bounds.lowerBound, lowest)
        let to = min(bounds.upperBound, highest)
        guard from <= to else { return FieldTest(word: Int32(slot.word), shift: UInt8(slot.shift), mask: slot.mask, allowed: 0) }
        return FieldTest(word: Int32(slot.word), shift: UInt8(slot.shift), mask: slot.mask,
                         interval: UInt64(from - lowest)...UInt64(to - lowest))
    }
}

/// A condition on one field's value, read off an expression that compares the field with constants only.
public struct FieldConstraint: Sendable, Hashable {
    /// How the value is tested.
    public enum Relation: Sendable, Hashable {
        /// The value is not zero (a boolean field read as a condition).
        case nonZero
        /// `value op constant`, a comparison (the field on the left, the operator mirrored if it was on the right).
        case compare(BinaryOperator, Int64)
        /// The value is one of the constants.
        case member([Int64])
    }

    /// The field (an index into `StateLayout.fields`).
    public let field: Int
    /// The test on its value.
    public let relation: Relation
    /// Whether the test is negated (`!e`).
    public let negated: Bool

    /// The constraint `e` expresses, or nil when it is not a test of one field against constants.
    public init?(_ e: LoweredExpression) {
        switch e {
        case .field(let field):
            self.init(field: field, relation: .nonZero, negated: false)
        case .unary(.not, let inner):
            guard let constraint = FieldConstraint(inner) else { return nil }
            self.init(field: constraint.field, relation: constraint.relation, negated: !constraint.negated)
        case .member(.field(let field), let values):
            self.init(field: field, relation: .member(values), negated: false)
        case .binary(let op, .field(let field), .constant(let c)) where op.isComparison:
            self.init(field: field, relation: .compare(op, c), negated: false)
        case .binary(let op, .constant(let c), .field(let field)) where op.isComparison:
            self.init(field: field, relation: .compare(op.mirrored, c), negated: false)
        default:
            return nil
        }
    }

    private init(field: Int, relation: Relation, negated: Bool) {
        self.field = field
        self.relation = relation
        self.negated = negated
    }

    /// Whether the field's value passes.
    public func allows(_ value: Int64) -> Bool {
        let holds: Bool
        switch relation {
        case .nonZero: holds = value != 0
        case .compare(let op, let c): holds = MachineArithmetic.apply(op, value, c) == 1
        case .member(let values): holds = values.contains(value)
        }
        return holds != negated
    }

    /// The interval the values passing lie in, when the test bounds them (not for `!=`, a negation or a
    /// non-zero test, which exclude values inside an interval rather than bound it).
    public var bounds: ClosedRange<Int64>? {
        guard !negated else { return nil }
        switch relation {
        case .nonZero: return nil
        case .member(let values):
            guard let low = values.min(), let high = values.max() else { return nil }
            return low...high
        case .compare(let op, let c):
            switch op {
            case .less: return c == Int64.min ? nil : Int64.min...(c - 1)
            case .lessEqual: return Int64.min...c
            case .greater: return c == Int64.max ? nil : (c + 1)...Int64.max
            case .greaterEqual: return c...Int64.max
            case .equal: return c...c
            default: return nil
            }
        }
    }
}

extension BinaryOperator {
    /// Whether the operator compares two numbers.
    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return true
        default: return false
        }
    }

    /// The operator with its operands swapped (`a < b` is `b > a`).
    var mirrored: BinaryOperator {
        switch self {
        case .less: return .greater
        case .lessEqual: return .greaterEqual
        case .greater: return .less
        case .greaterEqual: return .lessEqual
        default: return self
        }
    }
}
