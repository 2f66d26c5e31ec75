/// Expressions: names, indexing, calls, operators and quantifiers, each given a type; unknown names reported
/// once with the nearest declared name.
extension TypeChecker {
    mutating func checkCondition(_ expression: Expression, _ scope: [Local], _ what: String) -> TypedExpression {
        let typed = check(expression, scope)
        if !typed.type.isCompatible(with: .bool) {
            diagnostics.error("type mismatch: \(what) must be bool, found \(typed.type.description)", at: expression.range)
            return .literal(0, .error)
        }
        return typed
    }

    mutating func reportUnknown(_ identifier: Identifier, what: String) {
        if identifier.name == currentDeclaration, currentDefinition != identifier.name {
            diagnostics.error("'\(identifier.name)' is used in its own declaration", at: identifier.range)
            return
        }
        if !detached, let declared = declaredAt[identifier.name], declared > identifier.range.start {
            if let current = currentDefinition, current == identifier.name {
                diagnostics.error("recursive definition: '\(identifier.name)' refers to itself", at: identifier.range)
            } else {
                diagnostics.error("'\(identifier.name)' is used before its declaration (names must be declared before use, which also rules out recursion)", at: identifier.range)
            }
        } else if let current = currentDefinition, current == identifier.name {
            diagnostics.error("recursive definition: '\(identifier.name)' refers to itself", at: identifier.range)
        } else if declaredAt[identifier.name] != nil || incompleteNames.contains(identifier.name) {
            // Declared, but its declaration failed to check: an error was already reported there.
        } else {
            diagnostics.error("unknown \(what) '\(identifier.name)'", at: identifier.range)
        }
    }

    mutating func check(_ expression: Expression, _ scope: [Local]) -> TypedExpression {
        switch expression.kind {
        case .integer(let value): return .literal(value, .int)
        case .boolean(let value): return .literal(value ? 1 : 0, .bool)
        case .parenthesized(let inner): return check(inner, scope)
        case .name(let identifier): return checkName(identifier, scope)
        case .index(let base, let indexExpressions): return checkIndex(base, indexExpressions, scope)
        case .call(let identifier, let arguments): return checkCall(identifier, arguments, scope)
        case .unary(let op, let operand):
            let typed = check(operand, scope)
            let wanted: ValueType = op == .not ? .bool : .int
            if !typed.type.isCompatible(with: wanted) {
                diagnostics.error("type mismatch: '\(op.rawValue)' needs \(wanted.description), found \(typed.type.description)", at: operand.range)
                return .literal(0, .error)
            }
            return .unary(op, typed)
        case .binary(let op, let left, let right):
            return checkBinary(op, left, right, expression.range, scope)
        case .member(let element, let values):
            let typed = check(element, scope)
            var typedValues: [TypedExpression] = []
            for value in values {
                let typedValue = check(value, scope)
                if !typedValue.type.isCompatible(with: typed.type) {
                    diagnostics.error("type mismatch: set of \(typed.type.description) contains \(typedValue.type.description)", at: value.range)
                }
                typedValues.append(typedValue)
            }
            return .member(typed, typedValues)
        case .conditional(let condition, let then, let otherwise):
            let typedCondition = checkCondition(condition, scope, "the condition of 'if'")
            let typedThen = check(then, scope)
            let typedOtherwise = check(otherwise, scope)
            if !typedThen.type.isCompatible(with: typedOtherwise.type) {
                diagnostics.error("type mismatch: the branches of 'if' are \(typedThen.type.description) and \(typedOtherwise.type.description)", at: otherwise.range)
                return .literal(0, .error)
            }
            let type = typedThen.type == .error ? typedOtherwise.type : typedThen.type
            return .conditional(typedCondition, typedThen, typedOtherwise, type)
        case .quantifier(let kind, let bindings, let body):
            return checkQuantifier(kind, bindings[...], body, scope)
        }
    }

    mutating func checkQuantifier(_ kind: QuantifierKind, _ bindings: ArraySlice<Binding>, _ body: Expression,
                                          _ scope: [Local]) -> TypedExpression {
        guard let binding = bindings.first else {
            return checkCondition(body, scope, "the body of '\(kind.rawValue)'")
        }
        let type = resolveFiniteType(binding.type)
        let id = freshBound()
        var inner = scope
        inner.append(Local(name: binding.name.name, expression: .bound(id, type?.valueType ?? .error)))
        if kind == .count, bindings.count > 1 {
            diagnostics.error("'count' takes one bound name", at: bindings[bindings.startIndex + 1].name.range)
            return .literal(0, .error)
        }
        let typedBody: TypedExpression
        typedBody = checkQuantifier(kind == .count ? .forall : kind, bindings.dropFirst(), body, inner)
        guard let type else { return .literal(0, .error) }
        return .quantifier(kind, id, type, typedBody)
    }

    /// Records that the declaration being checked reads `name`, when it is a variant or depends on one.
    mutating func noteUse(_ name: String) {
        guard variantIndex[name] != nil || variantDependent.contains(name) else { return }
        if !readsVariant { variantRead = name }
        readsVariant = true
    }

