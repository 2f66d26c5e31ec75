import ModelLanguage
import PackedSystem

/// Translates a whole model into Promela, so that SPIN can reproduce vfio-mc's results (docs/reviewing.md,
/// "Export"). For a model without scalarsets, SPIN stores exactly as many states as vfio-mc:
///
/// - one process whose only control location is the head of one do-loop; every alternative is one `d_step`
///   (guard, body, commit), so SPIN's state vector holds the model's variables and a constant process header;
/// - one alternative per ground action and combination of `choose` alternatives; parallel assignment uses hidden
///   temporaries (not part of the state vector); a failing execution (assertion, bounds) reports an assertion
///   violation and commits nothing, a self-loop that adds no state;
/// - the first initial state is the declared one; each other initial state is reached by an alternative enabled
///   only in the first (it adds transitions, no states; it hides a deadlock of the first initial state only);
/// - `terminal` states get a self-loop, so that SPIN reports as invalid end states exactly vfio-mc's deadlocks;
/// - each invariant is checked by an alternative enabled only where it is false (a self-loop with a failing
///   assertion); reachable goals the same way under `#ifdef GOAL_<name>`; `eventually` and `leadsto` properties
///   become LTL formulas under `#ifdef LTL` (without vfio-mc's per-action weak fairness, which SPIN's process-level
///   fairness cannot express).
public enum PromelaTranslator {
    /// The most initial states translated (each other than the first is one alternative).
    public static let maximumInitialStates = 4096

