/// A `--const NAME=VALUE` override given on the command line.
public struct ConstantOverride: Sendable, Hashable {
    /// The constant's name.
    public let name: String
    /// The value as typed: an integer, `true` or `false`.
    public let value: String
    /// Creates an override.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Resolves names and types of a parsed model, evaluates constants, and reports every independent error.
public struct Checker {
    private enum Global {
        case constant(Int64, ValueType)
        case type(FiniteType)
        case enumCase(EnumType, Int64)
        case variable(Int)
        case table(Int)
        case definition(Int)
    }

    private struct Local {
        let name: String
        let expression: TypedExpression
    }

    private var diagnostics: DiagnosticBag
    private let source: SourceFile
    private var globals: [String: Global] = [:]
    private var declaredAt: [String: Int] = [:]
    private var constants: [(name: String, value: Int64, type: ValueType)] = []
    private var enums: [EnumType] = []
    private var scalarsets: [ScalarsetType] = []
    private var variables: [VariableInfo] = []
    private var tables: [TableInfo] = []
    private var definitions: [DefinitionInfo] = []
    private var definitionNames: [String] = []
    private var actions: [ActionInfo] = []
    /// Entry points, and the event types fixed by the first `emits` clause (with its position, for messages).
    private var entries: [EntryInfo] = []
    private var eventSignature: EventSignature?
    private var eventSignatureAt: SourceRange?
    /// The names in `actions`, so the duplicate check is constant time: a linear scan made loading quadratic in
    /// the number of actions (80,000 actions took 17.8 s to load).
    private var actionNames: Set<String> = []
    private var properties: [PropertyInfo] = []
    private var propertyIndex: [String: Int] = [:]
    private var terminals: [TypedExpression] = []
    private var nextBound = 0
    private var currentDefinition: String?
    /// The global being declared: a use of it inside its own declaration is an error.
    private var currentDeclaration: String?
    /// Every constant name declared in the file (even if its declaration fails), for `--const` checks.
    private var declaredConstantNames: Set<String> = []
    /// Names whose declarations failed to parse: not reported again where they are used.
    private var incompleteNames: Set<String> = []
    /// `--const` overrides in command-line order.
    private var overrideOrder: [String] = []
    private var overrides: [String: ConstantOverride]
    /// `--variant` pins (and the assignment of the combination being checked), by variant name.
    private var pins: [String: VariantPin] = [:]
    /// Pins in command-line order, and the names pinned more than once.
    private var pinOrder: [String] = []
    private var pinnedTwice: [String] = []
    /// Declared variants, their index by name, and the value each takes in this check.
    private var variants: [VariantInfo] = []
    private var variantIndex: [String: Int] = [:]
    private var assignment: [Int64] = []
    /// Every variant name declared in the file, for `--variant` and `--const` checks.
    private var declaredVariantNames: Set<String> = []
    /// The `combination` lines, each as variant index -> value.
    private var combinationLines: [[Int: Int64]] = []
    /// Globals whose declaration reads a variant, directly or through another such global: a variant's type
    /// and values may not use them, since the combinations are computed before any variant has its final value.
    private var variantDependent: Set<String> = []
    /// Set when the declaration being checked reads a variant or a variant-dependent global.
    private var readsVariant = false
    /// The first such global it read, for the message.
    private var variantRead: String?
    /// Set when a variant, a `combination` line or a pin had an error: then the combinations are not known.
    private var variantErrors = false

    /// Checks a parsed model. `diagnostics` carries errors already found by the parser, so all are reported together.
    /// `pins` fix variants to one value each (`--variant`); the others take their first listed value.
    public static func check(_ syntax: ModelSyntax, source: SourceFile, diagnostics: DiagnosticBag,
                             overrides: [ConstantOverride] = [], pins: [VariantPin] = []) -> Result<CheckedModel, ModelErrors> {
        var checker = Checker(source: source, diagnostics: diagnostics, overrides: overrides, pins: pins)
        let model = checker.run(syntax)
        if checker.diagnostics.hasErrors { return .failure(ModelErrors(checker.diagnostics.diagnostics)) }
        return .success(model)
    }

