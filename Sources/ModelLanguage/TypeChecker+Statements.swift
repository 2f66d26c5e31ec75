/// Action bodies: blocks, `let`, `if`, `choose`, `assert` and assignments with their index checks.
extension TypeChecker {
    mutating func checkBlock(_ statements: [Statement], _ outer: [Local]) -> [TypedStatement] {
        var scope = outer
        var result: [TypedStatement] = []
        for statement in statements {
            switch statement {
            case .assign(let target, let value, let range):
                if let typed = checkAssignment(target, value, range, scope) { result.append(typed) }
            case .ifThen(let condition, let then, let otherwise, _):
                let typedCondition = checkCondition(condition, scope, "an 'if' condition")
                result.append(.ifThen(typedCondition, checkBlock(then, scope), checkBlock(otherwise ?? [], scope)))
            case .chooseType(let binding, let filter, let body, _):
                let type = resolveFiniteType(binding.type)
                let id = freshBound()
                var inner = scope
                inner.append(Local(name: binding.name.name, expression: .bound(id, type?.valueType ?? .error)))
                let typedFilter = filter.map { checkCondition($0, inner, "a 'where' filter") }
                let typedBody = checkBlock(body, inner)
                if let type { result.append(.choose(id, .type(type), filter: typedFilter, body: typedBody)) }
            case .chooseSet(let name, let values, let body, let range):
                let typedValues = values.map { check($0, scope) }
                let valueType = typedValues.first?.type ?? .error
                if values.isEmpty { diagnostics.error("'choose \(name.name) in { }' has no values", at: range) }
                for (value, expression) in zip(typedValues, values) where !value.type.isCompatible(with: valueType) {
                    diagnostics.error("type mismatch: the choices mix \(valueType.description) and \(value.type.description)", at: expression.range)
                }
                let id = freshBound()
                var inner = scope
                inner.append(Local(name: name.name, expression: .bound(id, valueType)))
                result.append(.choose(id, .values(typedValues), filter: nil, body: checkBlock(body, inner)))
            case .letBinding(let name, let value, _):
                let typed = check(value, scope)
                let id = freshBound()
                result.append(.letBinding(id, typed))
                scope.append(Local(name: name.name, expression: .letValue(id, typed.type)))
            case .assert(let name, let condition, let message, let range):
                let typed = checkCondition(condition, scope, "an assertion")
                let position = source.position(of: range.start)
                let propertyName = name?.name ?? "assert@\(position.line)"
                var index = propertyIndex[propertyName]
                if let existing = index, properties[existing].kind != .assertion {
                    diagnostics.error("duplicate property '\(propertyName)'", at: name?.range ?? range)
                    index = nil
                }
                if index == nil, propertyName != "deadlock", propertyName != "bounds" {
                    index = properties.count
                    propertyIndex[propertyName] = properties.count
                    properties.append(PropertyInfo(name: propertyName, kind: .assertion, predicate: nil, target: nil, expected: .holds,
                                                   explicitlyExpected: false, range: range, message: message))
                }
                if let index { result.append(.assert(property: index, condition: typed, range: range)) }
            }
        }
        return result
    }

    mutating func checkAssignment(_ target: Expression, _ value: Expression, _ range: SourceRange, _ scope: [Local]) -> TypedStatement? {
        let typedValue = check(value, scope)
        var base = target
        var indexExpressions: [Expression] = []
        if case .index(let inner, let indices) = target.kind {
            base = inner
            indexExpressions = indices
        }
        guard case .name(let identifier) = base.kind else {
            diagnostics.error("the target of ':=' must be a variable or an array cell", at: target.range)
            return nil
        }
        if scope.contains(where: { $0.name == identifier.name }) {
            diagnostics.error("cannot assign to '\(identifier.name)': it is a bound name, not a state variable", at: identifier.range)
            return nil
        }
        let variableIndex: Int
        switch globals[identifier.name] {
        case .variable(let index): variableIndex = index
        case .constant: diagnostics.error("cannot assign to constant '\(identifier.name)'", at: identifier.range); return nil
        case .table: diagnostics.error("cannot assign to table '\(identifier.name)' (tables are constant)", at: identifier.range); return nil
        case .enumCase: diagnostics.error("cannot assign to enum constant '\(identifier.name)'", at: identifier.range); return nil
        case .definition: diagnostics.error("cannot assign to definition '\(identifier.name)'", at: identifier.range); return nil
        case .type: diagnostics.error("cannot assign to type '\(identifier.name)'", at: identifier.range); return nil
        case .none: reportUnknown(identifier, what: "variable"); return nil
        }
        guard variableIndex >= 0 else { return nil }
        let variable = variables[variableIndex]
        let indices = checkIndices(indexExpressions, variable.indexTypes, name: identifier.name, at: identifier.range, scope)
        guard let indices else { return nil }
        guard typedValue.type.isCompatible(with: variable.elementType.valueType) else {
            diagnostics.error("type mismatch: cannot assign \(typedValue.type.description) to '\(identifier.name)' of type \(variable.elementType.description)", at: value.range)
            return nil
        }
        if case .failure(let problem) = ConstantEvaluator.evaluate(typedValue, tables: tables, definitions: definitions),
           problem.message.hasPrefix("arithmetic overflow") || problem.message.hasPrefix("division by zero") {
            diagnostics.error(problem.message, at: value.range)
            return nil
        }
        if let constant = constantValueQuietly(typedValue), !variable.elementType.contains(constant) {
            diagnostics.error("value \(constant) is outside the domain \(variable.elementType.description) of '\(identifier.name)'", at: value.range)
            return nil
        }
        return .assign(variable: variableIndex, indices: indices, value: typedValue, range: range)
    }

    mutating func checkIndices(_ expressions: [Expression], _ types: [FiniteType], name: String, at range: SourceRange,
                                       _ scope: [Local]) -> [TypedExpression]? {
        guard expressions.count == types.count else {
            if types.isEmpty {
                diagnostics.error("'\(name)' is not an array and cannot be indexed", at: range)
            } else {
                diagnostics.error("'\(name)' takes \(types.count) ind\(types.count == 1 ? "ex" : "ices"), \(expressions.count) given", at: range)
            }
            return nil
        }
        var result: [TypedExpression] = []
        var ok = true
        for (expression, type) in zip(expressions, types) {
            let typed = check(expression, scope)
            if !typed.type.isCompatible(with: type.valueType) {
                diagnostics.error("type mismatch: index of '\(name)' must be \(type.valueType.description), found \(typed.type.description)", at: expression.range)
                ok = false
            } else if let constant = constantValueQuietly(typed), !type.contains(constant) {
                diagnostics.error("index \(constant) is out of range \(type.description) of '\(name)'", at: expression.range)
                ok = false
            }
            result.append(typed)
        }
        return ok ? result : nil
    }
}
