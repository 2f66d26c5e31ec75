import ModelLanguage
import PackedSystem

/// The order in which the explicit engine evaluates a guard. It checks the top-level conjuncts that test a
/// single field against constants (fields with at most 64 values) natively before anything else, then runs the
/// rest of the guard in the machine; so a failure (bounds) in the rest only counts when those tests pass. This
/// mirrors `GuardSplitter` in PackedSystem, from the committed `guardExpression` alone.
enum GuardOrder {
    /// The guard as the explicit engine evaluates it: `tests && rest`, both in their original order.
    static func reordered(_ guardExpression: LoweredExpression, layout: StateLayout) -> LoweredExpression {
        var tests: [LoweredExpression] = []
        var rest: [LoweredExpression] = []
        for conjunct in conjuncts(guardExpression) {
            if isFieldTest(conjunct, layout: layout) { tests.append(conjunct) } else { rest.append(conjunct) }
        }
        if rest.isEmpty || tests.isEmpty { return guardExpression }
        let all = tests + rest
        var result = all[0]
        for conjunct in all.dropFirst() { result = .binary(.and, result, conjunct) }
        return result
    }

    private static func conjuncts(_ e: LoweredExpression) -> [LoweredExpression] {
        if case .binary(.and, let l, let r) = e { return conjuncts(l) + conjuncts(r) }
        return [e]
    }

    private static func isFieldTest(_ e: LoweredExpression, layout: StateLayout) -> Bool {
        guard let field = testedField(e) else { return false }
        return layout.fields[field].type.cardinality <= 64
    }

    private static func testedField(_ e: LoweredExpression) -> Int? {
        switch e {
        case .field(let field): return field
        case .unary(.not, let inner): return testedField(inner)
        case .member(.field(let field), _): return field
        case .binary(let op, .field(let field), .constant), .binary(let op, .constant, .field(let field)):
            switch op {
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return field
            default: return nil
            }
        default: return nil
        }
    }
}
