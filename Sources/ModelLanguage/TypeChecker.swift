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
///
/// This file holds the checker's state and its driver (the order in which declarations are checked); each concern
/// has its own file: `TypeChecker+Declarations` (constants, types, variables, tables, definitions), `+Actions`
/// (actions, `emits`, `entry`), `+Properties` (properties, `expect` lines), `+Variants`, `+Statements`,
/// `+Expressions` and `+Constants` (constant evaluation). The members are internal rather than private so the
/// extensions in those files can share them; nothing outside this type uses them.
public struct TypeChecker {
    enum Global {
        case constant(Int64, ValueType)
        case type(FiniteType)
        case enumCase(EnumType, Int64)
        case variable(Int)
        case table(Int)
        case definition(Int)
    }

    struct Local {
        let name: String
        let expression: TypedExpression
    }

    var diagnostics: DiagnosticBag
    let source: SourceFile
    var globals: [String: Global] = [:]
    var declaredAt: [String: Int] = [:]
    var constants: [(name: String, value: Int64, type: ValueType)] = []
    var enums: [EnumType] = []
    var scalarsets: [ScalarsetType] = []
    var variables: [VariableInfo] = []
    var tables: [TableInfo] = []
    var definitions: [DefinitionInfo] = []
    var definitionNames: [String] = []
    var actions: [ActionInfo] = []
    /// Entry points, and the event types fixed by the first `emits` clause (with its position, for messages).
    var entries: [EntryInfo] = []
    var eventSignature: EventSignature?
    var eventSignatureAt: SourceRange?
    /// The names in `actions`, so the duplicate check is constant time: a linear scan made loading quadratic in
    /// the number of actions (80,000 actions took 17.8 s to load).
    var actionNames: Set<String> = []
    var properties: [PropertyInfo] = []
    var propertyIndex: [String: Int] = [:]
    var terminals: [TypedExpression] = []
    var nextBound = 0
    var currentDefinition: String?
    /// The global being declared: a use of it inside its own declaration is an error.
    var currentDeclaration: String?
    /// Every constant name declared in the file (even if its declaration fails), for `--const` checks.
    var declaredConstantNames: Set<String> = []
    /// Names whose declarations failed to parse: not reported again where they are used.
    var incompleteNames: Set<String> = []
    /// `--const` overrides in command-line order.
    var overrideOrder: [String] = []
    var overrides: [String: ConstantOverride]
    /// `--variant` pins (and the assignment of the combination being checked), by variant name.
    var pins: [String: VariantPin] = [:]
    /// Pins in command-line order, and the names pinned more than once.
    var pinOrder: [String] = []
    var pinnedTwice: [String] = []
    /// Declared variants, their index by name, and the value each takes in this check.
    var variants: [VariantInfo] = []
    var variantIndex: [String: Int] = [:]
    var assignment: [Int64] = []
    /// Every variant name declared in the file, for `--variant` and `--const` checks.
    var declaredVariantNames: Set<String> = []
    /// The `combination` lines, each as variant index -> value.
    var combinationLines: [[Int: Int64]] = []
    /// Globals whose declaration reads a variant, directly or through another such global: a variant's type
    /// and values may not use them, since the combinations are computed before any variant has its final value.
    var variantDependent: Set<String> = []
    /// Set when the declaration being checked reads a variant or a variant-dependent global.
    var readsVariant = false
    /// The first such global it read, for the message.
    var variantRead: String?
    /// Set when a variant, a `combination` line or a pin had an error: then the combinations are not known.
    var variantErrors = false
    /// Set while checking an expression written outside the model (`checkPredicate`): its positions are in its
    /// own text, so they say nothing about declaration order, and every declared name is in scope.
    var detached = false

    /// Checks a parsed model. `diagnostics` carries errors already found by the parser, so all are reported together.
    /// `pins` fix variants to one value each (`--variant`); the others take their first listed value.
    public static func check(_ syntax: ModelSyntax, source: SourceFile, diagnostics: DiagnosticBag,
                             overrides: [ConstantOverride] = [], pins: [VariantPin] = []) -> Result<CheckedModel, ModelErrors> {
        var checker = TypeChecker(source: source, diagnostics: diagnostics, overrides: overrides, pins: pins)
        let model = checker.run(syntax)
        if checker.diagnostics.hasErrors { return .failure(ModelErrors(checker.diagnostics.diagnostics)) }
        return .success(model)
    }

    /// Checks a parsed model to find its variants and combinations. `model` is complete even when `errors` is not
    /// nil; `combinationsKnown` says whether the variants, the `combination` lines and the pins checked, so that
    /// `model.combinations` can be trusted although other declarations failed under the first values.
    static func survey(_ syntax: ModelSyntax, source: SourceFile, diagnostics: DiagnosticBag, overrides: [ConstantOverride],
                       pins: [VariantPin]) -> (model: CheckedModel, errors: ModelErrors?, combinationsKnown: Bool) {
        var checker = TypeChecker(source: source, diagnostics: diagnostics, overrides: overrides, pins: pins)
        let model = checker.run(syntax)
        let errors = checker.diagnostics.hasErrors ? ModelErrors(checker.diagnostics.diagnostics) : nil
        return (model, errors, !checker.variantErrors && !diagnostics.hasErrors)
    }

    init(source: SourceFile, diagnostics: DiagnosticBag, overrides: [ConstantOverride], pins: [VariantPin]) {
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

    mutating func run(_ syntax: ModelSyntax) -> CheckedModel {
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
        let documentation = collectDocumentation(syntax.documentation)
        var model = CheckedModel(name: syntax.name.name, source: source, constants: constants, enums: enums, scalarsets: scalarsets,
                            variables: variables, tables: tables, definitions: definitions, actions: actions,
                            properties: properties, terminals: terminals, variants: variants, assignment: assignment,
                            combinations: combinations, entries: entries, eventSignature: eventSignature)
        model.documentation = documentation
        return model
    }

    /// The global name a declaration introduces, if any.
    static func declaredName(_ declaration: Declaration) -> String? {
        switch declaration {
        case .constant(let name, _, _), .type(let name, _, _), .variable(let name, _, _, _), .table(let name, _, _, _),
             .definition(let name, _, _, _, _), .variant(let name, _, _, _):
            return name.name
        default: return nil
        }
    }

    /// Records where each global name is first declared, to tell "unknown" from "declared later" and to find duplicates.
    mutating func collectDeclarationPositions(_ syntax: ModelSyntax) {
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

    mutating func defineGlobal(_ identifier: Identifier, _ entity: Global) -> Bool {
        if globals[identifier.name] != nil {
            diagnostics.error("duplicate declaration of '\(identifier.name)'", at: identifier.range)
            return false
        }
        globals[identifier.name] = entity
        return true
    }

    mutating func freshBound() -> BoundID {
        nextBound += 1
        return BoundID(raw: nextBound)
    }
}
