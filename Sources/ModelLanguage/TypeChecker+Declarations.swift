/// Constants (with `--const` overrides), types, variables and their initial values, tables and definitions:
/// the global declarations that give names their types and values, checked in source order.
extension TypeChecker {
    mutating func declareConstant(_ name: Identifier, _ expression: Expression) {
        var typed = check(expression, [])
        if let override = overrides[name.name] {
            if let number = Int64(override.value), number >= -Int64(Int32.max), number <= Int64(Int32.max) {
                typed = .literal(number, .int)
            } else if override.value == "true" || override.value == "false" {
                typed = .literal(override.value == "true" ? 1 : 0, .bool)
            } else {
                diagnostics.error("--const \(name.name)=\(override.value): the value must be an integer within ±2147483647, true or false", at: name.range)
                return
            }
            let declaredType = check(expression, []).type
            if declaredType != .error, !declaredType.isCompatible(with: typed.type) {
                diagnostics.error("--const \(name.name)=\(override.value): '\(name.name)' is \(declaredType.description), not \(typed.type.description)", at: name.range)
                return
            }
        }
        guard typed.type == .int || typed.type == .bool || typed.type == .error else {
            diagnostics.error("a constant must be an integer or a boolean, found \(typed.type.description)", at: expression.range)
            return
        }
        guard let value = constantValue(typed, at: expression.range) else { return }
        if defineGlobal(name, .constant(value, typed.type)) { constants.append((name.name, value, typed.type)) }
    }

    mutating func declareType(_ name: Identifier, _ type: TypeExpression) {
        switch type {
        case .enumeration(let cases, _):
            let enumType = EnumType(id: enums.count, name: name.name, cases: cases.map(\.name))
            guard defineGlobal(name, .type(.enumeration(enumType))) else { return }
            enums.append(enumType)
            for (ordinal, identifier) in cases.enumerated() {
                _ = defineGlobal(identifier, .enumCase(enumType, Int64(ordinal)))
            }
        case .scalarset(let sizeExpression, _):
            let typed = check(sizeExpression, [])
            guard let size = constantValue(typed, at: sizeExpression.range, expecting: .int) else { return }
            guard size >= 1, size <= 64 else {
                diagnostics.error("a scalarset needs between 1 and 64 values, found \(size)", at: sizeExpression.range)
                return
            }
            let scalarset = ScalarsetType(id: scalarsets.count, name: name.name, size: Int(size))
            if defineGlobal(name, .type(.scalarset(scalarset))) { scalarsets.append(scalarset) }
        default:
            guard let finite = resolveFiniteType(type) else { return }
            _ = defineGlobal(name, .type(finite))
        }
    }

    mutating func resolveFiniteType(_ type: TypeExpression) -> FiniteType? {
        switch type {
        case .bool: return .bool
        case .named(let identifier):
            switch globals[identifier.name] {
            case .type(let finite):
                noteUse(identifier.name)
                return finite
            case .none:
                reportUnknown(identifier, what: "type")
                return nil
            default:
                diagnostics.error("'\(identifier.name)' is not a type", at: identifier.range)
                return nil
            }
        case .range(let lowExpression, let highExpression):
            let lowTyped = check(lowExpression, [])
            let highTyped = check(highExpression, [])
            guard let low = constantValue(lowTyped, at: lowExpression.range, expecting: .int),
                  let high = constantValue(highTyped, at: highExpression.range, expecting: .int) else { return nil }
            guard low <= high else {
                diagnostics.error("empty range \(low)..\(high): the lower bound exceeds the upper bound", at: lowExpression.range)
                return nil
            }
            guard high - low < Int64(Int32.max) else {
                diagnostics.error("range \(low)..\(high) is too large", at: lowExpression.range)
                return nil
            }
            return .range(low, high)
        case .enumeration(_, let range):
            diagnostics.error("an enum type must be declared with 'type NAME = enum { ... }'", at: range)
            return nil
        case .scalarset(_, let range):
            diagnostics.error("a scalarset type must be declared with 'type NAME = scalarset(N)'", at: range)
            return nil
        case .array(_, _, let start):
            diagnostics.error("an array type cannot be used here", at: start)
            return nil
        }
    }

    mutating func resolveStorageType(_ type: TypeExpression) -> (indices: [FiniteType], element: FiniteType)? {
        if case .array(let indexTypes, let elementType, _) = type {
            var indices: [FiniteType] = []
            var failed = false
            for indexType in indexTypes {
                if let finite = resolveFiniteType(indexType) { indices.append(finite) } else { failed = true }
            }
            guard let element = resolveFiniteType(elementType), !failed else { return nil }
            return (indices, element)
        }
        guard let element = resolveFiniteType(type) else { return nil }
        return ([], element)
    }

