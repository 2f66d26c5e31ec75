import ModelLanguage

// The one algebra of lowered expressions: their children (for every traversal), smart constructors that fold
// constants (used by the lowering, the guard splitter and the Promela exporter alike), and the one operator
// semantics, the machine's. Kept apart from the type itself so that the enum stays a plain description of
// what the compiled program evaluates.

// MARK: Children

extension LoweredExpression {
    /// The direct sub-expressions, in the order the machine evaluates them: the indices of a cell or table, the
    /// operand, the left then the right operand, the element of a membership test, the condition then the branches.
    public var children: [LoweredExpression] {
        switch self {
        case .constant, .field: return []
        case .cell(_, let indices), .table(_, let indices): return indices
        case .unary(_, let operand): return [operand]
        case .binary(_, let left, let right): return [left, right]
        case .member(let element, _): return [element]
        case .conditional(let c, let a, let b): return [c, a, b]
        }
    }

    /// The same node with its direct sub-expressions replaced, in the order of `children` (which it must match
    /// in number). The node's operator, variable, table or value set stays; no folding happens, so that a
    /// traversal that only rewrites leaves keeps the shape the caller gave.
    public func withChildren(_ replacement: [LoweredExpression]) -> LoweredExpression {
        switch self {
        case .constant, .field: return self
        case .cell(let variable, _): return .cell(variable: variable, indices: replacement)
        case .table(let table, _): return .table(table: table, indices: replacement)
        case .unary(let op, _): return .unary(op, replacement[0])
        case .binary(let op, _, _): return .binary(op, replacement[0], replacement[1])
        case .member(_, let values): return .member(replacement[0], values)
        case .conditional: return .conditional(replacement[0], replacement[1], replacement[2])
        }
    }

    /// The node with `transform` applied to each direct sub-expression.
    public func mapChildren(_ transform: (LoweredExpression) throws -> LoweredExpression) rethrows -> LoweredExpression {
        try withChildren(children.map(transform))
    }

    /// Visits every node, the node before its children (depth first, in evaluation order). `visit` returns
    /// whether to descend into the node's children.
    public func visit(_ visit: (LoweredExpression) -> Bool) {
        guard visit(self) else { return }
        // The children in `children`'s order, without building the array: analyses walk large expressions often.
        switch self {
        case .constant, .field: break
        case .cell(_, let indices), .table(_, let indices): for index in indices { index.visit(visit) }
        case .unary(_, let operand): operand.visit(visit)
        case .binary(_, let left, let right):
            left.visit(visit)
            right.visit(visit)
        case .member(let element, _): element.visit(visit)
        case .conditional(let c, let a, let b):
            c.visit(visit)
            a.visit(visit)
            b.visit(visit)
        }
    }

    /// The number of nodes.
    public var size: Int {
        var count = 0
        visit { _ in
            count += 1
            return true
        }
        return count
    }

    /// The fields read directly (not those read at computed indices), for dependency analysis.
    public func collectFields(into set: inout Set<Int>) {
        visit { node in
            if case .field(let index) = node { set.insert(index) }
            return true
        }
    }

    /// The fields read directly, and the variables read at computed indices (any of their cells may be read).
    public func collectReads(fields: inout Set<Int>, variables: inout Set<Int>) {
        visit { node in
            switch node {
            case .field(let index): fields.insert(index)
            case .cell(let variable, _): variables.insert(variable)
            default: break
            }
            return true
        }
    }

    /// The variables the expression may read: the owners of the fields it reads and the variables it reads at
    /// computed indices.
    public func variablesRead(in layout: StateLayout) -> Set<Int> {
        var fields: Set<Int> = []
        var variables: Set<Int> = []
        collectReads(fields: &fields, variables: &variables)
        return variables.union(fields.map { layout.owner(ofField: $0).variable })
    }
}

// MARK: Smart constructors