    /// Checks a parsed model to find its variants and combinations. `model` is complete even when `errors` is not
    /// nil; `combinationsKnown` says whether the variants, the `combination` lines and the pins checked, so that
    /// `model.combinations` can be trusted although other declarations failed under the first values.
    static func survey(_ syntax: ModelSyntax, source: SourceFile, diagnostics: DiagnosticBag, overrides: [ConstantOverride],
                       pins: [VariantPin]) -> (model: CheckedModel, errors: ModelErrors?, combinationsKnown: Bool) {
        var checker = Checker(source: source, diagnostics: diagnostics, overrides: overrides, pins: pins)
        let model = checker.run(syntax)
        let errors = checker.diagnostics.hasErrors ? ModelErrors(checker.diagnostics.diagnostics) : nil
        return (model, errors, !checker.variantErrors && !diagnostics.hasErrors)
    }

    private init(source: SourceFile, diagnostics: DiagnosticBag, overrides: [ConstantOverride], pins: [VariantPin]) {
        self.source = source
        self.diagnostics = diagnostics
        var table: [String: ConstantOverride] = [:]
        for override in overrides {
            if table[override.name] == nil { overrideOrder.append(override.name) }
            table[override.name] = override
        }
        self.overrides = table
        for pin in pins {
            if self.pins[pin.name] == nil {
                pinOrder.append(pin.name)
            } else if !pinnedTwice.contains(pin.name) {
                pinnedTwice.append(pin.name)
            }
            self.pins[pin.name] = pin
        }
    }

    // MARK: Driver

    private mutating func run(_ syntax: ModelSyntax) -> CheckedModel {
        incompleteNames = syntax.incompleteNames
        collectDeclarationPositions(syntax)
        var expectations: [Expectation] = []
        var deadMarkers: [DeadMarker] = []
        for declaration in syntax.declarations {
            currentDeclaration = Self.declaredName(declaration)
            readsVariant = false
            variantRead = nil
            defer {
                if readsVariant, let name = currentDeclaration { variantDependent.insert(name) }
                currentDeclaration = nil
            }
            switch declaration {
            case .constant(let name, let value, _): declareConstant(name, value)
            case .type(let name, let type, _): declareType(name, type)
            case .variable(let name, let type, let initializer, let range): declareVariable(name, type, initializer, range)
            case .table(let name, let type, let body, _): declareTable(name, type, body)
            case .definition(let name, let parameters, let result, let body, _): declareDefinition(name, parameters, result, body)
            case .action(let name, let fair, let parameters, let guardExpression, let body, let emits, let range):
                declareAction(name, fair, parameters, guardExpression, body, emits, range)
            case .entry(let name, let predicate, _): declareEntry(name, predicate)
            case .property(let kind, let name, let predicate, let second, let range): declareProperty(kind, name, predicate, second, range)
            case .terminal(let predicate, _): terminals.append(checkCondition(predicate, [], "a terminal predicate"))
            case .expect(let name, let verdict, let meant, let condition, let range):
                expectations.append(Expectation(name: name, verdict: verdict, meant: meant, condition: condition, range: range))
            case .expectDead(let action, let condition, let range):
                deadMarkers.append(DeadMarker(action: action, condition: condition, range: range))
            case .variant(let name, let type, let values, _):
                let before = diagnostics.count
                declareVariant(name, type, values)
                if diagnostics.count > before { variantErrors = true }
            case .combination(let choices, let range):
                let before = diagnostics.count
                declareCombination(choices, range)
                if diagnostics.count > before { variantErrors = true }
            }
        }
        for name in overrideOrder where !declaredConstantNames.contains(name) {
            if declaredVariantNames.contains(name) {
                diagnostics.error("--const \(name): '\(name)' is a variant; pin it with --variant \(name)=VALUE", at: 0)
            } else {
                diagnostics.error("--const \(name): the model has no constant named '\(name)'", at: 0)
            }
        }
        let beforePins = diagnostics.count
        for name in pinnedTwice {
            diagnostics.error("--variant \(name): the variant is pinned twice", at: 0)
        }
        for name in pinOrder where !declaredVariantNames.contains(name) {
            if declaredConstantNames.contains(name) {
                diagnostics.error("--variant \(name): '\(name)' is a constant, not a variant; override it with --const \(name)=VALUE", at: 0)
            } else {
                diagnostics.error("--variant \(name): the model has no variant named '\(name)'", at: 0)
            }
        }
        let combinations = runnableCombinations()
        if diagnostics.count > beforePins { variantErrors = true }
        for builtin in [("deadlock", CheckedPropertyKind.deadlock), ("bounds", .bounds)] where propertyIndex[builtin.0] == nil {
            propertyIndex[builtin.0] = properties.count
            properties.append(PropertyInfo(name: builtin.0, kind: builtin.1, predicate: nil, target: nil, expected: .holds,
                                           explicitlyExpected: false, range: SourceRange(0, 0), message: nil))
        }
        applyExpectations(expectations)
        applyDeadMarkers(deadMarkers)
        return CheckedModel(name: syntax.name.name, source: source, constants: constants, enums: enums, scalarsets: scalarsets,
                            variables: variables, tables: tables, definitions: definitions, actions: actions,
                            properties: properties, terminals: terminals, variants: variants, assignment: assignment,
                            combinations: combinations, entries: entries, eventSignature: eventSignature)
    }