    /// The Promela text. `sourceName` is shown in the header comment.
    public static func translate(_ system: TransitionSystem, sourceName: String) throws -> String {
        guard system.initialStates.count <= maximumInitialStates else {
            throw PromelaExportError.tooManyInitialStates(file: sourceName, count: system.initialStates.count,
                                                          limit: maximumInitialStates)
        }
        guard let first = system.initialStates.first else {
            throw PromelaExportError.noInitialState(file: sourceName)
        }
        var names = PromelaNames()
        let expressions = PromelaExpressions(system: system, names: &names)
        let layout = system.layout
        let temporaries = layout.variables.map { names.helper("tmp_" + $0.info.name) }
        let okFlag = names.helper("ok")
        let liveFlag = names.helper("live")
        var assertionFlags: [Int: String] = [:]
        var boundsFlag = ""
        for (index, property) in system.properties.enumerated() {
            switch property.info.kind {
            case .assertion, .invariant: assertionFlags[index] = names.helper("holds_" + property.info.name)
            case .bounds: boundsFlag = names.helper("holds_bounds")
            case .reachable: assertionFlags[index] = names.helper("reached_" + property.info.name)
            default: break
            }
        }
        if boundsFlag.isEmpty { boundsFlag = names.helper("holds_bounds") }
        let processName = names.allocate(system.name, suffix: "_p")
        let writer = PromelaActionWriter(expressions: expressions, temporaries: temporaries, okFlag: okFlag,
                                         assertionFlags: assertionFlags, boundsFlag: boundsFlag)

        var lines: [String] = []
        lines.append("active proctype \(processName)()")
        lines.append("{")
        lines.append("  do")
        // Other initial states.
        if system.initialStates.count > 1 {
            lines.append("  /* the other initial states, entered from the first one */")
            func storedValue(_ field: Int, _ state: [UInt64]) -> String {
                let owner = expressions.fieldOwners[field]
                let value = layout.fields[field].read(state)
                return expressions.variableOffsets[owner.variable] == 0
                    ? expressions.literal(value, hint: layout.fields[field].type)
                    : expressions.storedLiteral(value, variable: owner.variable)
            }
            func cell(_ field: Int) -> String {
                let owner = expressions.fieldOwners[field]
                return expressions.storage(variable: owner.variable, cell: owner.cell)
            }
            let firstIs = layout.fields.indices.map { "\(cell($0)) == \(storedValue($0, first))" }.joined(separator: " && ")
            for (number, state) in system.initialStates.enumerated().dropFirst() {
                let assignments = layout.fields.indices.filter { layout.fields[$0].read(state) != layout.fields[$0].read(first) }
                    .map { "\(cell($0)) = \(storedValue($0, state))" }
                lines.append("  /* initial state \(number + 1) */")
                lines.append("  :: d_step { \(firstIs) -> \(assignments.joined(separator: "; ")) }")
            }
        }
        for action in system.actions {
            for alternative in try writer.alternatives(action) {
                lines += alternative.map { "  " + $0 }
            }
        }
        if system.terminal != LoweredExpression.falsity {
            lines.append("  /* terminal states: a self-loop, so that only vfio-mc's deadlocks are invalid end states */")
            lines.append("  :: d_step { \(expressions.text(system.terminal, hint: .bool)) -> skip }")
        }
        var goals: [String] = []
        var ltl: [String] = []
        var shownAs: [Int: String] = [:]
        for (index, property) in system.properties.enumerated() {
            let info = property.info
            switch info.kind {
            case .invariant:
                guard let predicate = property.predicate, let flag = assertionFlags[index] else { continue }
                lines.append("  /* invariant \(info.name) (expected: \(info.expected.rawValue)) */")
                lines.append("  :: d_step { \(expressions.text(LoweredExpression.not(predicate), hint: .bool)) -> \(flag) = 0; assert(\(flag)) }")
            case .reachable:
                guard let predicate = property.predicate, let flag = assertionFlags[index] else { continue }
                goals.append("#ifdef GOAL_\(PromelaNames.macroSafe(info.name))")
                goals.append("  /* reachable \(info.name) (expected: \(info.expected.rawValue)): an assertion violation is a witness */")
                goals.append("  :: d_step { \(expressions.text(predicate, hint: .bool)) -> \(flag) = 1; assert(!\(flag)) }")
                goals.append("#endif")
            case .eventually:
                guard let predicate = property.predicate else { continue }
                let name = names.allocate(info.name, suffix: "_ltl")
                shownAs[index] = "-DLTL, -N \(name)"
                ltl.append("/* \(info.name) (expected: \(info.expected.rawValue)) */")
                ltl.append("ltl \(name) { <> \(ltlProposition(predicate, expressions)) }")
            case .leadsto:
                guard let predicate = property.predicate, let target = property.target else { continue }
                let name = names.allocate(info.name, suffix: "_ltl")
                shownAs[index] = "-DLTL, -N \(name)"
                ltl.append("/* \(info.name) (expected: \(info.expected.rawValue)) */")
                ltl.append("ltl \(name) { [] (\(ltlProposition(predicate, expressions)) -> <> \(ltlProposition(target, expressions))) }")
            default:
                break
            }
        }
        lines += goals
        // SPIN's dead-variable elimination (on unless spin -o2) does not distinguish states by a variable that no
        // transition reads, such as a ghost only properties look at; vfio-mc does. An alternative that is never
        // enabled but reads every such variable keeps them live.
        var read: Set<Int> = []
        for action in system.actions {
            for path in try PromelaActionWriter.paths(action.body) { read.formUnion(writer.readVariables(path)) }
            read.formUnion(action.guardExpression.variablesRead(in: system.layout))
        }
        read.formUnion(system.terminal.variablesRead(in: system.layout))
        for property in system.properties where property.info.kind == .invariant {
            if let predicate = property.predicate { read.formUnion(predicate.variablesRead(in: system.layout)) }
        }
        let unread = layout.variables.indices.filter { !read.contains($0) }
        if !unread.isEmpty {
            let cells = unread.flatMap { variable in
                (0..<layout.variables[variable].info.cellCount).map { expressions.storage(variable: variable, cell: $0) }
            }
            lines.append("  /* never enabled: reads the variables no transition reads, so that SPIN keeps them (see above) */")
            lines.append("  :: d_step { \(liveFlag) -> \(liveFlag) = \(cells.joined(separator: " + ")) }")
        }
        lines.append("  od")
        lines.append("}")
        expressions.tables.enabled = false
        if !ltl.isEmpty {
            lines.append("")
            lines.append("#ifdef LTL")
            lines += ltl
            lines.append("#endif")
        }
        for (index, property) in system.properties.enumerated() where shownAs[index] == nil {
            switch property.info.kind {
            case .invariant, .assertion: shownAs[index] = "assertion violated \(assertionFlags[index] ?? boundsFlag)"
            case .bounds: shownAs[index] = "assertion violated \(boundsFlag)"
            case .deadlock: shownAs[index] = "invalid end state"
            case .reachable: shownAs[index] = "-DGOAL_\(PromelaNames.macroSafe(property.info.name)): assertion violated"
            case .eventually, .leadsto: shownAs[index] = "not translated"
            }
        }
        let declarations = Self.declarations(system, expressions: expressions, first: first, temporaries: temporaries,
                                             flags: [okFlag, liveFlag] + Set(assertionFlags.values).union([boundsFlag]).sorted())
        // pan's state vector holds every cell (at most a byte for bools and bytes, 2 for shorts, 4 for ints) and a
        // process header; its default limit is 1024 bytes.
        let vectorBytes = layout.variables.enumerated().reduce(32) { total, entry in
            let type = PromelaExpressions.storageType(entry.element.info.elementType, offset: expressions.variableOffsets[entry.offset])
            return total + entry.element.info.cellCount * (type == "int" ? 4 : type == "short" ? 2 : 1)
        }
        let vectorFlag = vectorBytes > 1000 ? " -DVECTORSZ=\((vectorBytes / 1024 + 1) * 1024)" : ""
        return (header(system, sourceName: sourceName, shownAs: shownAs, vectorFlag: vectorFlag) + declarations + lines)
            .joined(separator: "\n") + "\n"
    }