    mutating func declareVariable(_ name: Identifier, _ type: TypeExpression, _ initializer: Initializer, _ range: SourceRange) {
        guard let storage = resolveStorageType(type) else {
            _ = defineGlobal(name, .variable(-1))
            return
        }
        var cells = 1
        for index in storage.indices {
            cells = cells.multipliedReportingOverflow(by: index.cardinality).partialValue
            if cells > 1 << 20 || cells <= 0 {
                diagnostics.error("array '\(name.name)' has too many cells (the limit is 1048576)", at: type.range)
                _ = defineGlobal(name, .variable(-1))
                return
            }
        }
        // A bad initial value is reported; the variable is still declared so that its uses are checked.
        var initial: InitialValues = .value(storage.element.lowerBound)
        switch initializer {
        case .any: initial = .any
        case .value(let expression):
            if let value = domainConstant(expression, storage.element, what: "initial value of '\(name.name)'") { initial = .value(value) }
        case .oneOf(let expressions):
            var values: [Int64] = []
            for expression in expressions {
                if let value = domainConstant(expression, storage.element, what: "initial value of '\(name.name)'") { values.append(value) }
            }
            if values.isEmpty, expressions.isEmpty {
                diagnostics.error("the set of initial values of '\(name.name)' is empty", at: range)
            } else if values.count == expressions.count {
                initial = .oneOf(Array(Set(values)).sorted())
            }
        }
        if defineGlobal(name, .variable(variables.count)) {
            variables.append(VariableInfo(name: name.name, indexTypes: storage.indices, elementType: storage.element, initial: initial, range: range))
        }
    }

    /// Checks a constant expression that must be a value of `type`; reports and returns nil otherwise.
    mutating func domainConstant(_ expression: Expression, _ type: FiniteType, what: String) -> Int64? {
        let typed = check(expression, [])
        guard typed.type.isCompatible(with: type.valueType) else {
            diagnostics.error("type mismatch: \(what) must be \(type.valueType.description), found \(typed.type.description)", at: expression.range)
            return nil
        }
        guard let value = constantValue(typed, at: expression.range) else { return nil }
        guard type.contains(value) else {
            diagnostics.error("value \(value) is outside the domain \(type.description) of the \(what)", at: expression.range)
            return nil
        }
        return value
    }

    mutating func declareTable(_ name: Identifier, _ type: TypeExpression, _ body: TableLiteral) {
        guard case .array = type else {
            diagnostics.error("a table needs an array type ('[Index] Element')", at: type.range)
            return
        }
        guard let storage = resolveStorageType(type) else { return }
        var entries: [Int64] = []
        let ok = flattenTable(body, indices: storage.indices[...], element: storage.element, name: name.name, into: &entries)
        guard ok, defineGlobal(name, .table(tables.count)) else { return }
        tables.append(TableInfo(name: name.name, indexTypes: storage.indices, elementType: storage.element, entries: entries))
    }

    mutating func flattenTable(_ literal: TableLiteral, indices: ArraySlice<FiniteType>, element: FiniteType, name: String,
                                       into entries: inout [Int64]) -> Bool {
        guard let indexType = indices.first else {
            guard case .value(let expression) = literal else {
                diagnostics.error("table '\(name)' has more levels of rows than index types", at: literal.range)
                return false
            }
            guard let value = domainConstant(expression, element, what: "entry of table '\(name)'") else { return false }
            entries.append(value)
            return true
        }
        guard case .rows(let rows, let range) = literal else {
            diagnostics.error("table '\(name)' needs a row '{ ... }' here (one entry per value of \(indexType.description))", at: literal.range)
            return false
        }
        guard rows.count == indexType.cardinality else {
            diagnostics.error("table '\(name)' row has \(rows.count) entries, but \(indexType.description) has \(indexType.cardinality) values", at: range)
            return false
        }
        var ok = true
        for (ordinal, row) in rows.enumerated() {
            if let label = row.label {
                let expected = indexType.value(ordinal: ordinal)
                if let value = domainConstant(label, indexType, what: "row label of table '\(name)'"), value != expected {
                    diagnostics.error("row label \(indexType.format(value)) is out of order: this row is \(indexType.format(expected))", at: label.range)
                    ok = false
                }
            }
            ok = flattenTable(row.row, indices: indices.dropFirst(), element: element, name: name, into: &entries) && ok
        }
        return ok
    }

    mutating func declareDefinition(_ name: Identifier, _ parameters: [Binding], _ result: TypeExpression?, _ body: Expression) {
        var scope: [Local] = []
        var ids: [BoundID] = []
        var types: [ValueType] = []
        var seen: Set<String> = []
        for parameter in parameters {
            if !seen.insert(parameter.name.name).inserted {
                diagnostics.error("duplicate parameter '\(parameter.name.name)'", at: parameter.name.range)
            }
            let type = resolveFiniteType(parameter.type)
            let id = freshBound()
            ids.append(id)
            types.append(type?.valueType ?? .error)
            scope.append(Local(name: parameter.name.name, expression: .bound(id, type?.valueType ?? .error)))
        }
        currentDefinition = name.name
        let typedBody = check(body, scope)
        currentDefinition = nil
        var resultType = typedBody.type
        if let result {
            if let declared = resolveFiniteType(result) {
                if !typedBody.type.isCompatible(with: declared.valueType) {
                    diagnostics.error("type mismatch: '\(name.name)' is declared \(declared.valueType.description) but its body is \(typedBody.type.description)", at: body.range)
                }
                resultType = declared.valueType
            }
        }
        if defineGlobal(name, .definition(definitions.count)) {
            definitions.append(DefinitionInfo(name: name.name, parameters: ids, parameterTypes: types, body: typedBody, resultType: resultType))
        }
    }
}
