import ModelLanguage
import PackedSystem

/// One execution shape of a ground action: every `choose` resolved to one alternative. `if` stays a run-time
/// branch. All expressions read the state before the action (parallel assignment).
indirect enum PathStatement {
    case assign(LoweredTarget, LoweredExpression)
    case ifThen(LoweredExpression, [PathStatement], [PathStatement])
    /// The chosen alternative of a `choose`: its filter and its body (the rest of the block follows it).
    case chosen(filter: LoweredExpression, body: [PathStatement], label: String)
    case assert(property: Int, LoweredExpression)
}

/// Translating one ground action into do-loop alternatives (one per combination of `choose` alternatives).
///
/// Each alternative is a single `d_step`: the guard, then the body, then the commit. Assignments go to hidden
/// temporaries (`vmc_tmp_x`), copied into the state at the end, whenever the body reads the variable after writing
/// it or can fail; a failed assertion or an out-of-domain store reports an assertion violation and clears the
/// hidden flag `vmc_ok`, so that nothing is committed: the step is a self-loop and adds no state, as vfio-mc's
/// failing executions produce no successor. The guard also requires that no chosen `choose` alternative's filter
/// is false on the way (vfio-mc's execution would produce nothing), so that deadlocks are the same.
struct PromelaActionWriter {
    let expressions: PromelaExpressions
    /// Per layout variable, its temporary's name.
    let temporaries: [String]
    /// The hidden flag cleared when an execution fails.
    let okFlag: String
    /// Per property index, the hidden flag its assertion checks.
    let assertionFlags: [Int: String]
    /// The flag of the built-in `bounds` property.
    let boundsFlag: String
    /// The most alternatives one ground action may give.
    static let maximumPaths = 4096

    private var system: TransitionSystem { expressions.system }

    /// Every execution shape of a block.
    static func paths(_ block: [LoweredStatement]) throws -> [[PathStatement]] {
        var results: [[PathStatement]] = [[]]
        for statement in block {
            switch statement {
            case .assign(let target, let value, _):
                results = results.map { $0 + [.assign(target, value)] }
            case .assert(let property, let condition, _):
                results = results.map { $0 + [.assert(property: property, condition)] }
            case .ifThen(let condition, let then, let otherwise):
                let thenPaths = try paths(then)
                let elsePaths = try paths(otherwise)
                results = results.flatMap { prefix in
                    thenPaths.flatMap { a in elsePaths.map { b in prefix + [.ifThen(condition, a, b)] } }
                }
            case .choose(let alternatives):
                var next: [[PathStatement]] = []
                for prefix in results {
                    for alternative in alternatives {
                        for body in try paths(alternative.body) {
                            next.append(prefix + [.chosen(filter: alternative.filter, body: body, label: alternative.label)])
                        }
                    }
                }
                results = next
            }
            if results.count > maximumPaths {
                throw PromelaExportError.tooManyChooseCombinations(limit: maximumPaths)
            }
        }
        return results
    }

    /// The labels of the chosen alternatives along a path (for comments).
    static func labels(_ path: [PathStatement]) -> [String] {
        path.flatMap { statement -> [String] in
            switch statement {
            case .chosen(_, let body, let label): return (label.isEmpty ? [] : [label]) + labels(body)
            case .ifThen(_, let a, let b): return labels(a) + labels(b)
            default: return []
            }
        }
    }

    // MARK: Analysis

    /// (proceeds, stuck) of a block: `proceeds` is true when it runs to its end without failing or getting stuck,
    /// `stuck` when a chosen filter is false before any failure.
    private func outcome(_ block: [PathStatement]) -> (proceeds: LoweredExpression, stuck: LoweredExpression) {
        var proceeds = LoweredExpression.truth
        var stuck = LoweredExpression.falsity
        for statement in block {
            let (p, s) = outcome(statement)
            stuck = LoweredExpression.or(stuck, LoweredExpression.and(proceeds, s))
            proceeds = LoweredExpression.and(proceeds, p)
        }
        return (proceeds, stuck)
    }

    private func outcome(_ statement: PathStatement) -> (proceeds: LoweredExpression, stuck: LoweredExpression) {
        switch statement {
        case .assign(let target, let value):
            return (storeSucceeds(target, value), LoweredExpression.falsity)
        case .assert(_, let condition):
            return (condition, LoweredExpression.falsity)
        case .ifThen(let condition, let a, let b):
            let (pa, sa) = outcome(a)
            let (pb, sb) = outcome(b)
            return (LoweredExpression.booleanIte(condition, pa, pb), LoweredExpression.booleanIte(condition, sa, sb))
        case .chosen(let filter, let body, _):
            let (p, s) = outcome(body)
            return (LoweredExpression.and(filter, p), LoweredExpression.or(LoweredExpression.not(filter), s))
        }
    }

