import ModelLanguage

/// A problem found while lowering: a limit exceeded. Carries the source position.
struct LoweringProblem: Error {
    let message: String
    let range: SourceRange
}

/// Grounds actions over their parameters, inlines definitions, unrolls quantifiers and `choose`, and folds
/// constants, producing `LoweredExpression`s that read only packed fields.
struct Lowering {
    static let maximumNodes = 1_000_000
    static let maximumGroundActions = 1_000_000

    let model: CheckedModel
    let layout: StateLayout
    private var budget = maximumNodes
    private var blame = SourceRange(0, 0)

    init(model: CheckedModel, layout: StateLayout) {
        self.model = model
        self.layout = layout
    }

    typealias Environment = [BoundID: LoweredExpression]

    /// Lowers a state predicate (no bound names).
    mutating func predicate(_ expression: TypedExpression, blame range: SourceRange) throws -> LoweredExpression {
        budget = Self.maximumNodes
        blame = range
        return try lower(expression, [:])
    }

    /// Lowers a guard in an environment of parameter values.
    mutating func expression(_ expression: TypedExpression, _ environment: Environment, blame range: SourceRange) throws -> LoweredExpression {
        budget = Self.maximumNodes
        blame = range
        return try lower(expression, environment)
    }

    /// Lowers an action body.
    mutating func statements(_ statements: [TypedStatement], _ environment: Environment, blame range: SourceRange) throws -> [LoweredStatement] {
        budget = Self.maximumNodes
        blame = range
        return try lowerBlock(statements[...], environment)
    }

    private mutating func spend(_ amount: Int = 1) throws {
        budget -= amount
        if budget < 0 {
            throw LoweringProblem(message: "expression too large after expanding definitions, quantifiers and choices (the limit is \(Self.maximumNodes) nodes)", range: blame)
        }
    }

    // MARK: Expressions

    private mutating func lower(_ e: TypedExpression, _ env: Environment) throws -> LoweredExpression {
        try spend()
        switch e {
        case .literal(let value, _): return .constant(value)
        case .bound(let id, _), .letValue(let id, _):
            guard let value = env[id] else { throw LoweringProblem(message: "internal error: unbound name", range: blame) }
            return value
        case .variable(let index, let indices, _, _):
            let lowered = try indices.map { try lower($0, env) }
            let constants = lowered.compactMap(\.constantValue)
            if constants.count == lowered.count, let cell = layout.variables[index].cellIndex(constants) {
                return .field(layout.variables[index].firstField + cell)
            }
            return .cell(variable: index, indices: lowered)
        case .table(let index, let indices, _, _):
            let lowered = try indices.map { try lower($0, env) }
            let table = model.tables[index]
            let constants = lowered.compactMap(\.constantValue)
            if constants.count == lowered.count {
                var flat = 0
                var inRange = true
                for (value, type) in zip(constants, table.indexTypes) {
                    if !type.contains(value) { inRange = false }
                    flat = flat * type.cardinality + Int(value - type.lowerBound)
                }
                if inRange { return .constant(table.entries[flat]) }
            }
            return .table(table: index, indices: lowered)
        case .call(let index, let arguments, _):
            let definition = model.definitions[index]
            var inner: Environment = [:]
            for (id, argument) in zip(definition.parameters, arguments) { inner[id] = try lower(argument, env) }
            return try lower(definition.body, inner)
        case .unary(let op, let operand):
            return LoweredExpression.folded(op, try lower(operand, env))
        case .binary(let op, let left, let right, _):
            let l = try lower(left, env)
            // Short-circuit folding keeps unreachable branches out of the program.
            if let value = l.constantValue {
                if op == .and, value == 0 { return .constant(0) }
                if op == .or, value != 0 { return .constant(1) }
                if op == .implies, value == 0 { return .constant(1) }
            }
            return LoweredExpression.folded(op, l, try lower(right, env))
        case .member(let element, let values):
            let l = try lower(element, env)
            let loweredValues = try values.map { try lower($0, env) }
            let constants = loweredValues.compactMap(\.constantValue)
            if constants.count == loweredValues.count { return LoweredExpression.folded(member: l, of: Array(Set(constants)).sorted()) }
            var result: LoweredExpression = .constant(0)
            for value in loweredValues { result = LoweredExpression.folded(.or, result, LoweredExpression.folded(.equal, l, value)) }
            return result
        case .conditional(let condition, let then, let otherwise, _):
            let c = try lower(condition, env)
            if let value = c.constantValue { return try lower(value != 0 ? then : otherwise, env) }
            return LoweredExpression.ite(c, try lower(then, env), try lower(otherwise, env))
        case .quantifier(let kind, let id, let type, let body):
            try spend(type.cardinality)
            var result: LoweredExpression = .constant(kind == .forall ? 1 : 0)
            for value in type.values {
                var inner = env
                inner[id] = .constant(value)
                let instance = try lower(body, inner)
                switch kind {
                case .forall:
                    result = LoweredExpression.folded(.and, result, instance)
                    if result.constantValue == 0 { return result }
                case .exists:
                    result = LoweredExpression.folded(.or, result, instance)
                    if result.constantValue == 1 { return result }
                case .count:
                    result = LoweredExpression.folded(.add, result, LoweredExpression.ite(instance, .constant(1), .constant(0)))
                }
            }
            return result
        }
    }

