/// Checking an expression written outside a model (`replay --start 'ph == D_SETUP'`) in the scope of the model,
/// without adding text to the model: the model's declarations are checked again to rebuild the scope, then the
/// expression is checked by the same code as a property's predicate, with diagnostics in the expression's own text.
extension TypeChecker {
    /// Checks `expression` (parsed from `predicateSource`) as a boolean predicate over the state of the model
    /// `syntax` checked under `overrides` and `pins`. Errors in the model itself are returned as they are.
    static func checkPredicate(_ expression: Expression, predicateSource: SourceFile, syntax: ModelSyntax, source: SourceFile,
                               overrides: [ConstantOverride], pins: [VariantPin]) -> Result<CheckedPredicate, ModelErrors> {
        var checker = TypeChecker(source: source, diagnostics: DiagnosticBag(source: source), overrides: overrides, pins: pins)
        _ = checker.run(syntax)
        if checker.diagnostics.hasErrors { return .failure(ModelErrors(checker.diagnostics.diagnostics)) }
        checker.diagnostics = DiagnosticBag(source: predicateSource)
        checker.detached = true
        let typed = checker.checkCondition(expression, [], "the expression")
        if checker.diagnostics.hasErrors { return .failure(ModelErrors(checker.diagnostics.diagnostics)) }
        return .success(CheckedPredicate(source: predicateSource, expression: typed))
    }
}

/// A boolean expression written outside a model, checked in the model's scope: what the lowering compiles next to
/// the model's own properties (`SystemBuilder.build(_:budget:predicates:)`).
public struct CheckedPredicate: Sendable {
    /// The expression's own text (named, say, `--start`): positions in `expression` are offsets into it.
    public let source: SourceFile
    /// The typed expression.
    public let expression: TypedExpression
}

extension ModelMatrix {
    /// Parses `predicate` as one expression and checks it under `combination` as a boolean predicate over the
    /// model's state. Diagnostics point into the predicate's text (`--start:1:7: error: unknown name 'X'`).
    public func checkPredicate(_ predicate: SourceFile, under combination: VariantAssignment) -> Result<CheckedPredicate, ModelErrors> {
        let (syntax, source, overrides) = (self.syntax, self.source, self.overrides)
        return LargeStack.run {
            let (parsed, diagnostics) = Parser.parseExpression(predicate)
            guard let expression = parsed, !diagnostics.hasErrors else { return .failure(ModelErrors(diagnostics.diagnostics)) }
            return TypeChecker.checkPredicate(expression, predicateSource: predicate, syntax: syntax, source: source,
                                              overrides: overrides, pins: combination.pins)
        }
    }
}
