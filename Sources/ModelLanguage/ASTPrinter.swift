/// Prints a parsed model (`ModelSyntax`) back to `.vmc` source.
///
/// The output has one declaration per line, action bodies indented by two spaces per level, and parentheses
/// wherever the tree would otherwise parse differently: an operand looser than its operator, the right operand
/// of a left-associative operator at the same level, and a conditional or quantifier (whose last part extends
/// as far to the right as possible) followed by anything an expression could absorb. Parentheses written in
/// the source are kept (they are `.parenthesized` nodes). For a tree produced by the parser, parsing the output
/// gives the same tree up to source ranges, so printing is a fixpoint after one round.
public enum ASTPrinter {
    /// The model as source text, ending with a newline.
    public static func print(_ model: ModelSyntax) -> String {
        LargeStack.run {
            var printer = Printer()
            printer.model(model)
            return printer.output
        }
    }

    /// One declaration as source text (several lines for an action or a table), without a final newline.
    public static func print(_ declaration: Declaration) -> String {
        LargeStack.run {
            var printer = Printer()
            printer.declaration(declaration)
            return String(printer.output.dropLast())
        }
    }

    /// An expression as source text, parenthesised as needed to parse back to the same tree.
    public static func print(_ expression: Expression) -> String {
        LargeStack.run { Printer.expression(expression, minimum: .implication).text }
    }

    /// A type as source text.
    public static func print(_ type: TypeExpression) -> String {
        LargeStack.run { Printer.type(type) }
    }
}

/// Binding strength of expression forms, loosest first (the parser's levels).
private enum Level: Int, Comparable {
    case implication, or, and, not, comparison, additive, multiplicative, negate, postfix, primary

    static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The next tighter level.
    var tighter: Level { Level(rawValue: rawValue + 1) ?? .primary }

    static func of(_ op: BinaryOperator) -> Level {
        switch op {
        case .implies, .equivalent: return .implication
        case .or: return .or
        case .and: return .and
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return .comparison
        case .add, .subtract: return .additive
        case .multiply, .divide, .remainder: return .multiplicative
        }
    }
}

/// Printed expression text. `open` means it ends with a conditional or quantifier that is not parenthesised,
/// so an operator written after it would be absorbed into that last part.
private struct Printed {
    var text: String
    var open: Bool
}

private struct Printer {
    var output = ""
    private var indentation = 0

    // MARK: Declarations

    mutating func model(_ model: ModelSyntax) {
        output += "model \(model.name.name)\n"
        if !model.declarations.isEmpty { output += "\n" }
        for declaration in model.declarations { self.declaration(declaration) }
    }

