import PackedSystem

/// The coverage of a model's runs as one table, shared by the text, Markdown and HTML renderers: a row per ground
/// action (the union over the runs, in order of first appearance; a declaration without any ground instance gets
/// a row of its own, since it can never fire), a cell per run, and per run its dead and marked actions.
public struct CoverageTable: Sendable {
    /// One row: a ground action (or a declaration without instances) and its entry in each run.
    public struct Row: Sendable {
        /// `name(arg, ...)`, as in traces.
        public let label: String
        /// The declaration the row belongs to.
        public let action: String
        /// Per run, the entry; nil when that run has no such ground action (or no coverage).
        public let cells: [ActionCoverage?]
    }

    /// What one run says about dead actions.
    public struct RunSummary: Sendable {
        /// Whether the run has coverage at all (false when only the SMT engine ran).
        public let covered: Bool
        /// Whether every reachable state was explored (dead is only claimed then).
        public let complete: Bool
        /// Whether symmetry reduction was on (counts are over representatives).
        public let symmetry: Bool
        /// Dead declarations, in model order.
        public let dead: [String]
        /// Declarations an `expect dead` line marks in this run.
        public let marked: Set<String>
    }

    /// The rows, in order.
    public let rows: [Row]
    /// Per run, in run order.
    public let runs: [RunSummary]

    /// The table of a matrix; nil when no run has coverage.
    public init?(_ matrix: MatrixResult) {
        guard matrix.runs.contains(where: { $0.result.coverage != nil }) else { return nil }
        var order: [String] = []
        var actionOf: [String: String] = [:]
        var cells: [String: [ActionCoverage?]] = [:]
        let count = matrix.runs.count
        for (index, run) in matrix.runs.enumerated() {
            guard let coverage = run.result.coverage else { continue }
            var declared = Set(coverage.actions.map(\.action))
            for entry in coverage.actions {
                if cells[entry.label] == nil {
                    order.append(entry.label)
                    actionOf[entry.label] = entry.action
                    cells[entry.label] = Array(repeating: nil, count: count)
                }
                cells[entry.label]?[index] = entry
            }
            for declaration in coverage.declarations where declared.insert(declaration).inserted && cells[declaration] == nil {
                order.append(declaration)
                actionOf[declaration] = declaration
                cells[declaration] = Array(repeating: nil, count: count)
            }
        }
        // Rows grouped by declaration, in the order declarations first appear, so instances stay together.
        var declarations: [String] = []
        for label in order where !declarations.contains(actionOf[label] ?? label) { declarations.append(actionOf[label] ?? label) }
        rows = declarations.flatMap { declaration in
            order.filter { actionOf[$0] == declaration }.map {
                Row(label: $0, action: declaration, cells: cells[$0] ?? Array(repeating: nil, count: count))
            }
        }
        runs = matrix.runs.map { run in
            RunSummary(covered: run.result.coverage != nil, complete: run.result.coverage?.complete ?? false,
                       symmetry: run.result.coverage?.symmetry ?? false, dead: run.result.coverage?.deadActions ?? [],
                       marked: run.meantDead)
        }
    }

    /// `fired/new` (and `, N failed`): one run's cell as text; `-` when the run has no such ground action.
    public static func text(_ cell: ActionCoverage?) -> String {
        guard let cell else { return "-" }
        return "\(cell.fired)/\(cell.distinctStates)" + (cell.failures > 0 ? ", \(cell.failures) failed" : "")
    }

    /// Sentences about how to read the counts: what a cell means, symmetry, incomplete searches.
    public func notes(columnNames: [String]) -> [String] {
        var notes: [String] = []
        let symmetric = runs.indices.filter { runs[$0].symmetry }
        if !symmetric.isEmpty {
            notes.append("Symmetry reduction\(scope(symmetric, columnNames)): the counts are over one representative per class of "
                         + "symmetric states, so an instance can show 0 and still be enabled in the full space; only a whole "
                         + "action is called dead.")
        }
        let partial = runs.indices.filter { runs[$0].covered && !runs[$0].complete }
        if !partial.isEmpty {
            notes.append("The search stopped early\(scope(partial, columnNames)): the counts are partial and no action is called dead there.")
        }
        let uncovered = runs.indices.filter { !runs[$0].covered }
        if !uncovered.isEmpty { notes.append("No coverage\(scope(uncovered, columnNames)): only the SMT engine ran.") }
        return notes
    }

    /// Per dead or marked declaration, a sentence: which runs find it dead, whether `expect dead` marks it, and
    /// marked actions that fire.
    public func deadLines(columnNames: [String]) -> [String] {
        var declarations: [String] = []
        for run in runs {
            for name in run.dead where !declarations.contains(name) { declarations.append(name) }
        }
        for row in rows where runs.contains(where: { $0.marked.contains(row.action) }) && !declarations.contains(row.action) {
            declarations.append(row.action)
        }
        return declarations.map { name in
            let dead = runs.indices.filter { runs[$0].dead.contains(name) }
            let marked = runs.indices.filter { runs[$0].marked.contains(name) }
            let firing = marked.filter { index in rows.contains { $0.action == name && ($0.cells[index]?.fired ?? 0) > 0 } }
            var text = "\(name): "
            text += dead.isEmpty ? "live" : "dead (never enabled in a reachable state)" + scope(dead, columnNames)
            if !marked.isEmpty {
                text += firing.isEmpty ? ", marked 'expect dead'" + scope(marked, columnNames)
                    : ", marked 'expect dead' but fires" + scope(firing, columnNames)
            }
            return text
        }
    }

    /// ` in every combination`, or ` in #1, #3` (with a leading space); empty for a single run.
    private func scope(_ indices: [Int], _ columnNames: [String]) -> String {
        if runs.count == 1 { return "" }
        if indices.count == runs.count { return " in every combination" }
        return " in " + indices.map { $0 < columnNames.count ? columnNames[$0] : "#\($0 + 1)" }.joined(separator: ", ")
    }
}
