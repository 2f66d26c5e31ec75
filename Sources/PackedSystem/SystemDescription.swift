import ModelLanguage

/// Human-readable descriptions of what the checker sees: the layout, the ground actions and their code.
public struct SystemDescription: Sendable {
    /// The system described.
    public let system: TransitionSystem

    /// Creates a description.
    public init(_ system: TransitionSystem) { self.system = system }

    /// The `vfio-mc dump` text.
    public var text: String {
        var lines: [String] = []
        let layout = system.layout
        lines.append("model \(system.name): \(layout.wordCount) word\(layout.wordCount == 1 ? "" : "s") per state, \(layout.usedBits) bits used")
        lines.append("")
        var rows = [["cell", "word", "offset", "width", "type"]]
        for (index, name) in system.cellNames.enumerated() {
            let field = layout.fields[index]
            rows.append([name, String(field.word), String(field.shift), String(field.width), field.type.description])
        }
        lines += Self.table(rows)
        lines.append("")
        lines.append("initial states: \(system.initialStates.count)")
        lines.append("ground actions: \(system.actions.count) (\(system.code.instructionCount) instructions in all)")
        for action in system.actions {
            lines.append("  \(action.fair ? "fair " : "")\(action.label)")
            lines.append("    when \(describe(action.guardExpression))")
            if !action.emissions.isEmpty {
                lines.append("    emits " + action.emissions.map { emission in
                    emission.kind.rawValue + (emission.condition == nil ? "" : " (conditional)")
                }.joined(separator: ", ") + ", read on the state it leaves")
            }
            lines += describe(action.body, indent: "    ")
        }
        lines.append("")
        lines.append("properties:")
        for property in system.properties {
            var line = "  \(property.info.kind.rawValue) \(property.info.name)"
            if let predicate = property.predicate { line += ": \(describe(predicate))" }
            if let target = property.target { line += " ~> \(describe(target))" }
            lines.append(line)
        }
        lines.append("terminal: \(describe(system.terminal))")
        for entry in system.entries { lines.append("entry \(entry.name): \(describe(entry.predicate))") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func table(_ rows: [[String]]) -> [String] {
        var widths = Array(repeating: 0, count: rows.first?.count ?? 0)
        for row in rows { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        return rows.map { row in
            "  " + row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }

    /// Statements, one per line.
    public func describe(_ statements: [LoweredStatement], indent: String) -> [String] {
        var lines: [String] = []
        for statement in statements {
            switch statement {
            case .assign(let target, let value, _):
                lines.append(indent + describe(target) + " := " + describe(value))
            case .ifThen(let condition, let then, let otherwise):
                lines.append(indent + "if " + describe(condition) + " {")
                lines += describe(then, indent: indent + "  ")
                if !otherwise.isEmpty {
                    lines.append(indent + "} else {")
                    lines += describe(otherwise, indent: indent + "  ")
                }
                lines.append(indent + "}")
            case .choose(let alternatives):
                lines.append(indent + "choose one of \(alternatives.count) {")
                for alternative in alternatives {
                    lines.append(indent + "  when " + describe(alternative.filter) + (alternative.label.isEmpty ? "" : "  // \(alternative.label)") + ":")
                    lines += describe(alternative.body, indent: indent + "    ")
                }
                lines.append(indent + "}")
            case .assert(let property, let condition, _):
                lines.append(indent + "assert \(system.properties[property].info.name): " + describe(condition))
            }
        }
        return lines
    }

    func describe(_ target: LoweredTarget) -> String {
        switch target {
        case .field(let index): return system.cellNames[index]
        case .cell(let variable, let indices):
            return system.layout.variables[variable].info.name + indices.map { "[\(describe($0))]" }.joined()
        }
    }

    /// An expression in model syntax, with cells by name.
    public func describe(_ expression: LoweredExpression) -> String {
        switch expression {
        case .constant(let value): return String(value)
        case .field(let index): return system.cellNames[index]
        case .cell(let variable, let indices):
            return system.layout.variables[variable].info.name + indices.map { "[\(describe($0))]" }.joined()
        case .table(let table, let indices):
            return system.model.tables[table].name + indices.map { "[\(describe($0))]" }.joined()
        case .unary(let op, let operand): return op.rawValue + parenthesized(operand)
        case .binary(let op, let l, let r): return parenthesized(l) + " " + op.rawValue + " " + parenthesized(r)
        case .member(let element, let values):
            return parenthesized(element) + " in {" + values.map(String.init).joined(separator: ", ") + "}"
        case .conditional(let c, let a, let b):
            return "if " + describe(c) + " then " + describe(a) + " else " + describe(b)
        }
    }

    private func parenthesized(_ expression: LoweredExpression) -> String {
        switch expression {
        case .binary, .conditional, .member: return "(" + describe(expression) + ")"
        default: return describe(expression)
        }
    }
}