    mutating func declaration(_ declaration: Declaration) {
        switch declaration {
        case .constant(let name, let value, _):
            line("const \(name.name) = \(Self.expression(value, minimum: .implication).text)")
        case .type(let name, let type, _):
            line("type \(name.name) = \(Self.type(type))")
        case .variable(let name, let type, let initializer, _):
            let initial: String
            switch initializer {
            case .value(let value): initial = "= " + Self.expression(value, minimum: .implication).text
            case .oneOf(let values): initial = "in " + Self.set(values)
            case .any: initial = "= any"
            }
            line("var \(name.name): \(Self.type(type)) \(initial)")
        case .table(let name, let type, let body, _):
            table("table \(name.name): \(Self.type(type)) = ", body)
        case .definition(let name, let parameters, let result, let body, _):
            var head = "def \(name.name)"
            if !parameters.isEmpty { head += Self.parameters(parameters) }
            if let result { head += ": " + Self.type(result) }
            line(head + " = " + Self.expression(body, minimum: .implication).text)
        case .action(let name, let fair, let parameters, let guardExpression, let body, let emits, _):
            var head = (fair ? "fair " : "") + "action \(name.name)"
            if !parameters.isEmpty { head += Self.parameters(parameters) }
            if let guardExpression { head += " when " + Self.expression(guardExpression, minimum: .implication).text }
            if !emits.isEmpty {
                head += " emits " + emits.map { clause in
                    clause.kind.name + "(" + clause.arguments.map { Self.expression($0, minimum: .implication).text }.joined(separator: ", ") + ")"
                        + (clause.condition.map { " if " + Self.expression($0, minimum: .implication).text } ?? "")
                }.joined(separator: ", ")
            }
            block(head, body, closing: "")
        case .property(let kind, let name, let predicate, let second, _):
            var text = "\(kind.rawValue) \(name.name): \(Self.expression(predicate, minimum: .implication).text)"
            if let second { text += " ~> " + Self.expression(second, minimum: .implication).text }
            line(text)
        case .terminal(let predicate, _):
            line("terminal " + Self.expression(predicate, minimum: .implication).text)
        case .entry(let name, let predicate, _):
            line("entry \(name.name): " + Self.expression(predicate, minimum: .implication).text)
        case .expect(let name, let verdict, let meant, let condition, _):
            line("expect \(name.name) \(verdict.rawValue)" + (meant.map { " " + $0.rawValue } ?? "") + (condition.map { " when " + Self.expression($0, minimum: .implication).text } ?? ""))
        case .expectDead(let action, let condition, _):
            line("expect dead \(action.name)" + (condition.map { " when " + Self.expression($0, minimum: .implication).text } ?? ""))
        case .variant(let name, let type, let values, _):
            line("variant \(name.name): \(Self.type(type))" + (values.map { " in " + Self.set($0) } ?? ""))
        case .combination(let choices, _):
            line("combination " + choices.map { "\($0.name.name) = " + Self.expression($0.value, minimum: .implication).text }.joined(separator: ", "))
        }
    }

    private mutating func line(_ text: String) {
        output += String(repeating: "  ", count: indentation) + text + "\n"
    }

    // MARK: Tables

    /// A table: rows of rows on separate lines (one per outermost row), a single row inline.
    private mutating func table(_ head: String, _ body: TableLiteral) {
        guard case .rows(let rows, _) = body, rows.contains(where: { if case .rows = $0.row { return true } else { return false } }) else {
            line(head + Self.tableLiteral(body))
            return
        }
        line(head + "{")
        indentation += 1
        for row in rows { line(Self.tableRow(row) + ",") }
        indentation -= 1
        line("}")
    }

    private static func tableRow(_ row: (label: Expression?, row: TableLiteral)) -> String {
        let value = tableLiteral(row.row)
        guard let label = row.label else { return value }
        return expression(label, minimum: .implication).text + ": " + value
    }

    private static func tableLiteral(_ literal: TableLiteral) -> String {
        switch literal {
        case .value(let value): return expression(value, minimum: .implication).text
        case .rows(let rows, _):
            if rows.isEmpty { return "{}" }
            return "{ " + rows.map(tableRow).joined(separator: ", ") + " }"
        }
    }

    // MARK: Statements

    /// `head {`, the statements indented, then `}` followed by `closing`. With `continuing`, the first line
    /// continues the current output line (for `} else {`).
    private mutating func block(_ head: String, _ statements: [Statement], closing: String, continuing: Bool = false) {
        let first = statements.isEmpty ? head + " { }" + closing : head + " {"
        if continuing { output += first + "\n" } else { line(first) }
        guard !statements.isEmpty else { return }
        indentation += 1
        for (position, statement) in statements.enumerated() {
            // A statement whose target starts with '(' would be read as the arguments of a call ending the
            // previous statement; a semicolon keeps them apart.
            let separate = position + 1 < statements.count && Self.startsWithParenthesis(statements[position + 1])
            self.statement(statement, terminator: separate ? ";" : "")
        }
        indentation -= 1
        line("}" + closing)
    }

    private static func startsWithParenthesis(_ statement: Statement) -> Bool {
        guard case .assign(let target, _, _) = statement else { return false }
        return target.text(minimum: .postfix).hasPrefix("(")
    }