    /// The condition that a store succeeds: the value fits the cell's type and computed indices are in range.
    private func storeSucceeds(_ target: LoweredTarget, _ value: LoweredExpression) -> LoweredExpression {
        switch target {
        case .field(let index):
            return fitsExpression(value, system.layout.fields[index].type)
        case .cell(let variable, let indices):
            let info = system.layout.variables[variable].info
            var condition = fitsExpression(value, info.elementType)
            for (index, type) in zip(indices, info.indexTypes) { condition = LoweredExpression.and(condition, fitsExpression(index, type)) }
            return condition
        }
    }

    private func fitsExpression(_ value: LoweredExpression, _ type: FiniteType) -> LoweredExpression {
        if expressions.fits(value, type) { return LoweredExpression.truth }
        let values = ValueRanges.interval(type)
        return LoweredExpression.and(.binary(.lessEqual, .constant(values.lowerBound), value),
                                     .binary(.lessEqual, value, .constant(values.upperBound)))
    }

    private func containsChecks(_ block: [PathStatement]) -> Bool {
        block.contains { statement in
            switch statement {
            case .assert: return true
            case .assign(let target, let value): return storeSucceeds(target, value) != LoweredExpression.truth
            case .ifThen(_, let a, let b): return containsChecks(a) || containsChecks(b)
            case .chosen(_, let body, _): return containsChecks(body)
            }
        }
    }

    /// Per written variable: the cells written at fixed positions, or nil when some write has computed indices.
    private func writes(_ block: [PathStatement], into result: inout [Int: Set<Int>?]) {
        for statement in block {
            switch statement {
            case .assign(.field(let index), _):
                let owner = expressions.fieldOwners[index]
                if let existing = result[owner.variable] {
                    if var cells = existing {
                        cells.insert(owner.cell)
                        result[owner.variable] = .some(cells)
                    }
                } else {
                    result[owner.variable] = .some([owner.cell])
                }
            case .assign(.cell(let variable, _), _):
                result[variable] = .some(nil)
            case .ifThen(_, let a, let b):
                writes(a, into: &result)
                writes(b, into: &result)
            case .chosen(_, let body, _):
                writes(body, into: &result)
            case .assert:
                break
            }
        }
    }

    /// The variables the block reads (through any expression).
    func readVariables(_ block: [PathStatement]) -> Set<Int> {
        var result: Set<Int> = []
        func read(_ expression: LoweredExpression) { result.formUnion(expression.variablesRead(in: system.layout)) }
        func visit(_ block: [PathStatement]) {
            for statement in block {
                switch statement {
                case .assign(let target, let value):
                    read(value)
                    if case .cell(_, let indices) = target { indices.forEach(read) }
                case .assert(_, let condition):
                    read(condition)
                case .ifThen(let condition, let a, let b):
                    read(condition)
                    visit(a)
                    visit(b)
                case .chosen(let filter, let body, _):
                    read(filter)
                    visit(body)
                }
            }
        }
        visit(block)
        return result
    }

    // MARK: Emission

    /// The do-loop alternatives of a ground action (each a list of lines, without the loop's indentation).
    func alternatives(_ action: GroundAction) throws -> [[String]] {
        let paths = try Self.paths(action.body)
        var result: [[String]] = []
        for path in paths {
            let (_, stuck) = outcome(path)
            if LoweredExpression.and(action.guardExpression, LoweredExpression.not(stuck)) == LoweredExpression.falsity { continue }
            var comment = action.label
            let chosen = Self.labels(path)
            if !chosen.isEmpty { comment += ", choosing " + chosen.joined(separator: ", ") }
            result.append(alternative(guard: action.guardExpression, stuck: stuck, path: path, comment: comment,
                                      known: expressions.knownRanges(action.guardExpression)))
        }
        return result
    }

