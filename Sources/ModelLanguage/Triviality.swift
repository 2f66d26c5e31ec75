/// Properties that hold by construction, decided on the checked model alone, without reachability (issue 13,
/// item 3, the `trivial` rule): a verdict that only restates the model is not evidence about the protocol.
///
/// - an invariant that reads only variables no action assigns (it can only restate the initial states);
/// - an invariant that every value of the cells it reads satisfies (the domains imply it);
/// - an assertion whose every occurrence is a top-level statement of its action, implied by the action's guard
///   for every parameter value and every value of the cells they read.
///
/// A decision enumerates valuations; when there would be more than `valuationLimit`, or an expression cannot be
/// evaluated on its own (a `let` name, an index out of range), the property is not called trivial: this
/// analysis only ever claims what it has checked.
public enum Triviality {
    /// The most valuations one decision may enumerate.
    public static let valuationLimit = 1 << 16

    /// The trivial properties of a model: name -> why.
    public static func trivialProperties(_ model: CheckedModel) -> [String: String] {
        var result: [String: String] = [:]
        let assigned = assignedVariables(model)
        for property in model.properties where property.kind == .invariant {
            guard let predicate = property.predicate else { continue }
            let read = readVariables(predicate, model)
            if !read.isEmpty, read.isDisjoint(with: assigned) {
                result[property.name] = "it reads only \(names(read, model)), which no action changes"
            } else if holdsEverywhere(predicate, guardExpression: nil, parameters: [], reading: read, model) {
                result[property.name] = read.isEmpty ? "its predicate is constant"
                    : "every value of \(names(read, model)) satisfies it: the domains imply it"
            }
        }
        var assertions: [Int: Bool] = [:]
        for action in model.actions {
            for statement in action.body {
                if case .assert(let property, let condition, _) = statement {
                    let read = readVariables(action.guardExpression, model).union(readVariables(condition, model))
                    let implied = holdsEverywhere(condition, guardExpression: action.guardExpression, parameters: action.parameters,
                                                  reading: read, model)
                    assertions[property] = (assertions[property] ?? true) && implied
                } else {
                    // An assertion nested under `if`, `choose` or `let` depends on more than the guard.
                    nestedAssertions(statement) { assertions[$0] = false }
                }
            }
        }
        for (index, trivial) in assertions where trivial && index < model.properties.count {
            result[model.properties[index].name] = "its action's guard implies it"
        }
        return result
    }

    /// The variables some action assigns.
    static func assignedVariables(_ model: CheckedModel) -> Set<Int> {
        var assigned: Set<Int> = []
        func walk(_ statements: [TypedStatement]) {
            for statement in statements {
                switch statement {
                case .assign(let variable, _, _, _): assigned.insert(variable)
                case .ifThen(_, let then, let otherwise):
                    walk(then)
                    walk(otherwise)
                case .choose(_, _, _, let body): walk(body)
                case .letBinding, .assert: break
                }
            }
        }
        for action in model.actions { walk(action.body) }
        return assigned
    }

    /// The variables an expression reads, through the definitions it calls.
    static func readVariables(_ expression: TypedExpression, _ model: CheckedModel) -> Set<Int> {
        var read: Set<Int> = []
        var visited: Set<Int> = []
        func walk(_ expression: TypedExpression) {
            expression.visit { node in
                switch node {
                case .variable(let index, _, _, _): read.insert(index)
                case .call(let index, _, _):
                    if index < model.definitions.count, visited.insert(index).inserted { walk(model.definitions[index].body) }
                default: break
                }
            }
        }
        walk(expression)
        return read
    }

    private static func nestedAssertions(_ statement: TypedStatement, _ found: (Int) -> Void) {
        switch statement {
        case .assert(let property, _, _): found(property)
        case .ifThen(_, let then, let otherwise):
            for inner in then + otherwise { nestedAssertions(inner, found) }
        case .choose(_, _, _, let body):
            for inner in body { nestedAssertions(inner, found) }
        case .assign, .letBinding: break
        }
    }

    private static func names(_ variables: Set<Int>, _ model: CheckedModel) -> String {
        variables.sorted().map { model.variables[$0].name }.joined(separator: ", ")
    }

