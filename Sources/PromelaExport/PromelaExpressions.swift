import ModelLanguage
import PackedSystem

/// How the Promela translation stores and reads the model's cells and tables, and renders lowered expressions.
///
/// Every cell is stored as its value, except cells of an integer range with a negative lower bound, which are
/// stored as `value - lower bound` (SPIN accepts only non-negative numbers in initializer lists). Multi-dimensional
/// arrays are flattened in row-major order, as in vfio-mc's layout. Tables are hidden global arrays (initialised
/// once, not part of the state vector). Enum constants are `#define`d by name.
struct PromelaExpressions {
    let system: TransitionSystem
    /// Per layout variable: its Promela name.
    let variableNames: [String]
    /// Per layout variable: the storage offset (the value is `stored + offset`).
    let variableOffsets: [Int64]
    /// The model's tables and the computed ones.
    let tables: PromelaTables
    /// Per enum (by id): the Promela name of each constant.
    let enumConstants: [Int: [String]]
    /// Per field: its variable and cell.
    let fieldOwners: [(variable: Int, cell: Int)]

    init(system: TransitionSystem, names: inout PromelaNames) {
        self.system = system
        var enumConstants: [Int: [String]] = [:]
        for enumType in system.model.enums {
            enumConstants[enumType.id] = enumType.cases.map { names.allocate($0, suffix: "_e") }
        }
        self.enumConstants = enumConstants
        let layout = system.layout
        variableNames = layout.variables.map { names.allocate($0.info.name, suffix: "_v") }
        variableOffsets = layout.variables.map { variable in
            let lower = variable.info.elementType.lowerBound
            return lower < 0 ? lower : 0
        }
        tables = PromelaTables(system: system, names: &names)
        fieldOwners = layout.fields.indices.map { layout.owner(ofField: $0) }
    }

    // MARK: Types and storage

    /// The Promela type that stores values of `type` with the given offset.
    static func storageType(_ type: FiniteType, offset: Int64) -> String {
        if type == .bool { return "bool" }
        let highest = ValueRanges.interval(type).upperBound - offset
        if highest <= 255 { return "byte" }
        if highest <= 32_767 { return "short" }
        return "int"
    }

    /// A stored value as it is written in an initializer.
    func storedLiteral(_ value: Int64, variable: Int) -> String {
        String(value - variableOffsets[variable])
    }

    /// `name` for a scalar, `name[cell]` for an array cell (the stored representation).
    func storage(variable: Int, cell: Int, prefix: String? = nil) -> String {
        let name = prefix ?? variableNames[variable]
        return system.layout.variables[variable].info.indexTypes.isEmpty ? name : "\(name)[\(cell)]"
    }

    /// `name[FLAT]` for computed indices (stored representation).
    func storage(variable: Int, indices: [LoweredExpression], prefix: String? = nil) -> String {
        let name = prefix ?? variableNames[variable]
        return "\(name)[\(flatIndex(indices, types: system.layout.variables[variable].info.indexTypes))]"
    }

    /// The row-major flat index of computed indices.
    func flatIndex(_ indices: [LoweredExpression], types: [FiniteType]) -> String {
        var strides = Array(repeating: 1, count: types.count)
        if types.count > 1 {
            for position in stride(from: types.count - 2, through: 0, by: -1) {
                strides[position] = strides[position + 1] * types[position + 1].cardinality
            }
        }
        var terms: [String] = []
        for (position, index) in indices.enumerated() {
            let type = types[position]
            var term = text(index, hint: type)
            if type.lowerBound != 0 { term = "(\(term) - \(type.lowerBound))".replacingOccurrences(of: "- -", with: "+ ") }
            if strides[position] != 1 { term = "\(term) * \(strides[position])" }
            terms.append(term)
        }
        return terms.isEmpty ? "0" : terms.joined(separator: " + ")
    }

    /// Reading a stored cell as a value.
    func valueOf(stored text: String, offset: Int64) -> String {
        offset == 0 ? text : "(\(text) - \(-offset))"
    }

    /// Turning a value into its stored representation.
    func stored(value text: String, offset: Int64) -> String {
        offset == 0 ? text : "(\(text) + \(-offset))"
    }

    // MARK: Expressions

    /// The finite type of an expression's value, when it is a cell, a table entry or a choice between them.
    func typeOf(_ expression: LoweredExpression) -> FiniteType? {
        if let type = system.layout.cellType(expression) { return type }
        switch expression {
        case .table(let table, _): return tables.tables[table].elementType
        case .conditional(_, let a, let b): return typeOf(a) ?? typeOf(b)
        default: return nil
        }
    }

    /// The Promela text of an expression, with large sub-expressions over few cells replaced by lookups in
    /// computed arrays (see `PromelaTables`); `hint` is the type its value belongs to.
    /// `known` gives narrower ranges of some fields where the expression is evaluated (after a guard).
    func text(_ expression: LoweredExpression, hint: FiniteType? = nil, known: [Int: ClosedRange<Int64>] = [:]) -> String {
        render(tables.tabulate(expression, type: hint, known: known), hint: hint)
    }

