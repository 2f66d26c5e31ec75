import PackedSystem

/// A trace laid out as a table: one row per step, one column per cell that changes somewhere in the trace,
/// with the cells that changed at each step marked. The HTML and Markdown renderers draw it.
public struct TraceTable: Sendable {
    /// One row: a step.
    public struct Row: Sendable {
        /// The step number (0 for the initial state).
        public let number: Int
        /// `action(args)`, or `initial state`.
        public let label: String
        /// The values of the table's columns.
        public let values: [String]
        /// Per column, whether the value differs from the previous step's.
        public let changed: [Bool]
        /// A remark: where the loop starts, or where it returns.
        public let remark: String?
    }

    /// Cell indices shown as columns.
    public let columns: [Int]
    /// Column titles (cell names).
    public let titles: [String]
    /// The rows.
    public let rows: [Row]
    /// Cells that keep one value throughout: name and value.
    public let constant: [(name: String, value: String)]
    /// The failing action's row text, when the trace ends with a failure.
    public let failure: String?
    /// A closing remark for lassos.
    public let ending: String?

    /// Lays out `trace` over cells named `cellNames`.
    public init(trace: Trace, cellNames: [String]) {
        let steps = trace.steps
        let cellCount = steps.first?.values.count ?? 0
        var varying: [Int] = []
        for cell in 0..<cellCount {
            guard let first = steps.first?.value(cell) else { continue }
            if steps.contains(where: { $0.value(cell) != first }) { varying.append(cell) }
        }
        // A trace without changes (a single state) shows every cell.
        let columns = varying.isEmpty ? Array(0..<cellCount) : varying
        self.columns = columns
        titles = columns.map { cellNames.name($0) }
        var rows: [Row] = []
        for (number, step) in steps.enumerated() {
            let values = columns.map { step.value($0) }
            let changed = columns.map { number > 0 && steps[number - 1].value($0) != step.value($0) }
            var remark: String?
            if let loopStart = trace.loopStart {
                if number == loopStart && number == steps.count - 1 {
                    remark = "stays in this state forever"
                } else if number == loopStart {
                    remark = "loop starts"
                } else if number == steps.count - 1 {
                    remark = "back to step \(loopStart)"
                }
            }
            rows.append(Row(number: number, label: step.label, values: values, changed: changed, remark: remark))
        }
        self.rows = rows
        if varying.isEmpty {
            constant = []
        } else {
            constant = (0..<cellCount).filter { !varying.contains($0) }.compactMap { cell in
                guard let value = steps.first?.value(cell) else { return nil }
                return (cellNames.name(cell), value)
            }
        }
        failure = trace.failure.map { "\($0.label) fails at line \($0.line):\($0.column): \($0.message)" }
        if let loopStart = trace.loopStart {
            ending = loopStart == steps.count - 1
                ? "The execution stays in the state of step \(loopStart) forever (no successor, or only steps that keep it)."
                : "The state after step \(steps.count - 1) is the state of step \(loopStart): the steps \(loopStart + 1) to "
                    + "\(steps.count - 1) repeat forever."
        } else {
            ending = nil
        }
    }
}

extension Trace {
    /// `lasso`, `N steps`, `N steps, ends with a failing action`.
    public var shapeDescription: String {
        if loopStart != nil { return "lasso, \(steps.count - 1) step\(steps.count == 2 ? "" : "s")" }
        let text = "\(length) step\(length == 1 ? "" : "s")"
        return failure == nil ? text : text + ", the last one fails"
    }
}

extension TraceStep {
    /// The formatted value of a cell, or `?` when the step has no such cell (a malformed trace never crashes a renderer).
    func value(_ cell: Int) -> String {
        cell >= 0 && cell < values.count ? values[cell] : "?"
    }
}

extension Array where Element == String {
    /// The element at `index`, or a placeholder naming the index.
    func name(_ index: Int) -> String {
        index >= 0 && index < count ? self[index] : "cell \(index)"
    }
}