    mutating func checkName(_ identifier: Identifier, _ scope: [Local]) -> TypedExpression {
        if let local = scope.last(where: { $0.name == identifier.name }) { return local.expression }
        switch globals[identifier.name] {
        case .constant(let value, let type):
            noteUse(identifier.name)
            return .literal(value, type)
        case .enumCase(let enumType, let ordinal): return .literal(ordinal, .enumeration(enumType))
        case .variable(let index):
            guard index >= 0 else { return .literal(0, .error) }
            let variable = variables[index]
            if !variable.indexTypes.isEmpty {
                diagnostics.error("'\(identifier.name)' is an array: index it with [ ]", at: identifier.range)
                return .literal(0, .error)
            }
            return .variable(index, [], variable.elementType.valueType, identifier.range)
        case .table:
            diagnostics.error("'\(identifier.name)' is a table: index it with [ ]", at: identifier.range)
            return .literal(0, .error)
        case .definition(let index):
            noteUse(identifier.name)
            let definition = definitions[index]
            if !definition.parameters.isEmpty {
                diagnostics.error("'\(identifier.name)' takes \(definition.parameters.count) argument\(definition.parameters.count == 1 ? "" : "s"), 0 given", at: identifier.range)
                return .literal(0, .error)
            }
            return .call(index, [], definition.resultType)
        case .type:
            diagnostics.error("'\(identifier.name)' is a type, not a value", at: identifier.range)
            return .literal(0, .error)
        case .none:
            reportUnknown(identifier, what: "name")
            return .literal(0, .error)
        }
    }

    mutating func checkIndex(_ base: Expression, _ indexExpressions: [Expression], _ scope: [Local]) -> TypedExpression {
        if case .parenthesized(let inner) = base.kind { return checkIndex(inner, indexExpressions, scope) }
        guard case .name(let identifier) = base.kind, !scope.contains(where: { $0.name == identifier.name }) else {
            diagnostics.error("only arrays and tables can be indexed", at: base.range)
            return .literal(0, .error)
        }
        noteUse(identifier.name)
        switch globals[identifier.name] {
        case .variable(let index):
            guard index >= 0 else { return .literal(0, .error) }
            let variable = variables[index]
            guard let indices = checkIndices(indexExpressions, variable.indexTypes, name: identifier.name, at: identifier.range, scope) else {
                return .literal(0, .error)
            }
            return .variable(index, indices, variable.elementType.valueType, identifier.range)
        case .table(let index):
            let table = tables[index]
            guard let indices = checkIndices(indexExpressions, table.indexTypes, name: identifier.name, at: identifier.range, scope) else {
                return .literal(0, .error)
            }
            return .table(index, indices, table.elementType.valueType, identifier.range)
        case .none:
            reportUnknown(identifier, what: "array")
            return .literal(0, .error)
        default:
            diagnostics.error("'\(identifier.name)' is not an array or a table and cannot be indexed", at: identifier.range)
            return .literal(0, .error)
        }
    }

    mutating func checkCall(_ identifier: Identifier, _ arguments: [Expression], _ scope: [Local]) -> TypedExpression {
        noteUse(identifier.name)
        let typedArguments = arguments.map { check($0, scope) }
        guard case .definition(let index) = globals[identifier.name] else {
            if globals[identifier.name] == nil { reportUnknown(identifier, what: "definition") } else {
                diagnostics.error("'\(identifier.name)' is not a definition and cannot be called", at: identifier.range)
            }
            return .literal(0, .error)
        }
        let definition = definitions[index]
        guard definition.parameters.count == arguments.count else {
            diagnostics.error("'\(identifier.name)' takes \(definition.parameters.count) argument\(definition.parameters.count == 1 ? "" : "s"), \(arguments.count) given", at: identifier.range)
            return .literal(0, .error)
        }
        for (position, (argument, expression)) in zip(typedArguments, arguments).enumerated() {
            let wanted = parameterType(of: definition, at: position)
            if !argument.type.isCompatible(with: wanted) {
                diagnostics.error("type mismatch: argument \(position + 1) of '\(identifier.name)' must be \(wanted.description), found \(argument.type.description)", at: expression.range)
                return .literal(0, .error)
            }
        }
        return .call(index, typedArguments, definition.resultType)
    }

    func parameterType(of definition: DefinitionInfo, at position: Int) -> ValueType {
        definition.parameterTypes[position]
    }

    mutating func checkBinary(_ op: BinaryOperator, _ left: Expression, _ right: Expression, _ range: SourceRange,
                                      _ scope: [Local]) -> TypedExpression {
        let typedLeft = check(left, scope)
        let typedRight = check(right, scope)
        switch op {
        case .and, .or, .implies, .equivalent:
            for (typed, expression) in [(typedLeft, left), (typedRight, right)] where !typed.type.isCompatible(with: .bool) {
                diagnostics.error("type mismatch: '\(op.rawValue)' needs bool operands, found \(typed.type.description)", at: expression.range)
                return .literal(0, .error)
            }
        case .equal, .notEqual:
            if !typedLeft.type.isCompatible(with: typedRight.type) {
                diagnostics.error("type mismatch: '\(op.rawValue)' compares \(typedLeft.type.description) with \(typedRight.type.description)", at: right.range)
                return .literal(0, .error)
            }
        case .less, .lessEqual, .greater, .greaterEqual, .add, .subtract, .multiply, .divide, .remainder:
            for (typed, expression) in [(typedLeft, left), (typedRight, right)] where !typed.type.isCompatible(with: .int) {
                diagnostics.error("type mismatch: '\(op.rawValue)' needs integer operands, found \(typed.type.description)", at: expression.range)
                return .literal(0, .error)
            }
        }
        return .binary(op, typedLeft, typedRight, range)
    }
}