    /// The global name a declaration introduces, if any.
    private static func declaredName(_ declaration: Declaration) -> String? {
        switch declaration {
        case .constant(let name, _, _), .type(let name, _, _), .variable(let name, _, _, _), .table(let name, _, _, _),
             .definition(let name, _, _, _, _), .variant(let name, _, _, _):
            return name.name
        default: return nil
        }
    }

    /// Records where each global name is first declared, to tell "unknown" from "declared later" and to find duplicates.
    private mutating func collectDeclarationPositions(_ syntax: ModelSyntax) {
        func note(_ identifier: Identifier) {
            if declaredAt[identifier.name] == nil { declaredAt[identifier.name] = identifier.range.start }
        }
        for declaration in syntax.declarations {
            switch declaration {
            case .constant(let name, _, _):
                note(name)
                declaredConstantNames.insert(name.name)
            case .variant(let name, _, _, _):
                note(name)
                declaredVariantNames.insert(name.name)
            case .variable(let name, _, _, _), .table(let name, _, _, _), .definition(let name, _, _, _, _):
                note(name)
            case .type(let name, let type, _):
                note(name)
                if case .enumeration(let cases, _) = type { cases.forEach(note) }
            default: break
            }
        }
    }

    private mutating func defineGlobal(_ identifier: Identifier, _ entity: Global) -> Bool {
        if globals[identifier.name] != nil {
            diagnostics.error("duplicate declaration of '\(identifier.name)'", at: identifier.range)
            return false
        }
        globals[identifier.name] = entity
        return true
    }

    private mutating func freshBound() -> BoundID {
        nextBound += 1
        return BoundID(raw: nextBound)
    }

    // MARK: Declarations