extension LoweredExpression {
    /// True, as the machine represents it.
    public static let truth = LoweredExpression.constant(1)
    /// False, as the machine represents it.
    public static let falsity = LoweredExpression.constant(0)

    /// `op operand`, folded when the operand is a constant (unless negating it overflows, which must fail at run
    /// time as the machine does); `!!e` is `e`.
    public static func folded(_ op: UnaryOperator, _ operand: LoweredExpression) -> LoweredExpression {
        if let value = operand.constantValue {
            if op == .not { return .constant(value == 0 ? 1 : 0) }
            if let negated = MachineArithmetic.negate(value) { return .constant(negated) }
        }
        if op == .not, case .unary(.not, let inner) = operand { return inner }
        return .unary(op, operand)
    }

    /// `l op r`, folded: two constants give the machine's result (an operation the machine would fail on is kept,
    /// so that it fails at run time); `true`, `false` and `0` are absorbed where the operator allows; `e == e` is
    /// decided when evaluating `e` cannot fail.
    public static func folded(_ op: BinaryOperator, _ l: LoweredExpression, _ r: LoweredExpression) -> LoweredExpression {
        if let a = l.constantValue, let b = r.constantValue, let value = MachineArithmetic.apply(op, a, b) {
            return .constant(value)
        }
        switch op {
        case .and:
            if l.constantValue == 1 { return r }
            if r.constantValue == 1 { return l }
            if l.constantValue == 0 || r.constantValue == 0 { return .constant(0) }
        case .or:
            if l.constantValue == 0 { return r }
            if r.constantValue == 0 { return l }
            if l.constantValue == 1 || r.constantValue == 1 { return .constant(1) }
        case .implies:
            if l.constantValue == 1 { return r }
            if l.constantValue == 0 || r.constantValue == 1 { return .constant(1) }
            if r.constantValue == 0 { return folded(.not, l) }
        case .add:
            if l.constantValue == 0 { return r }
            if r.constantValue == 0 { return l }
        case .equal, .notEqual:
            if l == r, l.cannotFail { return .constant(op == .equal ? 1 : 0) }
        default: break
        }
        return .binary(op, l, r)
    }

    /// `a && b`, folded.
    public static func and(_ a: LoweredExpression, _ b: LoweredExpression) -> LoweredExpression { folded(.and, a, b) }
    /// `a || b`, folded.
    public static func or(_ a: LoweredExpression, _ b: LoweredExpression) -> LoweredExpression { folded(.or, a, b) }
    /// `!a`, folded.
    public static func not(_ a: LoweredExpression) -> LoweredExpression { folded(.not, a) }
    /// `a -> b`, folded.
    public static func implies(_ a: LoweredExpression, _ b: LoweredExpression) -> LoweredExpression { folded(.implies, a, b) }

    /// Membership of `element` in a set of constants, folded (an empty set is `false`).
    public static func folded(member element: LoweredExpression, of values: [Int64]) -> LoweredExpression {
        if let value = element.constantValue { return .constant(values.contains(value) ? 1 : 0) }
        if values.isEmpty { return .constant(0) }
        return .member(element, values)
    }

    /// `c ? a : b`, folded: a constant condition picks its branch, equal branches need no condition.
    public static func ite(_ c: LoweredExpression, _ a: LoweredExpression, _ b: LoweredExpression) -> LoweredExpression {
        if let value = c.constantValue { return value != 0 ? a : b }
        if a == b { return a }
        return .conditional(c, a, b)
    }

    /// `c ? a : b` for boolean branches: as `ite`, and `c ? true : false` is `c`, `c ? false : true` is `!c`.
    public static func booleanIte(_ c: LoweredExpression, _ a: LoweredExpression, _ b: LoweredExpression) -> LoweredExpression {
        if c.constantValue == nil, a != b {
            if a == truth && b == falsity { return c }
            if a == falsity && b == truth { return not(c) }
        }
        return ite(c, a, b)
    }

