/// Why a constant expression could not be evaluated.
public struct ConstantProblem: Error, Sendable {
    /// A message for the diagnostic.
    public let message: String
}

/// Values for the cells of some state variables: variable index -> its cells, row-major. A variable without
/// an entry is not readable.
public struct StateValuation: Sendable {
    /// The model's variables (for index types).
    public let variables: [VariableInfo]
    /// The cells given.
    public var cells: [Int: [Int64]]
    /// Creates a valuation.
    public init(variables: [VariableInfo], cells: [Int: [Int64]]) {
        self.variables = variables
        self.cells = cells
    }
}

/// Evaluates expressions that do not depend on the state: constants, literals, tables at constant indices,
/// definitions applied to constants, quantifiers over finite types.
public enum ConstantEvaluator {
    /// Evaluates `expression`, or explains why it is not a constant. With `state`, state variables are read from
    /// it (the sanity checks evaluate predicates over every value of the cells they read).
    public static func evaluate(_ expression: TypedExpression, tables: [TableInfo], definitions: [DefinitionInfo],
                                environment: [BoundID: Int64] = [:], state: StateValuation? = nil) -> Result<Int64, ConstantProblem> {
        var budget = 1_000_000
        do {
            return .success(try value(expression, tables, definitions, state, environment, &budget))
        } catch let problem as ConstantProblem {
            return .failure(problem)
        } catch {
            return .failure(ConstantProblem(message: "cannot evaluate constant expression"))
        }
    }

    private static func value(_ e: TypedExpression, _ tables: [TableInfo], _ definitions: [DefinitionInfo], _ state: StateValuation?,
                              _ environment: [BoundID: Int64], _ budget: inout Int) throws -> Int64 {
        budget -= 1
        if budget < 0 { throw ConstantProblem(message: "constant expression too large to evaluate") }
        switch e {
        case .literal(let v, _): return v
        case .bound(let id, _):
            guard let v = environment[id] else { throw ConstantProblem(message: "a constant expression is required here (it uses a bound name)") }
            return v
        case .letValue: throw ConstantProblem(message: "a constant expression is required here (it uses a 'let' name)")
        case .variable(let index, let indices, _, _):
            guard let state, index < state.variables.count, let cells = state.cells[index] else {
                throw ConstantProblem(message: "a constant expression is required here (it reads a state variable)")
            }
            var flat = 0
            for (indexExpression, type) in zip(indices, state.variables[index].indexTypes) {
                let v = try value(indexExpression, tables, definitions, state, environment, &budget)
                guard type.contains(v) else { throw ConstantProblem(message: "index \(v) is out of range \(type.description)") }
                flat = flat * type.cardinality + Int(v - type.lowerBound)
            }
            guard flat < cells.count else { throw ConstantProblem(message: "cell out of range") }
            return cells[flat]
        case .table(let index, let indices, _, _):
            let table = tables[index]
            var flat = 0
            for (indexExpression, type) in zip(indices, table.indexTypes) {
                let v = try value(indexExpression, tables, definitions, state, environment, &budget)
                guard type.contains(v) else { throw ConstantProblem(message: "index \(v) is out of range \(type.description) of '\(table.name)'") }
                flat = flat * type.cardinality + Int(v - type.lowerBound)
            }
            return table.entries[flat]
        case .call(let index, let arguments, _):
            let definition = definitions[index]
            var inner = environment
            for (id, argument) in zip(definition.parameters, arguments) {
                inner[id] = try value(argument, tables, definitions, state, environment, &budget)
            }
            return try value(definition.body, tables, definitions, state, inner, &budget)
        case .unary(let op, let operand):
            let v = try value(operand, tables, definitions, state, environment, &budget)
            if op == .not { return v == 0 ? 1 : 0 }
            let (r, o) = Int64(0).subtractingReportingOverflow(v)
            if o { throw ConstantProblem(message: "arithmetic overflow in constant expression") }
            return r
        case .binary(let op, let left, let right, _):
            let l = try value(left, tables, definitions, state, environment, &budget)
            switch op {
            case .and: return l == 0 ? 0 : try value(right, tables, definitions, state, environment, &budget)
            case .or: return l != 0 ? 1 : try value(right, tables, definitions, state, environment, &budget)
            case .implies: return l == 0 ? 1 : try value(right, tables, definitions, state, environment, &budget)
            default: break
            }
            let r = try value(right, tables, definitions, state, environment, &budget)
            return try apply(op, l, r)
        case .member(let element, let values):
            let v = try value(element, tables, definitions, state, environment, &budget)
            for candidate in values where try value(candidate, tables, definitions, state, environment, &budget) == v { return 1 }
            return 0
        case .conditional(let condition, let then, let otherwise, _):
            return try value(condition, tables, definitions, state, environment, &budget) != 0
                ? try value(then, tables, definitions, state, environment, &budget)
                : try value(otherwise, tables, definitions, state, environment, &budget)
        case .quantifier(let kind, let id, let type, let body):
            if type.cardinality > budget { throw ConstantProblem(message: "constant expression too large to evaluate") }
            var count: Int64 = 0
            for candidate in type.values {
                var inner = environment
                inner[id] = candidate
                let holds = try value(body, tables, definitions, state, inner, &budget) != 0
                switch kind {
                case .forall: if !holds { return 0 }
                case .exists: if holds { return 1 }
                case .count: if holds { count += 1 }
                }
            }
            return kind == .forall ? 1 : kind == .exists ? 0 : count
        }
    }

    /// Applies a strict binary operator with overflow and division checks.
    public static func apply(_ op: BinaryOperator, _ l: Int64, _ r: Int64) throws -> Int64 {
        func checked(_ result: (partialValue: Int64, overflow: Bool)) throws -> Int64 {
            if result.overflow { throw ConstantProblem(message: "arithmetic overflow in constant expression") }
            return result.partialValue
        }
        switch op {
        case .add: return try checked(l.addingReportingOverflow(r))
        case .subtract: return try checked(l.subtractingReportingOverflow(r))
        case .multiply: return try checked(l.multipliedReportingOverflow(by: r))
        case .divide:
            if r == 0 { throw ConstantProblem(message: "division by zero in constant expression") }
            return try checked(l.dividedReportingOverflow(by: r))
        case .remainder:
            if r == 0 { throw ConstantProblem(message: "division by zero in constant expression") }
            return try checked(l.remainderReportingOverflow(dividingBy: r))
        case .equal: return l == r ? 1 : 0
        case .notEqual: return l != r ? 1 : 0
        case .less: return l < r ? 1 : 0
        case .lessEqual: return l <= r ? 1 : 0
        case .greater: return l > r ? 1 : 0
        case .greaterEqual: return l >= r ? 1 : 0
        case .and: return (l != 0 && r != 0) ? 1 : 0
        case .or: return (l != 0 || r != 0) ? 1 : 0
        case .implies: return (l == 0 || r != 0) ? 1 : 0
        case .equivalent: return ((l != 0) == (r != 0)) ? 1 : 0
        }
    }
}
