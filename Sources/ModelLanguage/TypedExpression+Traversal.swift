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