    private func alternative(guard guardExpression: LoweredExpression, stuck: LoweredExpression, path: [PathStatement],
                             comment: String, known: [Int: ClosedRange<Int64>]) -> [String] {
        let checked = containsChecks(path)
        var written: [Int: Set<Int>?] = [:]
        writes(path, into: &written)
        let read = readVariables(path)
        // Temporaries for every written variable when the step can fail (nothing may be committed then), else only
        // for variables read after they may have been written.
        let buffered = Set(written.keys.filter { checked || read.contains($0) })
        // The guard, then (evaluated only where it holds) the condition that no chosen filter is false.
        var guardText = expressions.text(guardExpression, hint: .bool)
        if stuck != LoweredExpression.falsity {
            let proceeds = expressions.text(LoweredExpression.not(stuck), hint: .bool, known: known)
            guardText = guardExpression == LoweredExpression.truth ? proceeds : "(\(guardText) && \(proceeds))"
        }
        var lines = ["/* \(comment) */", ":: d_step { " + guardText + " ->"]
        var body: [String] = []
        if checked { body.append("\(okFlag) = 1;") }
        for variable in written.keys.sorted() where buffered.contains(variable) {
            for cell in cells(variable, written[variable] ?? nil) {
                body.append("\(expressions.storage(variable: variable, cell: cell, prefix: temporaries[variable])) = "
                            + "\(expressions.storage(variable: variable, cell: cell));")
            }
        }
        body += statements(path, buffered: buffered, checked: checked, known: known)
        var commit: [String] = []
        for variable in written.keys.sorted() where buffered.contains(variable) {
            for cell in cells(variable, written[variable] ?? nil) {
                commit.append("\(expressions.storage(variable: variable, cell: cell)) = "
                              + "\(expressions.storage(variable: variable, cell: cell, prefix: temporaries[variable]));")
            }
        }
        if checked && !commit.isEmpty {
            body.append("if")
            body.append(":: \(okFlag) ->")
            body += Self.terminate(commit).map { "     " + $0 }
            body.append(":: else -> skip")
            body.append("fi")
        } else {
            body += commit
        }
        if body.isEmpty { body = ["skip"] }
        // Promela separates statements with ';' and does not allow one before '}' or 'fi' after the last statement
        // of a sequence; strip the separator of the last line of each sequence.
        lines += Self.terminate(body).map { "     " + $0 }
        lines.append("   }")
        return lines
    }

    /// The cells of a variable a step copies: the written ones, or all of them.
    private func cells(_ variable: Int, _ fixed: Set<Int>?) -> [Int] {
        if let fixed { return fixed.sorted() }
        return Array(0..<system.layout.variables[variable].info.cellCount)
    }

    private func statements(_ block: [PathStatement], buffered: Set<Int>, checked: Bool,
                            known: [Int: ClosedRange<Int64>]) -> [String] {
        var lines: [String] = []
        for statement in block {
            switch statement {
            case .assign(let target, let value):
                let (variable, text, type): (Int, String, FiniteType)
                switch target {
                case .field(let index):
                    let owner = expressions.fieldOwners[index]
                    variable = owner.variable
                    text = expressions.storage(variable: owner.variable, cell: owner.cell,
                                               prefix: buffered.contains(owner.variable) ? temporaries[owner.variable] : nil)
                    type = system.layout.fields[index].type
                case .cell(let cellVariable, let indices):
                    variable = cellVariable
                    text = expressions.storage(variable: cellVariable, indices: indices,
                                               prefix: buffered.contains(cellVariable) ? temporaries[cellVariable] : nil)
                    type = system.layout.variables[cellVariable].info.elementType
                }
                let rendered = expressions.text(value, hint: type, known: known)
                let store = "\(text) = \(expressions.stored(value: rendered, offset: expressions.variableOffsets[variable]))"
                let succeeds = storeSucceeds(target, value)
                if succeeds == LoweredExpression.truth {
                    lines.append(store + ";")
                } else {
                    let condition = expressions.text(succeeds, hint: .bool, known: known)
                    lines.append("if")
                    lines.append(":: (\(okFlag) && \(condition)) -> \(store)")
                    lines.append(":: (\(okFlag) && !\(condition)) -> \(boundsFlag) = 0; assert(\(boundsFlag)); \(okFlag) = 0")
                    lines.append(":: else -> skip")
                    lines.append("fi;")
                }
            case .assert(let property, let condition):
                let flag = assertionFlags[property] ?? boundsFlag
                lines.append("\(flag) = \(expressions.text(condition, hint: .bool, known: known));")
                lines.append("if")
                lines.append(":: (\(okFlag) && !\(flag)) -> assert(\(flag)); \(okFlag) = 0")
                lines.append(":: else -> skip")
                lines.append("fi;")
            case .ifThen(let condition, let a, let b):
                let thenLines = statements(a, buffered: buffered, checked: checked, known: known)
                let elseLines = statements(b, buffered: buffered, checked: checked, known: known)
                lines.append("if")
                lines.append(":: \(expressions.text(condition, hint: .bool, known: known)) ->")
                lines += Self.terminate(thenLines.isEmpty ? ["skip"] : thenLines).map { "     " + $0 }
                lines.append(":: else ->")
                lines += Self.terminate(elseLines.isEmpty ? ["skip"] : elseLines).map { "     " + $0 }
                lines.append("fi;")
            case .chosen(_, let body, let label):
                if !label.isEmpty { lines.append("/* choose \(label) */") }
                lines += statements(body, buffered: buffered, checked: checked, known: known)
            }
        }
        return lines
    }

    /// Removes the separator after the last statement of a sequence (ignoring trailing comments).
    static func terminate(_ lines: [String]) -> [String] {
        var result = lines
        for index in result.indices.reversed() {
            let line = result[index]
            if line.hasPrefix("/*") { continue }
            if line.hasSuffix(";") { result[index].removeLast() }
            break
        }
        return result
    }
}