    private mutating func declareConstant(_ name: Identifier, _ expression: Expression) {
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

    private mutating func declareType(_ name: Identifier, _ type: TypeExpression) {
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

    private mutating func resolveFiniteType(_ type: TypeExpression) -> FiniteType? {
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

    private mutating func resolveStorageType(_ type: TypeExpression) -> (indices: [FiniteType], element: FiniteType)? {
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

    private mutating func declareVariable(_ name: Identifier, _ type: TypeExpression, _ initializer: Initializer, _ range: SourceRange) {
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
    private mutating func domainConstant(_ expression: Expression, _ type: FiniteType, what: String) -> Int64? {
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

    private mutating func declareTable(_ name: Identifier, _ type: TypeExpression, _ body: TableLiteral) {
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

    private mutating func flattenTable(_ literal: TableLiteral, indices: ArraySlice<FiniteType>, element: FiniteType, name: String,
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

    private mutating func declareDefinition(_ name: Identifier, _ parameters: [Binding], _ result: TypeExpression?, _ body: Expression) {
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

    private mutating func declareAction(_ name: Identifier, _ fair: Bool, _ parameters: [Binding], _ guardExpression: Expression?,
                                        _ body: [Statement], _ emits: [EmitClause], _ range: SourceRange) {
        if !actionNames.insert(name.name).inserted {
            diagnostics.error("duplicate action '\(name.name)'", at: name.range)
        }
        var scope: [Local] = []
        var infos: [ParameterInfo] = []
        var seen: Set<String> = []
        for parameter in parameters {
            if !seen.insert(parameter.name.name).inserted {
                diagnostics.error("duplicate parameter '\(parameter.name.name)'", at: parameter.name.range)
            }
            guard let type = resolveFiniteType(parameter.type) else { continue }
            let id = freshBound()
            infos.append(ParameterInfo(id: id, name: parameter.name.name, type: type))
            scope.append(Local(name: parameter.name.name, expression: .bound(id, type.valueType)))
        }
        let typedGuard = guardExpression.map { checkCondition($0, scope, "an action guard") } ?? .literal(1, .bool)
        let typedBody = checkBlock(body, scope)
        var info = ActionInfo(name: name.name, fair: fair, parameters: infos, guardExpression: typedGuard, body: typedBody, range: range)
        info.emissions = emits.compactMap { checkEmission($0, scope) }
        actions.append(info)
    }

    /// Checks one `emits` clause: a known kind with its number of arguments, a device and states of the types every
    /// other clause uses (the first clause fixes them), and a bool condition.
    private mutating func checkEmission(_ clause: EmitClause, _ scope: [Local]) -> EmissionInfo? {
        guard let kind = EventKind(rawValue: clause.kind.name) else {
            diagnostics.error("unknown event kind '\(clause.kind.name)' (the kinds are set, reset and state)", at: clause.kind.range)
            return nil
        }
        let arities: [Int]
        let shape: String
        switch kind {
        case .set: arities = [3, 4]; shape = "set(DEVICE, REQUESTED, AFTER) or set(DEVICE, REQUESTED, RECOVER, AFTER)"
        case .reset: arities = [2]; shape = "reset(DEVICE, AFTER)"
        case .state: arities = [2]; shape = "state(DEVICE, STATE)"
        }
        let typed = clause.arguments.map { check($0, scope) }
        let condition = clause.condition.map { checkCondition($0, scope, "the condition of an emitted event") }
        guard arities.contains(typed.count) else {
            diagnostics.error("event '\(kind.rawValue)' takes \(arities.map(String.init).joined(separator: " or ")) arguments, "
                              + "found \(typed.count): \(shape)", at: clause.range)
            return nil
        }
        var ok = true
        let deviceType = typed[0].type
        let stateType = typed[1].type
        if deviceType == .bool {
            diagnostics.error("type mismatch: the device of an event cannot be bool", at: clause.arguments[0].range)
            ok = false
        }
        if stateType == .bool {
            diagnostics.error("type mismatch: the state of an event cannot be bool", at: clause.arguments[1].range)
            ok = false
        }
        for position in 2..<typed.count where !typed[position].type.isCompatible(with: stateType) {
            diagnostics.error("type mismatch: the states of an event must have one type; argument \(position + 1) is "
                              + "\(typed[position].type.description), argument 2 is \(stateType.description)", at: clause.arguments[position].range)
            ok = false
        }
        if ok, deviceType != .error, stateType != .error {
            if let signature = eventSignature {
                let first = eventSignatureAt.map { range -> String in
                    let position = source.position(of: range.start)
                    return " (the first emitted event, at line \(position.line), column \(position.column))"
                } ?? ""
                if !deviceType.isCompatible(with: signature.deviceType) {
                    diagnostics.error("type mismatch: every event names its device with one type; this one is \(deviceType.description), "
                                      + "the others \(signature.deviceType.description)\(first)", at: clause.arguments[0].range)
                    ok = false
                }
                if !stateType.isCompatible(with: signature.stateType) {
                    diagnostics.error("type mismatch: every event's states have one type; this one is \(stateType.description), "
                                      + "the others \(signature.stateType.description)\(first)", at: clause.arguments[1].range)
                    ok = false
                }
            } else {
                eventSignature = EventSignature(deviceType: deviceType, stateType: stateType)
                eventSignatureAt = clause.range
            }
        }
        guard ok else { return nil }
        switch kind {
        case .set:
            return EmissionInfo(kind: kind, device: typed[0], requested: typed[1], recover: typed.count == 4 ? typed[2] : nil,
                                state: typed[typed.count - 1], condition: condition, range: clause.range)
        case .reset, .state:
            return EmissionInfo(kind: kind, device: typed[0], requested: nil, recover: nil, state: typed[1], condition: condition,
                                range: clause.range)
        }
    }

    private mutating func declareEntry(_ name: Identifier, _ predicate: Expression) {
        let typed = checkCondition(predicate, [], "an entry point")
        if entries.contains(where: { $0.name == name.name }) {
            diagnostics.error("duplicate entry point '\(name.name)'", at: name.range)
            return
        }
        entries.append(EntryInfo(name: name.name, predicate: typed, range: name.range))
    }

    private mutating func declareProperty(_ kind: PropertyKind, _ name: Identifier, _ predicate: Expression, _ second: Expression?,
                                          _ range: SourceRange) {
        let typedPredicate = checkCondition(predicate, [], "a property")
        let typedSecond = second.map { checkCondition($0, [], "a property") }
        guard propertyIndex[name.name] == nil, name.name != "deadlock", name.name != "bounds" else {
            diagnostics.error("duplicate property '\(name.name)'", at: name.range)
            return
        }
        let checkedKind: CheckedPropertyKind
        switch kind {
        case .invariant: checkedKind = .invariant
        case .reachable: checkedKind = .reachable
        case .eventually: checkedKind = .eventually
        case .leadsto: checkedKind = .leadsto
        }
        propertyIndex[name.name] = properties.count
        properties.append(PropertyInfo(name: name.name, kind: checkedKind, predicate: typedPredicate, target: typedSecond,
                                       expected: kind == .reachable ? .reachable : .holds, explicitlyExpected: false, range: name.range,
                                       message: nil))
    }

    /// One `expect` line as written.
    private struct Expectation {
        let name: Identifier
        let verdict: ExpectedVerdict
        let meant: SanityMark?
        let condition: Expression?
        let range: SourceRange
    }

    /// Sets each property's expected verdict. An unqualified line gives the default; a qualified line whose
    /// condition holds under this check's variants overrides it. Two unqualified lines for one property, or two
    /// qualified lines that both apply, are errors.
    private mutating func applyExpectations(_ expectations: [Expectation]) {
        var seen: Set<String> = []
        var applying: [Int: Expectation] = [:]
        for expectation in expectations {
            let name = expectation.name
            var applies = true
            if let condition = expectation.condition {
                guard let holds = expectCondition(condition) else { continue }
                applies = holds
            }
            guard let index = propertyIndex[name.name] else {
                if incompleteNames.contains(name.name) { continue }
                diagnostics.error("expect: no property named '\(name.name)'", at: name.range)
                continue
            }
            if expectation.condition == nil {
                guard seen.insert(name.name).inserted else {
                    diagnostics.error("duplicate expectation for '\(name.name)'", at: name.range)
                    continue
                }
            }
            let kind = properties[index].kind
            let verdict = expectation.verdict
            let isGoal = kind == .reachable
            let fits = isGoal ? (verdict == .reachable || verdict == .unreachable) : (verdict == .holds || verdict == .violated)
            guard fits else {
                let allowed = isGoal ? "reachable or unreachable" : "holds or violated"
                let article = kind == .eventually ? "an eventually property" : kind == .assertion ? "an assertion"
                    : kind == .invariant ? "an invariant" : "a \(kind.rawValue) property"
                diagnostics.error("'\(name.name)' is \(article); expect \(allowed)", at: name.range)
                continue
            }
            guard applies else { continue }
            if expectation.condition != nil {
                if let earlier = applying[index], earlier.condition != nil {
                    let line = source.position(of: earlier.range.start).line
                    diagnostics.error("two expect lines for '\(name.name)' apply to the combination \(assignmentDescription) "
                                      + "(this one and line \(line))", at: name.range)
                    continue
                }
                applying[index] = expectation
            } else if applying[index] == nil {
                applying[index] = expectation
            }
        }
        for (index, expectation) in applying {
            properties[index].expected = expectation.verdict
            properties[index].explicitlyExpected = true
            properties[index].meant = expectation.meant
        }
    }

    /// One `expect dead` line as written.
    private struct DeadMarker {
        let action: Identifier
        let condition: Expression?
        let range: SourceRange
    }

    /// Marks the actions that `expect dead` lines applying to this combination name. A line naming no action
    /// is an error (in every combination, like an `expect` line naming no property), and so is a second
    /// unqualified line for one action; two qualified lines may both apply, as they say the same thing.
    private mutating func applyDeadMarkers(_ markers: [DeadMarker]) {
        var unqualified: Set<String> = []
        for marker in markers {
            let name = marker.action
            var applies = true
            if let condition = marker.condition {
                guard let holds = expectCondition(condition) else { continue }
                applies = holds
            }
            guard let index = actions.firstIndex(where: { $0.name == name.name }) else {
                if incompleteNames.contains(name.name) || actionNames.contains(name.name) { continue }
                let property = propertyIndex[name.name] != nil ? " ('\(name.name)' is a property: 'expect dead' names an action)" : ""
                diagnostics.error("expect dead: no action named '\(name.name)'\(property)", at: name.range)
                continue
            }
            if marker.condition == nil, !unqualified.insert(name.name).inserted {
                diagnostics.error("duplicate 'expect dead \(name.name)'", at: name.range)
                continue
            }
            if applies { actions[index].meantDead = true }
        }
    }

    /// The value of an `expect ... when C` condition, which may read only variants and constants.
    private mutating func expectCondition(_ condition: Expression) -> Bool? {
        let typed = checkCondition(condition, [], "the condition of an expect line")
        if typed.type == .error { return nil }
        switch ConstantEvaluator.evaluate(typed, tables: tables, definitions: definitions) {
        case .success(let value): return value != 0
        case .failure(let problem):
            diagnostics.error("the condition of an expect line may use only variants and constants: \(problem.message)", at: condition.range)
            return nil
        }
    }

    // MARK: Variants

    /// `load=ON_EXIT, async=true`: this check's assignment, for messages.
    private var assignmentDescription: String {
        variants.isEmpty ? "(no variants)" : zip(variants, assignment).map { "\($0.name)=\($0.type.format($1))" }.joined(separator: ", ")
    }

    /// A variant is a constant whose value is its pin, or its first listed value.
    private mutating func declareVariant(_ name: Identifier, _ typeExpression: TypeExpression, _ valueExpressions: [Expression]?) {
        defer { readsVariant = false }
        guard let type = resolveFiniteType(typeExpression) else { return }
        if case .scalarset = type {
            diagnostics.error("a variant must be bool, an enum or an integer range; '\(type.description)' is a scalarset, whose values cannot be named",
                              at: typeExpression.range)
            return
        }
        var values: [Int64] = []
        if let valueExpressions {
            guard !valueExpressions.isEmpty else {
                diagnostics.error("variant '\(name.name)' needs at least one value", at: name.range)
                return
            }
            var failed = false
            for expression in valueExpressions {
                guard let value = domainConstant(expression, type, what: "value of variant '\(name.name)'") else {
                    failed = true
                    continue
                }
                if values.contains(value) {
                    diagnostics.error("value \(type.format(value)) is listed twice for variant '\(name.name)'", at: expression.range)
                    failed = true
                }
                values.append(value)
            }
            if failed { return }
        } else {
            values = Array(type.values.prefix(Self.maximumVariantValues + 1))
        }
        if readsVariant {
            diagnostics.error("the type and values of variant '\(name.name)' depend on another variant (through '\(variantRead ?? "?")')",
                              at: name.range)
            return
        }
        guard values.count <= Self.maximumVariantValues else {
            diagnostics.error("variant '\(name.name)' has more than \(Self.maximumVariantValues) values; list the ones to explore with 'in { ... }'",
                              at: name.range)
            return
        }
        var value = values[0]
        if let pin = pins[name.name] {
            let listed = values.map(type.format).joined(separator: ", ")
            if let pinned = values.first(where: { type.format($0) == pin.value }) {
                value = pinned
            } else if type.values.prefix(1 << 16).contains(where: { type.format($0) == pin.value }) {
                diagnostics.error("--variant \(name.name)=\(pin.value): \(pin.value) is not one of the values of variant '\(name.name)' (\(listed))",
                                  at: name.range)
            } else {
                diagnostics.error("--variant \(name.name)=\(pin.value): '\(pin.value)' is not a value of \(type.description) (variant '\(name.name)' takes \(listed))",
                                  at: name.range)
            }
        }
        guard defineGlobal(name, .constant(value, type.valueType)) else { return }
        variantIndex[name.name] = variants.count
        variants.append(VariantInfo(name: name.name, type: type, values: values, range: name.range))
        assignment.append(value)
    }

    /// The most values one variant may take.
    public static let maximumVariantValues = 64

    /// `combination N = V, ...`: each name a variant declared above, each value one of its listed values.
    private mutating func declareCombination(_ choices: [VariantChoice], _ range: SourceRange) {
        var line: [Int: Int64] = [:]
        var failed = false
        for choice in choices {
            guard let index = variantIndex[choice.name.name] else {
                if declaredVariantNames.contains(choice.name.name) {
                    if declaredAt[choice.name.name].map({ $0 > choice.name.range.start }) == true {
                        diagnostics.error("variant '\(choice.name.name)' is used before its declaration", at: choice.name.range)
                    }
                } else if globals[choice.name.name] != nil {
                    diagnostics.error("'\(choice.name.name)' is not a variant", at: choice.name.range)
                } else {
                    diagnostics.error("unknown variant '\(choice.name.name)'", at: choice.name.range)
                }
                failed = true
                continue
            }
            let variant = variants[index]
            guard line[index] == nil else {
                diagnostics.error("variant '\(variant.name)' is given twice in one combination", at: choice.name.range)
                failed = true
                continue
            }
            guard let value = domainConstant(choice.value, variant.type, what: "value of variant '\(variant.name)'") else {
                failed = true
                continue
            }
            guard variant.values.contains(value) else {
                let listed = variant.values.map(variant.type.format).joined(separator: ", ")
                diagnostics.error("\(variant.type.format(value)) is not one of the values of variant '\(variant.name)' (\(listed))", at: choice.value.range)
                failed = true
                continue
            }
            line[index] = value
        }
        if !failed { combinationLines.append(line) }
        _ = range
    }

    /// The combinations to run: the listed ones (or every one), restricted to the pins.
    private mutating func runnableCombinations() -> [[Int64]] {
        let domains = variants.map(\.values)
        let lines = combinationLines.isEmpty ? [[:]] : combinationLines
        let all = VariantSpace.expand(domains: domains, lines: lines, limit: Self.maximumCombinations + 1)
        guard all.count <= Self.maximumCombinations else {
            diagnostics.error("the variants give more than \(Self.maximumCombinations) combinations; list the meaningful ones with 'combination'", at: 0)
            return []
        }
        let pinned = variants.indices.filter { pins[variants[$0].name] != nil }
        let kept = all.filter { combination in pinned.allSatisfy { combination[$0] == assignment[$0] } }
        if kept.isEmpty, !all.isEmpty, !diagnostics.hasErrors {
            let description = pinned.map { "\(variants[$0].name)=\(variants[$0].type.format(assignment[$0]))" }.joined(separator: ", ")
            diagnostics.error("--variant \(description): no combination listed in the model has these values", at: 0)
        }
        return kept
    }

    /// The most combinations one model may run.
    public static let maximumCombinations = 1024

    // MARK: Statements

    private mutating func checkBlock(_ statements: [Statement], _ outer: [Local]) -> [TypedStatement] {
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

    private mutating func checkAssignment(_ target: Expression, _ value: Expression, _ range: SourceRange, _ scope: [Local]) -> TypedStatement? {
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

    private mutating func checkIndices(_ expressions: [Expression], _ types: [FiniteType], name: String, at range: SourceRange,
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

    // MARK: Expressions

    private mutating func checkCondition(_ expression: Expression, _ scope: [Local], _ what: String) -> TypedExpression {
        let typed = check(expression, scope)
        if !typed.type.isCompatible(with: .bool) {
            diagnostics.error("type mismatch: \(what) must be bool, found \(typed.type.description)", at: expression.range)
            return .literal(0, .error)
        }
        return typed
    }

    private mutating func reportUnknown(_ identifier: Identifier, what: String) {
        if identifier.name == currentDeclaration, currentDefinition != identifier.name {
            diagnostics.error("'\(identifier.name)' is used in its own declaration", at: identifier.range)
            return
        }
        if let declared = declaredAt[identifier.name], declared > identifier.range.start {
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

    private mutating func check(_ expression: Expression, _ scope: [Local]) -> TypedExpression {
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

    private mutating func checkQuantifier(_ kind: QuantifierKind, _ bindings: ArraySlice<Binding>, _ body: Expression,
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
    private mutating func noteUse(_ name: String) {
        guard variantIndex[name] != nil || variantDependent.contains(name) else { return }
        if !readsVariant { variantRead = name }
        readsVariant = true
    }

    private mutating func checkName(_ identifier: Identifier, _ scope: [Local]) -> TypedExpression {
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

    private mutating func checkIndex(_ base: Expression, _ indexExpressions: [Expression], _ scope: [Local]) -> TypedExpression {
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

    private mutating func checkCall(_ identifier: Identifier, _ arguments: [Expression], _ scope: [Local]) -> TypedExpression {
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

    private func parameterType(of definition: DefinitionInfo, at position: Int) -> ValueType {
        definition.parameterTypes[position]
    }

    private mutating func checkBinary(_ op: BinaryOperator, _ left: Expression, _ right: Expression, _ range: SourceRange,
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

    // MARK: Constant evaluation

    private mutating func constantValue(_ typed: TypedExpression, at range: SourceRange, expecting: ValueType? = nil) -> Int64? {
        if typed.type == .error { return nil }
        if let expecting, !typed.type.isCompatible(with: expecting) {
            diagnostics.error("type mismatch: expected \(expecting.description), found \(typed.type.description)", at: range)
            return nil
        }
        switch ConstantEvaluator.evaluate(typed, tables: tables, definitions: definitions) {
        case .success(let value):
            if value < -Int64(Int32.max) || value > Int64(Int32.max) {
                diagnostics.error("constant value \(value) is outside ±2147483647", at: range)
                return nil
            }
            return value
        case .failure(let problem):
            diagnostics.error(problem.message, at: range)
            return nil
        }
    }

    private func constantValueQuietly(_ typed: TypedExpression) -> Int64? {
        if case .success(let value) = ConstantEvaluator.evaluate(typed, tables: tables, definitions: definitions) { return value }
        return nil
    }
}

extension TypedExpression {
    /// The type recorded for a bound name inside this expression, if it occurs.
    func boundType(_ id: BoundID) -> ValueType? {
        var found: ValueType?
        visit { node in
            if case .bound(let other, let type) = node, other == id { found = type }
        }
        return found
    }

    /// Calls `body` on every node, depth first.
    func visit(_ body: (TypedExpression) -> Void) {
        body(self)
        switch self {
        case .literal, .bound, .letValue: break
        case .variable(_, let indices, _, _), .table(_, let indices, _, _), .call(_, let indices, _):
            indices.forEach { $0.visit(body) }
        case .unary(_, let operand): operand.visit(body)
        case .binary(_, let left, let right, _):
            left.visit(body)
            right.visit(body)
        case .member(let element, let values):
            element.visit(body)
            values.forEach { $0.visit(body) }
        case .conditional(let condition, let then, let otherwise, _):
            condition.visit(body)
            then.visit(body)
            otherwise.visit(body)
        case .quantifier(_, _, _, let inner): inner.visit(body)
        }
    }

    /// Replaces a bound name by an expression.
    public func substituting(_ id: BoundID, with replacement: TypedExpression) -> TypedExpression {
        switch self {
        case .bound(let other, _): return other == id ? replacement : self
        case .literal, .letValue: return self
        case .variable(let index, let indices, let type, let range):
            return .variable(index, indices.map { $0.substituting(id, with: replacement) }, type, range)
        case .table(let index, let indices, let type, let range):
            return .table(index, indices.map { $0.substituting(id, with: replacement) }, type, range)
        case .call(let index, let arguments, let type):
            return .call(index, arguments.map { $0.substituting(id, with: replacement) }, type)
        case .unary(let op, let operand): return .unary(op, operand.substituting(id, with: replacement))
        case .binary(let op, let left, let right, let range):
            return .binary(op, left.substituting(id, with: replacement), right.substituting(id, with: replacement), range)
        case .member(let element, let values):
            return .member(element.substituting(id, with: replacement), values.map { $0.substituting(id, with: replacement) })
        case .conditional(let condition, let then, let otherwise, let type):
            return .conditional(condition.substituting(id, with: replacement), then.substituting(id, with: replacement),
                                otherwise.substituting(id, with: replacement), type)
        case .quantifier(let kind, let bound, let type, let body):
            return .quantifier(kind, bound, type, body.substituting(id, with: replacement))
        }
    }
}