    /// Whether evaluating the expression can never fail: no computed index, no division, no multiplication
    /// (which could overflow 64 bits; sums of in-range values cannot within the language's limits).
    public var cannotFail: Bool {
        var result = true
        visit { node in
            switch node {
            case .cell, .table: result = false
            case .binary(let op, _, _) where op == .divide || op == .remainder || op == .multiply: result = false
            default: break
            }
            return result
        }
        return result
    }
}

// MARK: Operator semantics

/// The machine's arithmetic on 64-bit values: overflow fails (a `bounds` violation), as does division or
/// remainder by zero and `Int64.min / -1`; comparisons and connectives give 0 or 1. The front end's constant
/// evaluator has the same rules, so this delegates to it: one table of operators for folding, for the
/// evaluator below and for constants in the source.
public enum MachineArithmetic {
    /// `l op r`, or nil where the machine fails.
    public static func apply(_ op: BinaryOperator, _ l: Int64, _ r: Int64) -> Int64? {
        try? ConstantEvaluator.apply(op, l, r)
    }

    /// `-value`, or nil where the machine fails (`-Int64.min`).
    public static func negate(_ value: Int64) -> Int64? {
        let (result, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : result
    }
}

// MARK: Evaluation

/// Evaluates lowered expressions off the machine, with its semantics: `MachineArithmetic`, short-circuit `&&`,
/// `||`, `->` and conditionals, table indices checked against their types. For analyses that need a value
/// without compiling a program (tabulating a sub-expression for every value of the cells it reads).
public struct LoweredEvaluator {
    /// The value of a `.field` or `.cell` node (whole: the caller decides how computed indices are read); nil
    /// when it cannot be read, which fails the evaluation.
    public let cell: (LoweredExpression) -> Int64?
    /// The tables, by the table index the expressions use.
    public let tables: [Table]

    /// A constant table: its index types and its entries in row-major order.
    public struct Table: Sendable {
        /// The types of the indices.
        public let indexTypes: [FiniteType]
        /// The entries, row-major.
        public let entries: [Int64]

        /// A table with these index types and entries.
        public init(indexTypes: [FiniteType], entries: [Int64]) {
            self.indexTypes = indexTypes
            self.entries = entries
        }
    }

    /// An evaluator reading cells through `cell` and tables from `tables`.
    public init(cell: @escaping (LoweredExpression) -> Int64?, tables: [Table]) {
        self.cell = cell
        self.tables = tables
    }

    /// The value of `expression`, or nil where the machine would fail (or a cell cannot be read).
    public func value(_ expression: LoweredExpression) -> Int64? {
        switch expression {
        case .constant(let value): return value
        case .field, .cell: return cell(expression)
        case .table(let index, let indices):
            let spec = tables[index]
            var flat = 0
            for (index, type) in zip(indices, spec.indexTypes) {
                guard let value = value(index), type.contains(value) else { return nil }
                flat = flat * type.cardinality + Int(value - type.lowerBound)
            }
            return flat < spec.entries.count ? spec.entries[flat] : nil
        case .unary(let op, let operand):
            guard let value = value(operand) else { return nil }
            return op == .not ? (value == 0 ? 1 : 0) : MachineArithmetic.negate(value)
        case .binary(let op, let left, let right):
            guard let l = value(left) else { return nil }
            switch op {
            case .and: if l == 0 { return 0 }
            case .or: if l != 0 { return 1 }
            case .implies: if l == 0 { return 1 }
            default: break
            }
            guard let r = value(right) else { return nil }
            return MachineArithmetic.apply(op, l, r)
        case .member(let element, let set):
            guard let value = value(element) else { return nil }
            return set.contains(value) ? 1 : 0
        case .conditional(let condition, let a, let b):
            guard let value = value(condition) else { return nil }
            return value != 0 ? self.value(a) : self.value(b)
        }
    }
}