    private mutating func statement(_ statement: Statement, terminator: String) {
        switch statement {
        case .assign(let target, let value, _):
            line(target.text(minimum: .postfix) + " := " + Self.expression(value, minimum: .implication).text + terminator)
        case .ifThen(let condition, let then, let otherwise, _):
            ifStatement(head: "if " + Self.expression(condition, minimum: .implication).text, then, otherwise, terminator, continuing: false)
        case .chooseType(let binding, let filter, let body, _):
            var head = "choose \(binding.name.name): \(Self.type(binding.type))"
            if let filter { head += " where " + Self.expression(filter, minimum: .implication).text }
            block(head, body, closing: terminator)
        case .chooseSet(let name, let values, let body, _):
            block("choose \(name.name) in \(Self.set(values))", body, closing: terminator)
        case .letBinding(let name, let value, _):
            line("let \(name.name) = " + Self.expression(value, minimum: .implication).text + terminator)
        case .assert(let name, let condition, let message, _):
            var condition = Self.expression(condition, minimum: .implication).text
            if name == nil, message != nil, Self.isIdentifier(condition) {
                // `assert x : "m"` would read `x` as the assertion's name.
                condition = "(" + condition + ")"
            }
            var text = "assert "
            if let name { text += name.name + ": " }
            text += condition
            if let message { text += " : " + Self.quoted(message) }
            line(text + terminator)
        }
    }

    /// `if C { ... } else if D { ... } else { ... }`: an else branch made of one `if` prints as `else if`.
    private mutating func ifStatement(head: String, _ then: [Statement], _ otherwise: [Statement]?, _ terminator: String,
                                      continuing: Bool) {
        guard let otherwise else {
            block(head, then, closing: terminator, continuing: continuing)
            return
        }
        block(head, then, closing: "", continuing: continuing)
        removeLastNewline()
        output += " "
        if otherwise.count == 1, case .ifThen(let condition, let nestedThen, let nestedOtherwise, _) = otherwise[0] {
            ifStatement(head: "else if " + Self.expression(condition, minimum: .implication).text, nestedThen, nestedOtherwise,
                        terminator, continuing: true)
        } else {
            block("else", otherwise, closing: terminator, continuing: true)
        }
    }

    private mutating func removeLastNewline() {
        if output.hasSuffix("\n") { output.removeLast() }
    }

