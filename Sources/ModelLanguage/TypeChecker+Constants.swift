/// Constant evaluation during checking: values that must be known before the search (bounds, sizes, overrides).
extension TypeChecker {
    mutating func constantValue(_ typed: TypedExpression, at range: SourceRange, expecting: ValueType? = nil) -> Int64? {
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

    func constantValueQuietly(_ typed: TypedExpression) -> Int64? {
        if case .success(let value) = ConstantEvaluator.evaluate(typed, tables: tables, definitions: definitions) { return value }
        return nil
    }
}