    /// An LTL proposition: only state variables (no computed arrays), no conditional expressions.
    private static func ltlProposition(_ expression: LoweredExpression, _ expressions: PromelaExpressions) -> String {
        expressions.tables.enabled = false
        defer { expressions.tables.enabled = true }
        let text = expressions.text(Logic.withoutConditionals(expression), hint: .bool)
        return text.hasPrefix("(") ? text : "(\(text))"
    }

    /// The enum constants, the arrays, the state variables with the first initial state, and the hidden helpers.
    private static func declarations(_ system: TransitionSystem, expressions: PromelaExpressions, first: [UInt64],
                                     temporaries: [String], flags: [String]) -> [String] {
        let layout = system.layout
        var lines: [String] = []
        for enumType in system.model.enums {
            lines.append("/* enum \(enumType.name) */")
            for (ordinal, _) in enumType.cases.enumerated() {
                lines.append("#define \(expressions.enumConstants[enumType.id]?[ordinal] ?? "E\(ordinal)") \(ordinal)")
            }
        }
        if !system.model.enums.isEmpty { lines.append("") }
        let tables = expressions.tables.tables
        for (index, table) in tables.enumerated() {
            let values = table.entries.map { String($0 - table.offset) }
            let offsetNote = table.offset == 0 ? "" : " (stored as entry + \(-table.offset))"
            lines.append("/* \(table.comment)\(offsetNote), row-major */")
            lines.append("hidden \(expressions.tables.storageType(index)) \(table.name)[\(max(1, values.count))] = "
                         + "{ \(values.isEmpty ? "0" : values.joined(separator: ", ")) };")
        }
        if !tables.isEmpty { lines.append("") }
        lines.append("/* the state: the model's variables, with their first initial value */")
        for (index, variable) in layout.variables.enumerated() {
            let info = variable.info
            let type = PromelaExpressions.storageType(info.elementType, offset: expressions.variableOffsets[index])
            let values = (0..<info.cellCount).map { cell in
                expressions.storedLiteral(layout.field(variable: index, cell: cell).read(first), variable: index)
            }
            let note = expressions.variableOffsets[index] == 0 ? "" : "  /* stored as value + \(-expressions.variableOffsets[index]) */"
            let declared = info.indexTypes.isEmpty ? "" : "  /* [\(info.indexTypes.map(\.description).joined(separator: "]["))] */"
            if info.indexTypes.isEmpty {
                lines.append("\(type) \(expressions.variableNames[index]) = \(values[0]);\(note)")
            } else if Set(values).count == 1 {
                lines.append("\(type) \(expressions.variableNames[index])[\(info.cellCount)] = \(values[0]);\(declared)\(note)")
            } else {
                lines.append("\(type) \(expressions.variableNames[index])[\(info.cellCount)] = { \(values.joined(separator: ", ")) };"
                             + "\(declared)\(note)")
            }
        }
        lines.append("")
        lines.append("/* hidden helpers: not part of SPIN's state vector */")
        for (index, variable) in layout.variables.enumerated() {
            let info = variable.info
            let type = PromelaExpressions.storageType(info.elementType, offset: expressions.variableOffsets[index])
            lines.append("hidden \(type == "bool" ? "byte" : type) \(temporaries[index])\(info.indexTypes.isEmpty ? "" : "[\(info.cellCount)]");")
        }
        for flag in flags { lines.append("hidden byte \(flag);") }
        lines.append("")
        return lines
    }