    /// The Promela text of an expression (fully parenthesised); `hint` is the type its value belongs to, so that
    /// enum constants are written by name.
    func render(_ expression: LoweredExpression, hint: FiniteType? = nil) -> String {
        switch expression {
        case .constant(let value):
            return literal(value, hint: hint)
        case .field(let index):
            let owner = fieldOwners[index]
            return valueOf(stored: storage(variable: owner.variable, cell: owner.cell), offset: variableOffsets[owner.variable])
        case .cell(let variable, let indices):
            return valueOf(stored: storage(variable: variable, indices: indices), offset: variableOffsets[variable])
        case .table(let table, let indices):
            let spec = tables.tables[table]
            let text = "\(spec.name)[\(flatIndex(indices, types: spec.indexTypes))]"
            return valueOf(stored: text, offset: spec.offset)
        case .unary(let op, let operand):
            switch op {
            case .not: return "!" + wrap(render(operand, hint: .bool))
            case .negate: return "(-" + wrap(render(operand)) + ")"
            }
        case .binary(let op, let left, let right):
            switch op {
            case .and: return "(\(render(left, hint: .bool)) && \(render(right, hint: .bool)))"
            case .or: return "(\(render(left, hint: .bool)) || \(render(right, hint: .bool)))"
            case .implies: return "(!\(wrap(render(left, hint: .bool))) || \(render(right, hint: .bool)))"
            case .equivalent: return "(\(render(left, hint: .bool)) == \(render(right, hint: .bool)))"
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
                let type = typeOf(left) ?? typeOf(right)
                return "(\(render(left, hint: type)) \(op.rawValue) \(render(right, hint: type)))"
            case .add, .subtract, .multiply, .divide, .remainder:
                return "(\(render(left)) \(op.rawValue) \(render(right)))"
            }
        case .member(let element, let values):
            guard !values.isEmpty else { return "false" }
            let type = typeOf(element)
            let text = render(element, hint: type)
            if values.count == 1 { return "(\(text) == \(literal(values[0], hint: type)))" }
            return "(" + values.map { "\(text) == \(literal($0, hint: type))" }.joined(separator: " || ") + ")"
        case .conditional(let condition, let a, let b):
            return "(\(render(condition, hint: .bool)) -> \(render(a, hint: hint)) : \(render(b, hint: hint)))"
        }
    }

    /// A constant, by name for an enum.
    func literal(_ value: Int64, hint: FiniteType?) -> String {
        if case .enumeration(let type)? = hint, value >= 0, let names = enumConstants[type.id], Int(value) < names.count {
            return names[Int(value)]
        }
        if hint == .bool, value == 0 || value == 1 { return value == 1 ? "true" : "false" }
        return value < 0 ? "(\(value))" : String(value)
    }

    private func wrap(_ text: String) -> String {
        text.hasPrefix("(") && text.hasSuffix(")") ? text : "(\(text))"
    }

    // MARK: Value ranges

    /// The ranges of fields a guard implies (see `GuardAnalysis.knownRanges`).
    func knownRanges(_ guardExpression: LoweredExpression) -> [Int: ClosedRange<Int64>] {
        GuardAnalysis.knownRanges(guardExpression, layout: system.layout)
    }

    /// Whether a value certainly fits the type.
    func fits(_ expression: LoweredExpression, _ type: FiniteType) -> Bool {
        tables.ranges(known: [:]).fits(expression, type)
    }

    /// The condition that a value fits the type (as Promela text).
    func fitsCondition(_ text: String, _ type: FiniteType) -> String {
        "(\(type.lowerBound) <= \(text) && \(text) <= \(ValueRanges.interval(type).upperBound))"
    }
}

/// Conditions for SPIN's LTL parser, built with the lowered-expression algebra.
enum Logic {
    /// A boolean expression without conditional sub-expressions (SPIN's LTL parser does not accept `(c -> a : b)`):
    /// a conditional inside a comparison or a boolean operator is split as `(c && e[a]) || (!c && e[b])`.
    static func withoutConditionals(_ expression: LoweredExpression) -> LoweredExpression {
        if let (condition, whenTrue, whenFalse) = splitFirstConditional(expression) {
            return .or(.and(withoutConditionals(condition), withoutConditionals(whenTrue)),
                       .and(.not(withoutConditionals(condition)), withoutConditionals(whenFalse)))
        }
        return expression
    }

    /// Finds the first conditional in `expression` (outside conditions already free of them) and returns its
    /// condition and the expression with the conditional replaced by each branch.
    private static func splitFirstConditional(_ expression: LoweredExpression) -> (LoweredExpression, LoweredExpression, LoweredExpression)? {
        if case .conditional(let c, let a, let b) = expression { return (c, a, b) }
        let children = expression.children
        for (position, child) in children.enumerated() {
            if let (c, a, b) = splitFirstConditional(child) {
                var left = children
                var right = children
                left[position] = a
                right[position] = b
                return (c, expression.withChildren(left), expression.withChildren(right))
            }
        }
        return nil
    }
}
