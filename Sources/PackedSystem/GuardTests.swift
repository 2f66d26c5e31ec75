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
    /// Bit k is set when ordinal k passes.
    public let allowed: UInt64

    /// Whether the packed state passes the test.
    @inlinable @inline(__always)
    public func passes(_ state: UnsafePointer<UInt64>) -> Bool {
        (allowed >> ((state[Int(word)] >> UInt64(shift)) & mask)) & 1 != 0
    }
}

/// Splits a guard into native field tests and a residual expression.
enum GuardSplitter {
    /// The field tests among the top-level conjuncts that come before the first conjunct that can fail
    /// (a computed index, a division, a multiplication), and the conjunction of the others in their order.
    /// Conjuncts before the first one that can fail never fail, so testing some of them first decides the same
    /// guard with the same failures as evaluating `&&` from left to right.
    static func split(_ guardExpression: LoweredExpression, layout: StateLayout) -> (tests: [FieldTest], residual: LoweredExpression) {
        var tests: [FieldTest] = []
        var residual: LoweredExpression = .constant(1)
        var mayFailBefore = false
        for conjunct in conjuncts(guardExpression) {
            if !mayFailBefore, let test = fieldTest(conjunct, layout: layout) {
                tests.append(test)
            } else {
                residual = Folding.binary(.and, residual, conjunct)
                if !Folding.isPure(conjunct) { mayFailBefore = true }
            }
        }
        return (tests, residual)
    }

    private static func conjuncts(_ e: LoweredExpression) -> [LoweredExpression] {
        if case .binary(.and, let l, let r) = e { return conjuncts(l) + conjuncts(r) }
        return [e]
    }

    /// The test equivalent to `e`, when `e` constrains a single field with at most 64 values.
    private static func fieldTest(_ e: LoweredExpression, layout: StateLayout) -> FieldTest? {
        guard let (field, predicate) = fieldPredicate(e) else { return nil }
        let slot = layout.fields[field]
        let count = slot.type.cardinality
        guard count <= 64 else { return nil }
        var allowed: UInt64 = 0
        for ordinal in 0..<count where predicate(slot.type.value(ordinal: ordinal)) { allowed |= 1 << UInt64(ordinal) }
        return FieldTest(word: Int32(slot.word), shift: UInt8(slot.shift), mask: slot.mask, allowed: allowed)
    }

    /// A field and a predicate on its value, when `e` tests one field against constants.
    private static func fieldPredicate(_ e: LoweredExpression) -> (Int, (Int64) -> Bool)? {
        switch e {
        case .field(let field): return (field, { $0 != 0 })
        case .unary(.not, let inner):
            guard let (field, predicate) = fieldPredicate(inner) else { return nil }
            return (field, { !predicate($0) })
        case .member(.field(let field), let values):
            let set = Set(values)
            return (field, { set.contains($0) })
        case .binary(let op, .field(let field), .constant(let c)):
            return compare(op, c).map { (field, $0) }
        case .binary(let op, .constant(let c), .field(let field)):
            return compare(mirrored(op), c).map { (field, $0) }
        default:
            return nil
        }
    }

    private static func compare(_ op: BinaryOperator, _ c: Int64) -> ((Int64) -> Bool)? {
        switch op {
        case .equal: return { $0 == c }
        case .notEqual: return { $0 != c }
        case .less: return { $0 < c }
        case .lessEqual: return { $0 <= c }
        case .greater: return { $0 > c }
        case .greaterEqual: return { $0 >= c }
        default: return nil
        }
    }

    private static func mirrored(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .less: return .greater
        case .lessEqual: return .greaterEqual
        case .greater: return .less
        case .greaterEqual: return .lessEqual
        default: return op
        }
    }
}