    private static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
            && Keyword(rawValue: text) == nil
    }

    /// A string literal: `"` and `\` escaped (the only escapes the lexer knows).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }

    // MARK: Types, parameters, sets

    static func type(_ type: TypeExpression) -> String {
        switch type {
        case .bool: return "bool"
        case .named(let identifier): return identifier.name
        case .range(let low, let high):
            // Bounds are additive expressions; closed, since `in` may follow a variable's type.
            return low.text(minimum: .additive, closed: true) + ".." + high.text(minimum: .additive, closed: true)
        case .enumeration(let cases, _):
            return cases.isEmpty ? "enum { }" : "enum { " + cases.map(\.name).joined(separator: ", ") + " }"
        case .scalarset(let size, _):
            return "scalarset(" + expression(size, minimum: .implication).text + ")"
        case .array(let indices, let element, _):
            return indices.map { "[" + Self.type($0) + "]" }.joined() + " " + Self.type(element)
        }
    }

    static func parameters(_ bindings: [Binding]) -> String {
        "(" + bindings.map(binding).joined(separator: ", ") + ")"
    }

    static func binding(_ binding: Binding) -> String {
        binding.name.name + ": " + type(binding.type)
    }

    static func set(_ values: [Expression]) -> String {
        if values.isEmpty { return "{}" }
        return "{ " + values.map { expression($0, minimum: .implication).text }.joined(separator: ", ") + " }"
    }

    // MARK: Expressions

    /// Prints `expression` so that it parses at `minimum` (or tighter).
    static func expression(_ expression: Expression, minimum: Level) -> Printed {
        let (printed, level) = bare(expression)
        if level < minimum { return Printed(text: "(" + printed.text + ")", open: false) }
        return printed
    }

    /// Prints `expression` so that it parses at `minimum` and cannot absorb what follows it.
    static func closed(_ expression: Expression, minimum: Level) -> String {
        let printed = self.expression(expression, minimum: minimum)
        return printed.open ? "(" + printed.text + ")" : printed.text
    }

    /// The expression without outer parentheses, and the level it parses at.
    private static func bare(_ expression: Expression) -> (Printed, Level) {
        switch expression.kind {
        case .integer(let value):
            // The lexer makes only non-negative literals; a negative one prints as a negation.
            return (Printed(text: String(value), open: false), value < 0 ? .negate : .primary)
        case .boolean(let value):
            return (Printed(text: value ? "true" : "false", open: false), .primary)
        case .name(let identifier):
            return (Printed(text: identifier.name, open: false), .primary)
        case .call(let identifier, let arguments):
            let text = identifier.name + "(" + arguments.map { self.expression($0, minimum: .implication).text }.joined(separator: ", ") + ")"
            return (Printed(text: text, open: false), .primary)
        case .parenthesized(let inner):
            return (Printed(text: "(" + self.expression(inner, minimum: .implication).text + ")", open: false), .primary)
        case .index(let base, let indices):
            let text = closed(base, minimum: .primary)
                + indices.map { "[" + self.expression($0, minimum: .implication).text + "]" }.joined()
            return (Printed(text: text, open: false), .postfix)
        case .unary(let op, let operand):
            let level: Level = op == .not ? .not : .negate
            let inner = self.expression(operand, minimum: level)
            // `- -x` rather than `--x`, for people.
            let separator = op == .negate && inner.text.hasPrefix("-") ? " " : ""
            return (Printed(text: op.rawValue + separator + inner.text, open: inner.open), level)
        case .binary(let op, let left, let right):
            return binary(op, left, right)
        case .member(let element, let values):
            return (Printed(text: closed(element, minimum: .additive) + " in " + set(values), open: false), .comparison)
        case .conditional(let condition, let then, let otherwise):
            let text = "if " + self.expression(condition, minimum: .implication).text
                + " then " + self.expression(then, minimum: .implication).text
                + " else " + self.expression(otherwise, minimum: .implication).text
            return (Printed(text: text, open: true), .primary)
        case .quantifier(let kind, let bindings, let body):
            let text = kind.rawValue + " " + bindings.map(binding).joined(separator: ", ") + ". "
                + self.expression(body, minimum: .implication).text
            return (Printed(text: text, open: true), .primary)
        }
    }

    private static func binary(_ op: BinaryOperator, _ left: Expression, _ right: Expression) -> (Printed, Level) {
        let level = Level.of(op)
        switch level {
        case .implication:
            // Right-associative: `a -> b -> c` is `a -> (b -> c)`.
            let right = expression(right, minimum: .implication)
            return (Printed(text: closed(left, minimum: .or) + " \(op.rawValue) " + right.text, open: right.open), level)
        case .comparison:
            // Non-associative: both operands are additive.
            let right = expression(right, minimum: .additive)
            return (Printed(text: closed(left, minimum: .additive) + " \(op.rawValue) " + right.text, open: right.open), level)
        default:
            // Left-associative: walk the left spine iteratively, so long chains do not recurse deeply.
            var operands: [(BinaryOperator, Expression)] = [(op, right)]
            var base = left
            while case .binary(let inner, let innerLeft, let innerRight) = base.kind, Level.of(inner) == level {
                operands.append((inner, innerRight))
                base = innerLeft
            }
            var text = closed(base, minimum: level)
            var open = false
            for (index, (operation, operand)) in operands.reversed().enumerated() {
                let last = index == operands.count - 1
                if last {
                    let printed = expression(operand, minimum: level.tighter)
                    text += " \(operation.rawValue) " + printed.text
                    open = printed.open
                } else {
                    text += " \(operation.rawValue) " + closed(operand, minimum: level.tighter)
                }
            }
            return (Printed(text: text, open: open), level)
        }
    }
}

private extension Expression {
    func text(minimum: Level, closed: Bool = true) -> String {
        closed ? Printer.closed(self, minimum: minimum) : Printer.expression(self, minimum: minimum).text
    }
}