    // MARK: Statements

    private mutating func lowerBlock(_ statements: ArraySlice<TypedStatement>, _ environment: Environment) throws -> [LoweredStatement] {
        var env = environment
        var result: [LoweredStatement] = []
        var rest = statements
        while let statement = rest.first {
            rest = rest.dropFirst()
            try spend()
            switch statement {
            case .assign(let variable, let indices, let value, let range):
                let loweredIndices = try indices.map { try lower($0, env) }
                let constants = loweredIndices.compactMap(\.constantValue)
                let target: LoweredTarget
                if constants.count == loweredIndices.count, let cell = layout.variables[variable].cellIndex(constants) {
                    target = .field(layout.variables[variable].firstField + cell)
                } else {
                    target = .cell(variable: variable, indices: loweredIndices)
                }
                result.append(.assign(target, try lower(value, env), range))
            case .ifThen(let condition, let then, let otherwise):
                let c = try lower(condition, env)
                if let value = c.constantValue {
                    result += try lowerBlock((value != 0 ? then : otherwise)[...], env)
                } else {
                    let loweredThen = try lowerBlock(then[...], env)
                    let loweredOtherwise = try lowerBlock(otherwise[...], env)
                    if Self.endsInChoice(loweredThen) || Self.endsInChoice(loweredOtherwise) {
                        // A branch forks: turn the `if` into a two-way choice, each followed by the rest of the block.
                        let after = try lowerBlock(rest, env)
                        result.append(.choose([
                            ChoiceAlternative(filter: c, body: Self.append(after, to: loweredThen), label: "then"),
                            ChoiceAlternative(filter: LoweredExpression.folded(.not, c), body: Self.append(after, to: loweredOtherwise), label: "else"),
                        ]))
                        return result
                    }
                    result.append(.ifThen(c, loweredThen, loweredOtherwise))
                }
            case .letBinding(let id, let value):
                env[id] = try lower(value, env)
            case .assert(let property, let condition, let range):
                let c = try lower(condition, env)
                if c.constantValue != 1 { result.append(.assert(property: property, c, range)) }
            case .choose(let id, let domain, let filter, let body):
                // The rest of the block runs after the chosen body, in each alternative.
                var alternatives: [ChoiceAlternative] = []
                let choices: [(LoweredExpression, String)]
                switch domain {
                case .type(let type):
                    try spend(type.cardinality)
                    choices = type.values.map { (.constant($0), type.format($0)) }
                case .values(let values): choices = try values.map { (try lower($0, env), "") }
                }
                for (value, label) in choices {
                    var inner = env
                    inner[id] = value
                    let loweredFilter = try filter.map { try lower($0, inner) } ?? .constant(1)
                    if loweredFilter.constantValue == 0 { continue }
                    let alternativeBody = Self.append(try lowerBlock(rest, env), to: try lowerBlock(body[...], inner))
                    alternatives.append(ChoiceAlternative(filter: loweredFilter, body: alternativeBody, label: label))
                }
                result.append(.choose(alternatives))
                return result
            }
        }
        return result
    }

    /// Whether a lowered block ends in a `choose` (a lowered `choose` is always last: it carries the rest).
    static func endsInChoice(_ block: [LoweredStatement]) -> Bool {
        if case .choose = block.last { return true }
        return false
    }

    /// Appends `rest` to a block, inside every alternative when the block ends in a `choose`.
    static func append(_ rest: [LoweredStatement], to block: [LoweredStatement]) -> [LoweredStatement] {
        guard !rest.isEmpty else { return block }
        guard case .choose(let alternatives) = block.last else { return block + rest }
        let extended = alternatives.map { ChoiceAlternative(filter: $0.filter, body: append(rest, to: $0.body), label: $0.label) }
        return block.dropLast() + [.choose(extended)]
    }
}