    private static func header(_ system: TransitionSystem, sourceName: String, shownAs: [Int: String],
                               vectorFlag: String) -> [String] {
        let file = sourceName.split(separator: "/").last.map(String.init) ?? sourceName
        var lines = [
            "/*",
            " * \(file.hasSuffix(".vmc") ? String(file.dropLast(4)) : file).pml: the Promela twin of model \(system.name) (\(sourceName)),",
            " * written by vfio-mc export --format promela.",
            " *",
            " * One process, one do-loop, one d_step per ground action (and per combination of choose alternatives): SPIN's",
            " * state vector holds the model's variables and nothing else that changes, so SPIN stores as many states as",
            " * vfio-mc (for models without scalarsets; vfio-mc reduces those by symmetry). Parallel assignment goes",
            " * through hidden temporaries; a failing assertion or bounds check reports an assertion violation and",
            " * commits nothing (a self-loop). Other initial states are entered from the first one. Invariants are",
            " * checked by self-loop alternatives enabled only where they are false; deadlocks are invalid end states.",
            " * Variables no transition reads are read by an alternative that is never enabled: otherwise SPIN's",
            " * dead-variable elimination would merge states that differ only in them (as spin -o2 avoids).",
            " *",
            " * Check (every error reported, the search not stopped at the first one):",
            " *   spin -a FILE.pml && gcc -O2 -DSAFETY -DNOFAIR\(vectorFlag) -o pan pan.c && ./pan -m1000000 -c0",
            " * A witness for reachable goal G: spin -DGOAL_G -a FILE.pml, the same gcc, ./pan -m1000000 -c0 -e: one trail",
            " *   per error; the one of G's assertion is the witness (./pan -rN replays the N-th trail).",
            " * Liveness (without vfio-mc's per-action weak fairness): spin -DLTL -a FILE.pml && gcc -O2\(vectorFlag) -o pan",
            " *   pan.c && ./pan -a -m1000000 -N NAME.",
            " *",
            " * Expected verdicts (from the model's expect lines):",
        ]
        for (index, property) in system.properties.enumerated() {
            let info = property.info
            lines.append(" *   \(info.kind.rawValue) \(info.name): \(info.expected.rawValue)   [\(shownAs[index] ?? "")]")
        }
        lines.append(" */")
        lines.append("")
        let pml = (file.hasSuffix(".vmc") ? String(file.dropLast(4)) : file) + ".pml"
        return lines.map { $0.replacingOccurrences(of: "FILE.pml", with: pml) }
    }
}

extension PromelaNames {
    /// A name usable in a preprocessor macro.
    static func macroSafe(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
    }
}
