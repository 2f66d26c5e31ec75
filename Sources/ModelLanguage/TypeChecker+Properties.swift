/// Properties, and the `expect` and `expect dead` lines that set what CI must see, with the variant conditions
/// that qualify them.
extension TypeChecker {
    mutating func declareProperty(_ kind: PropertyKind, _ name: Identifier, _ predicate: Expression, _ second: Expression?,
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
    struct Expectation {
        let name: Identifier
        let verdict: ExpectedVerdict
        let meant: SanityMark?
        let condition: Expression?
        let range: SourceRange
    }

    /// Sets each property's expected verdict. An unqualified line gives the default; a qualified line whose
    /// condition holds under this check's variants overrides it. Two unqualified lines for one property, or two
    /// qualified lines that both apply, are errors.
    mutating func applyExpectations(_ expectations: [Expectation]) {
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
    struct DeadMarker {
        let action: Identifier
        let condition: Expression?
        let range: SourceRange
    }

    /// Marks the actions that `expect dead` lines applying to this combination name. A line naming no action
    /// is an error (in every combination, like an `expect` line naming no property), and so is a second
    /// unqualified line for one action; two qualified lines may both apply, as they say the same thing.
    mutating func applyDeadMarkers(_ markers: [DeadMarker]) {
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
    mutating func expectCondition(_ condition: Expression) -> Bool? {
        let typed = checkCondition(condition, [], "the condition of an expect line")
        if typed.type == .error { return nil }
        switch ConstantEvaluator.evaluate(typed, tables: tables, definitions: definitions) {
        case .success(let value): return value != 0
        case .failure(let problem):
            diagnostics.error("the condition of an expect line may use only variants and constants: \(problem.message)", at: condition.range)
            return nil
        }
    }
}
