import ModelLanguage

/// Rewrites syntax trees with every source range zeroed (and, optionally, parentheses removed), so trees parsed
/// from different texts can be compared with `==`.
struct Normalizer {
    /// Whether `(e)` nodes are replaced by `e`.
    var dropParentheses = false

    private static let none = SourceRange(0, 0)

    func model(_ model: ModelSyntax) -> ModelSyntax {
        ModelSyntax(name: identifier(model.name), declarations: model.declarations.map(declaration))
    }

    func identifier(_ identifier: Identifier) -> Identifier { Identifier(identifier.name, Self.none) }

    func declaration(_ declaration: Declaration) -> Declaration {
        switch declaration {
        case .constant(let name, let value, _):
            return .constant(name: identifier(name), value: expression(value), range: Self.none)
        case .type(let name, let type, _):
            return .type(name: identifier(name), type: self.type(type), range: Self.none)
        case .variable(let name, let type, let initializer, _):
            let initial: Initializer
            switch initializer {
            case .value(let value): initial = .value(expression(value))
            case .oneOf(let values): initial = .oneOf(values.map(expression))
            case .any: initial = .any(Self.none)
            }
            return .variable(name: identifier(name), type: self.type(type), initializer: initial, range: Self.none)
        case .table(let name, let type, let body, _):
            return .table(name: identifier(name), type: self.type(type), body: table(body), range: Self.none)
        case .definition(let name, let parameters, let result, let body, _):
            return .definition(name: identifier(name), parameters: parameters.map(binding), result: result.map(type),
                               body: expression(body), range: Self.none)
        case .action(let name, let fair, let parameters, let guardExpression, let body, let emits, _):
            return .action(name: identifier(name), fair: fair, parameters: parameters.map(binding),
                           guard: guardExpression.map(expression), body: body.map(statement),
                           emits: emits.map { EmitClause(kind: identifier($0.kind), arguments: $0.arguments.map(expression),
                                                         condition: $0.condition.map(expression), range: Self.none) },
                           range: Self.none)
        case .entry(let name, let predicate, _):
            return .entry(name: identifier(name), predicate: expression(predicate), range: Self.none)
        case .property(let kind, let name, let predicate, let second, _):
            return .property(kind: kind, name: identifier(name), predicate: expression(predicate), second: second.map(expression),
                             range: Self.none)
        case .terminal(let predicate, _):
            return .terminal(expression(predicate), range: Self.none)
        case .expect(let name, let verdict, let meant, let condition, _):
            return .expect(name: identifier(name), verdict: verdict, meant: meant, condition: condition.map(expression), range: Self.none)
        case .variant(let name, let type, let values, _):
            return .variant(name: identifier(name), type: self.type(type), values: values.map { $0.map(expression) }, range: Self.none)
        case .expectDead(let action, let condition, _):
            return .expectDead(action: identifier(action), condition: condition.map(expression), range: Self.none)
        case .combination(let choices, _):
            return .combination(choices.map { VariantChoice(name: identifier($0.name), value: expression($0.value)) }, range: Self.none)
        }
    }

    func table(_ literal: TableLiteral) -> TableLiteral {
        switch literal {
        case .value(let value): return .value(expression(value))
        case .rows(let rows, _): return .rows(rows.map { (label: $0.label.map(expression), row: table($0.row)) }, Self.none)
        }
    }

    func binding(_ binding: Binding) -> Binding {
        Binding(name: identifier(binding.name), type: type(binding.type))
    }

    func type(_ type: TypeExpression) -> TypeExpression {
        switch type {
        case .bool: return .bool(Self.none)
        case .named(let name): return .named(identifier(name))
        case .range(let low, let high): return .range(expression(low), expression(high))
        case .enumeration(let cases, _): return .enumeration(cases.map(identifier), Self.none)
        case .scalarset(let size, _): return .scalarset(expression(size), Self.none)
        case .array(let indices, let element, _): return .array(indices.map(self.type), self.type(element), start: 0)
        }
    }

    func statement(_ statement: Statement) -> Statement {
        switch statement {
        case .assign(let target, let value, _):
            return .assign(target: expression(target), value: expression(value), range: Self.none)
        case .ifThen(let condition, let then, let otherwise, _):
            return .ifThen(condition: expression(condition), then: then.map(self.statement),
                           otherwise: otherwise.map { $0.map(self.statement) }, range: Self.none)
        case .chooseType(let binding, let filter, let body, _):
            return .chooseType(self.binding(binding), filter: filter.map(expression), body: body.map(self.statement), range: Self.none)
        case .chooseSet(let name, let values, let body, _):
            return .chooseSet(identifier(name), values: values.map(expression), body: body.map(self.statement), range: Self.none)
        case .letBinding(let name, let value, _):
            return .letBinding(identifier(name), expression(value), range: Self.none)
        case .assert(let name, let condition, let message, _):
            return .assert(name: name.map(identifier), condition: expression(condition), message: message, range: Self.none)
        }
    }

    func expression(_ expression: Expression) -> Expression {
        let kind: ExpressionKind
        switch expression.kind {
        case .integer, .boolean: kind = expression.kind
        case .name(let name): kind = .name(identifier(name))
        case .index(let base, let indices): kind = .index(self.expression(base), indices.map(self.expression))
        case .call(let name, let arguments): kind = .call(identifier(name), arguments.map(self.expression))
        case .unary(let op, let operand): kind = .unary(op, self.expression(operand))
        case .binary(let op, let left, let right): kind = .binary(op, self.expression(left), self.expression(right))
        case .member(let element, let values): kind = .member(self.expression(element), values.map(self.expression))
        case .conditional(let condition, let then, let otherwise):
            kind = .conditional(self.expression(condition), self.expression(then), self.expression(otherwise))
        case .quantifier(let quantifier, let bindings, let body): kind = .quantifier(quantifier, bindings.map(binding), self.expression(body))
        case .parenthesized(let inner):
            if dropParentheses { return self.expression(inner) }
            kind = .parenthesized(self.expression(inner))
        }
        return Expression(kind, Self.none)
    }
}
