/// A `--variant NAME=VALUE` pin: fixes one variant to one of its values. The value is written as the value is
/// printed: an enum constant, `true`/`false`, or an integer.
public struct VariantPin: Sendable, Hashable {
    /// The variant's name.
    public let name: String
    /// The value as typed.
    public let value: String
    /// Creates a pin.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A declared variant: a constant that ranges over listed values of a bool, enum or range type.
public struct VariantInfo: Sendable, Hashable {
    /// Its name.
    public let name: String
    /// Its type.
    public let type: FiniteType
    /// The values to explore, in the order written (the type's order when none were listed).
    public let values: [Int64]
    /// Where its name was declared.
    public let range: SourceRange
}

/// One combination of variant values, formatted and in declaration order: what renderers show and what pins
/// a run to that combination. Empty for a model without variants.
public struct VariantAssignment: Sendable, Hashable, CustomStringConvertible {
    /// `(variant, value)` pairs in declaration order.
    public let entries: [(name: String, value: String)]
    /// The values as the checker holds them, with their types, parallel to `entries`, so a renderer types a value
    /// (a JSON boolean, number or string) without parsing its text. Empty for an assignment made from text.
    public let typedValues: [(type: FiniteType, value: Int64)]

    /// Creates an assignment from pairs of text (a label; it has no `typedValues`).
    public init(entries: [(name: String, value: String)]) {
        self.entries = entries
        typedValues = []
    }

    /// Formats `values` (parallel to `variants`), keeping them typed.
    public init(_ variants: [VariantInfo], _ values: [Int64]) {
        entries = zip(variants, values).map { ($0.name, $0.type.format($1)) }
        typedValues = zip(variants, values).map { ($0.type, $1) }
    }

    /// Whether the model declares no variant.
    public var isEmpty: Bool { entries.isEmpty }

    /// `load=ON_EXIT, async=true`.
    public var description: String { entries.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") }

    /// The pins that select exactly this combination.
    public var pins: [VariantPin] { entries.map { VariantPin(name: $0.name, value: $0.value) } }

    public static func == (lhs: VariantAssignment, rhs: VariantAssignment) -> Bool {
        lhs.entries.count == rhs.entries.count && zip(lhs.entries, rhs.entries).allSatisfy { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.name)
            hasher.combine(entry.value)
        }
    }
}

/// The combinations a model's variants span.
public enum VariantSpace {
    /// Expands each line (variant index -> value; unnamed variants range over their domain) into full
    /// combinations, in line order and then in the order of the domains (the first variant varies slowest),
    /// dropping repeats. Stops once `limit` combinations are found.
    public static func expand(domains: [[Int64]], lines: [[Int: Int64]], limit: Int) -> [[Int64]] {
        var result: [[Int64]] = []
        var seen: Set<[Int64]> = []
        for line in lines {
            var partial: [[Int64]] = [[]]
            for (index, domain) in domains.enumerated() {
                let choices = line[index].map { [$0] } ?? domain
                var next: [[Int64]] = []
                for prefix in partial {
                    for value in choices {
                        next.append(prefix + [value])
                        if next.count > limit { break }
                    }
                    if next.count > limit { break }
                }
                partial = next
            }
            for combination in partial where seen.insert(combination).inserted {
                result.append(combination)
                if result.count >= limit { return result }
            }
        }
        return result
    }
}

/// A model parsed once and checked under each of its combinations: the front end a variant matrix shares.
public struct ModelMatrix: Sendable {
    /// The source.
    public let source: SourceFile
    /// The syntax tree, free of errors.
    public let syntax: ModelSyntax
    /// The `--const` overrides every combination is checked with.
    public let overrides: [ConstantOverride]
    /// The model checked under its first runnable combination.
    public let first: CheckedModel
    /// The runnable combinations, first to last (one empty assignment without variants).
    public let combinations: [VariantAssignment]

    /// Whether the model declares variants (then it is shown as a matrix, even with one combination).
    public var hasVariants: Bool { !first.variants.isEmpty }

    /// Checks the model under one combination.
    public func check(_ combination: VariantAssignment) -> Result<CheckedModel, ModelErrors> {
        if combination == first.variantAssignment { return .success(first) }
        let (syntax, source, overrides) = (self.syntax, self.source, self.overrides)
        return LargeStack.run {
            TypeChecker.check(syntax, source: source, diagnostics: DiagnosticBag(source: source), overrides: overrides,
                          pins: combination.pins)
        }
    }
}

extension Frontend {
    /// Parses once and finds the combinations to run (the listed ones or all, restricted to `pins`); the result
    /// checks each. Errors in the source, the pins or the first combination are returned as they are found.
    public static func matrix(_ source: SourceFile, overrides: [ConstantOverride] = [],
                              pins: [VariantPin] = []) -> Result<ModelMatrix, ModelErrors> {
        LargeStack.run {
            let (parsed, diagnostics) = Parser.parse(source)
            guard let syntax = parsed else { return .failure(ModelErrors(diagnostics.diagnostics)) }
            func failure(_ errors: ModelErrors) -> Result<ModelMatrix, ModelErrors> {
                overrides.isEmpty ? .failure(errors)
                    : .failure(attributeToOverrides(errors, syntax: syntax, source: source, overrides: overrides))
            }
            // The first values of the variants may make a combination the model does not list fail to check: its
            // errors matter only if a listed combination has them too, so the first listed one is checked below.
            let (survey, surveyErrors, combinationsKnown) = TypeChecker.survey(syntax, source: source, diagnostics: diagnostics,
                                                                          overrides: overrides, pins: pins)
            if let surveyErrors, !combinationsKnown || survey.variants.isEmpty { return failure(surveyErrors) }
            let combinations = survey.combinations.map { VariantAssignment(survey.variants, $0) }
            guard let firstCombination = combinations.first else {
                return .failure(surveyErrors ?? ModelErrors([diagnostics.makeDiagnostic(offset: 0, message: "the model has no combination to run")]))
            }
            var first = survey
            if firstCombination != survey.variantAssignment {
                switch TypeChecker.check(syntax, source: source, diagnostics: DiagnosticBag(source: source), overrides: overrides,
                                     pins: firstCombination.pins) {
                case .failure(let errors): return failure(errors)
                case .success(let model): first = model
                }
            } else if let surveyErrors {
                return failure(surveyErrors)
            }
            return .success(ModelMatrix(source: source, syntax: syntax, overrides: overrides, first: first, combinations: combinations))
        }
    }
}