    /// Whether `predicate` holds for every parameter value and every value of the cells of `reading` for which
    /// the guard holds; false when that is more than `valuationLimit` valuations or something cannot be evaluated.
    static func holdsEverywhere(_ predicate: TypedExpression, guardExpression: TypedExpression?, parameters: [ParameterInfo],
                                reading: Set<Int>, _ model: CheckedModel) -> Bool {
        // One digit per parameter and per cell of each variable read.
        var digits: [[Int64]] = parameters.map { Array($0.type.values) }
        var total = digits.reduce(1) { $0 * max(1, $1.count) }
        let variables = reading.sorted()
        for index in variables {
            let variable = model.variables[index]
            for _ in 0..<variable.cellCount {
                let (product, overflow) = total.multipliedReportingOverflow(by: variable.elementType.cardinality)
                guard !overflow, product <= valuationLimit else { return false }
                total = product
                digits.append(Array(variable.elementType.values))
            }
        }
        guard total <= valuationLimit else { return false }
        var position = Array(repeating: 0, count: digits.count)
        while true {
            var environment: [BoundID: Int64] = [:]
            for (offset, parameter) in parameters.enumerated() { environment[parameter.id] = digits[offset][position[offset]] }
            var cells: [Int: [Int64]] = [:]
            var digit = parameters.count
            for index in variables {
                let count = model.variables[index].cellCount
                cells[index] = (0..<count).map { digits[digit + $0][position[digit + $0]] }
                digit += count
            }
            let state = StateValuation(variables: model.variables, cells: cells)
            var relevant = true
            if let guardExpression {
                switch ConstantEvaluator.evaluate(guardExpression, tables: model.tables, definitions: model.definitions,
                                                  environment: environment, state: state) {
                case .success(let value): relevant = value != 0
                case .failure: return false
                }
            }
            if relevant {
                switch ConstantEvaluator.evaluate(predicate, tables: model.tables, definitions: model.definitions,
                                                  environment: environment, state: state) {
                case .success(let value): if value == 0 { return false }
                case .failure: return false
                }
            }
            // Next valuation; done when every digit wrapped.
            if !Odometer.advance(&position, radix: { digits[$0].count }) { return true }
        }
    }
}

/// The `vacuous` sanity rule's front-end half: the premise of each implication invariant (`A -> B`) and of each
/// `leadsto` (`P ~> Q`). A premise that no reachable state satisfies makes the property hold without saying
/// anything; an engine decides that by checking the premise as an extra `reachable` goal in the same search.
public enum Vacuity {
    /// The prefix of the goals `withPremiseGoals` adds; no model property can start with it (`__` names are
    /// reserved to the tool by this convention, and a clash is avoided by numbering).
    public static let goalPrefix = "__premise__"

    /// Each implication invariant's and each `leadsto`'s premise, by property name, in model order.
    public static func premises(_ model: CheckedModel) -> [(property: String, premise: TypedExpression)] {
        model.properties.compactMap { property in
            switch property.kind {
            case .invariant:
                guard case .binary(.implies, let premise, _, _)? = property.predicate else { return nil }
                return (property.name, premise)
            case .leadsto:
                return property.predicate.map { (property.name, $0) }
            default:
                return nil
            }
        }
    }

    /// The model with one `reachable` goal per premise appended after every other property (so that the indices
    /// assertions refer to stay valid), and the goal name of each property.
    public static func withPremiseGoals(_ model: CheckedModel) -> (model: CheckedModel, goals: [String: String]) {
        let taken = Set(model.properties.map(\.name))
        var properties = model.properties
        var goals: [String: String] = [:]
        for (number, entry) in premises(model).enumerated() {
            var name = "\(goalPrefix)\(number)"
            while taken.contains(name) { name += "_" }
            goals[entry.property] = name
            properties.append(PropertyInfo(name: name, kind: .reachable, predicate: entry.premise, target: nil, expected: .reachable,
                                           explicitlyExpected: false, range: SourceRange(0, 0), message: nil))
        }
        return (model.replacingProperties(properties), goals)
    }
}

extension CheckedModel {
    /// The same model with another property list.
    func replacingProperties(_ properties: [PropertyInfo]) -> CheckedModel {
        var model = CheckedModel(name: name, source: source, constants: constants, enums: enums, scalarsets: scalarsets, variables: variables,
                     tables: tables, definitions: definitions, actions: actions, properties: properties, terminals: terminals,
                     variants: variants, assignment: assignment, combinations: combinations, entries: entries,
                     eventSignature: eventSignature)
        model.documentation = documentation
        return model
    }
}
