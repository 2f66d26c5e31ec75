/// Variants, `combination` lines and `--variant` pins: which combinations of readings a model runs. Kept apart
/// because the combinations are computed before any variant has its final value.
extension TypeChecker {
    /// `load=ON_EXIT, async=true`: this check's assignment, for messages.
    var assignmentDescription: String {
        variants.isEmpty ? "(no variants)" : zip(variants, assignment).map { "\($0.name)=\($0.type.format($1))" }.joined(separator: ", ")
    }

    /// A variant is a constant whose value is its pin, or its first listed value.
    mutating func declareVariant(_ name: Identifier, _ typeExpression: TypeExpression, _ valueExpressions: [Expression]?) {
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
    mutating func declareCombination(_ choices: [VariantChoice], _ range: SourceRange) {
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
    mutating func runnableCombinations() -> [[Int64]] {
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
}
