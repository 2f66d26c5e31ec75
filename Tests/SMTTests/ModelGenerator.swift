/// A small deterministic random number generator (SplitMix64), so generated models are reproducible.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func range(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }
}

/// Generates random, well-typed, small models as source text, covering every construct of the language:
/// bool, enums, ranges, scalarsets, arrays, tables, definitions, parameterised actions, choose (over a type
/// with a filter and over values), let, if/else, assert, quantifiers, count, in, implication, equivalence,
/// arithmetic (including / and %), nondeterministic initial values, terminal, invariants, goals, liveness
/// properties (which only the explorer decides) and expectations.
/// Property predicates are kept free of evaluation failures (the explorer stops evaluating a property once it
/// is decided, so a failing predicate would make `bounds` depend on its search order); guards, bodies and the
/// terminal predicate are not.
struct ModelGenerator {
    indirect enum GType: Equatable {
        case bool
        case enumeration(name: String, cases: [String])
        case range(low: Int, high: Int, name: String?)
        case scalarset(name: String, size: Int)

        var spelling: String {
            switch self {
            case .bool: return "bool"
            case .enumeration(let name, _): return name
            case .range(let low, let high, let name): return name ?? "\(low)..\(high)"
            case .scalarset(let name, _): return name
            }
        }

        var isScalarset: Bool {
            if case .scalarset = self { return true }
            return false
        }

        var isInteger: Bool {
            if case .range = self { return true }
            return false
        }

        /// Same kind of value (ranges all mix).
        func compatible(_ other: GType) -> Bool {
            if isInteger && other.isInteger { return true }
            return self == other
        }
    }

    struct Variable {
        let name: String
        let indices: [GType]
        let element: GType
    }

    struct Table {
        let name: String
        let index: GType
        let element: GType
    }

    struct Definition {
        let name: String
        let parameter: GType?
        let result: GType
    }

    var random: SplitMix64
    private var enums: [GType] = []
    private var scalarsets: [GType] = []
    private var ranges: [GType] = []
    private var variables: [Variable] = []
    private var tables: [Table] = []
    private var definitions: [Definition] = []
    private var counter = 0

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    private mutating func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)\(counter)"
    }

    /// A whole model.
    mutating func model(name: String) -> String {
        var lines = ["model \(name)", ""]
        let n = random.range(2, 3)
        lines.append("const N = \(n)")
        // Types.
        for e in 0..<random.range(1, 2) {
            let count = random.range(2, 3)
            let name = "E\(e)"
            let cases = (0..<count).map { "\(name)_\(["A", "B", "C", "D"][$0])" }
            enums.append(.enumeration(name: name, cases: cases))
            lines.append("type \(name) = enum { \(cases.joined(separator: ", ")) }")
        }
        if random.chance(70) {
            let useN = random.chance(50)
            scalarsets.append(.scalarset(name: "Dev", size: useN ? n : 2))
            lines.append("type Dev = scalarset(\(useN ? "N" : "2"))")
        }
        let low = random.pick([0, 0, 1, -2])
        let high = low + random.range(1, 3)
        ranges.append(.range(low: low, high: high, name: "R"))
        lines.append("type R = \(low)..\(high)")
        ranges.append(.range(low: 0, high: random.range(1, 3), name: nil))

        // Tables.
        if random.chance(60), let index = enums.first {
            let element: GType = random.chance(50) ? .bool : (random.chance(50) ? .range(low: 0, high: 4, name: nil) : random.pick(enums))
            let table = Table(name: "t\(tables.count)", index: index, element: element)
            tables.append(table)
            lines.append("table \(table.name): [\(index.spelling)] \(element.spelling) = { \(values(of: index).map { _ in literal(element) }.joined(separator: ", ")) }")
        }

        // Variables.
        for v in 0..<random.range(2, 4) {
            var indices: [GType] = []
            if random.chance(40) {
                indices.append(indexType())
                if random.chance(20) { indices.append(indexType()) }
            }
            let element = valueType()
            if case .scalarset = element, indices.count > 1 { indices.removeLast() }
            variables.append(Variable(name: "v\(v)", indices: indices, element: element))
            let declared = indices.map { "[\($0.spelling)] " }.joined() + element.spelling
            let cells = indices.reduce(1) { $0 * cardinality($1) }
            var initial = initializer(element)
            while element.isScalarset == false && (cells > 3 && !initial.hasPrefix("= ") || cells > 1 && initial == "= any" && random.chance(50)) {
                initial = "= \(literal(element))"
            }
            lines.append("var v\(v): \(declared) \(initial)")
        }
        for scalarset in scalarsets {
            variables.append(Variable(name: "v_\(scalarset.spelling)", indices: [], element: scalarset))
            lines.append("var v_\(scalarset.spelling): \(scalarset.spelling) = any")
        }

        // Definitions.
        if random.chance(60), let type = (enums + ranges).first {
            let definition = Definition(name: "f\(definitions.count)", parameter: type, result: .bool)
            var env = [(name: "a", type: type)]
            let body = expression(.bool, depth: 2, env: &env, safe: true)
            lines.append("def \(definition.name)(a: \(type.spelling))\(random.chance(50) ? ": bool" : "") = \(body)")
            definitions.append(definition)
        }
        if random.chance(50) {
            let definition = Definition(name: "g\(definitions.count)", parameter: nil, result: .range(low: 0, high: 0, name: nil))
            var env: [(name: String, type: GType)] = []
            lines.append("def \(definition.name) = \(expression(definition.result, depth: 2, env: &env, safe: true))")
            definitions.append(definition)
        }
        lines.append("")

        // Actions.
        for a in 0..<random.range(2, 4) {
            var env: [(name: String, type: GType)] = []
            var parameters: [String] = []
            for _ in 0..<random.pick([0, 0, 1, 1, 2]) {
                let type = random.pick(parameterTypes())
                let name = fresh("p")
                env.append((name, type))
                parameters.append("\(name): \(type.spelling)")
            }
            let header = (random.chance(30) ? "fair " : "") + "action a\(a)" + (parameters.isEmpty ? "" : "(\(parameters.joined(separator: ", ")))")
            let guardText = random.chance(80) ? " when \(expression(.bool, depth: 2, env: &env, safe: random.chance(60)))" : ""
            lines.append(header + guardText + " {")
            lines += block(depth: 2, env: env, indent: "    ")
            lines.append("}")
        }
        lines.append("")

        // Properties.
        for i in 0..<random.range(1, 2) {
            var env: [(name: String, type: GType)] = []
            lines.append("invariant Inv\(i): \(expression(.bool, depth: 3, env: &env, safe: true))")
        }
        for i in 0..<random.range(1, 2) {
            var env: [(name: String, type: GType)] = []
            lines.append("reachable Goal\(i): \(expression(.bool, depth: 3, env: &env, safe: true))")
        }
        if random.chance(15) {
            var env: [(name: String, type: GType)] = []
            lines.append("eventually Live: \(expression(.bool, depth: 2, env: &env, safe: true))")
        }
        if random.chance(10) {
            var env: [(name: String, type: GType)] = []
            let p = expression(.bool, depth: 1, env: &env, safe: true)
            lines.append("leadsto Response: \(p) ~> \(expression(.bool, depth: 1, env: &env, safe: true))")
        }
        if random.chance(30) { lines.append("expect Inv0 \(random.pick(["holds", "violated"]))") }
        if random.chance(30) { lines.append("expect Goal0 \(random.pick(["reachable", "unreachable"]))") }
        if random.chance(50) {
            var env: [(name: String, type: GType)] = []
            lines.append("terminal \(expression(.bool, depth: 2, env: &env, safe: random.chance(50)))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Types and literals

    private mutating func indexType() -> GType {
        random.pick([.bool] + enums + scalarsets + [.range(low: 0, high: random.range(1, 2), name: nil), ranges[0]])
    }

    private mutating func valueType() -> GType {
        random.pick([.bool, .bool] + enums + scalarsets + ranges + ranges)
    }

    private func parameterTypes() -> [GType] {
        [.bool] + enums + scalarsets + ranges
    }

    private func cardinality(_ type: GType) -> Int {
        switch type {
        case .bool: return 2
        case .enumeration(_, let cases): return cases.count
        case .range(let low, let high, _): return high - low + 1
        case .scalarset(_, let size): return size
        }
    }

    private func values(of type: GType) -> [String] {
        switch type {
        case .bool: return ["false", "true"]
        case .enumeration(_, let cases): return cases
        case .range(let low, let high, _): return (low...high).map(String.init)
        case .scalarset: return []
        }
    }

    private mutating func literal(_ type: GType) -> String {
        let all = values(of: type)
        return all.isEmpty ? "false" : random.pick(all)
    }

    private mutating func initializer(_ type: GType) -> String {
        if case .scalarset = type { return "= any" }
        switch random.below(4) {
        case 0: return "= any"
        case 1:
            let all = values(of: type)
            var chosen: [String] = []
            for value in all where random.chance(50) { chosen.append(value) }
            if chosen.isEmpty, let first = all.first { chosen = [first] }
            return "in { \(chosen.joined(separator: ", ")) }"
        default: return "= \(literal(type))"
        }
    }

    // MARK: Statements

    private mutating func block(depth: Int, env start: [(name: String, type: GType)], indent: String) -> [String] {
        var env = start
        var lines: [String] = []
        for _ in 0..<random.range(1, 3) {
            lines += statement(depth: depth, env: &env, indent: indent)
        }
        return lines
    }

    private mutating func statement(depth: Int, env: inout [(name: String, type: GType)], indent: String) -> [String] {
        let roll = random.below(100)
        if depth > 0 && roll < 15 {
            var inner = env
            let condition = expression(.bool, depth: 2, env: &inner, safe: random.chance(70))
            var lines = ["\(indent)if \(condition) {"]
            lines += block(depth: depth - 1, env: env, indent: indent + "    ")
            if random.chance(60) {
                if random.chance(30) {
                    var again = env
                    lines.append("\(indent)} else if \(expression(.bool, depth: 1, env: &again, safe: true)) {")
                    lines += block(depth: depth - 1, env: env, indent: indent + "    ")
                }
                lines.append("\(indent)} else {")
                lines += block(depth: depth - 1, env: env, indent: indent + "    ")
            }
            lines.append("\(indent)}")
            return lines
        }
        if depth > 0 && roll < 30 {
            let name = fresh("c")
            let type = random.pick(parameterTypes())
            var inner = env
            var header: String
            if random.chance(70) || values(of: type).isEmpty {
                header = "\(indent)choose \(name): \(type.spelling)"
                if random.chance(60) {
                    var filterEnv = env + [(name, type)]
                    header += " where \(expression(.bool, depth: 1, env: &filterEnv, safe: random.chance(70)))"
                }
            } else {
                var chosen: [String] = []
                for _ in 0..<random.range(1, 3) { chosen.append(expression(type, depth: 1, env: &inner, safe: true)) }
                header = "\(indent)choose \(name) in { \(chosen.joined(separator: ", ")) }"
            }
            var lines = [header + " {"]
            lines += block(depth: depth - 1, env: env + [(name, type)], indent: indent + "    ")
            lines.append("\(indent)}")
            return lines
        }
        if roll < 40 {
            let name = fresh("l")
            let type = random.pick(parameterTypes())
            let value = expression(type, depth: 2, env: &env, safe: random.chance(70))
            env.append((name, type))
            return ["\(indent)let \(name) = \(value)"]
        }
        if roll < 52 {
            var inner = env
            let condition = expression(.bool, depth: 2, env: &inner, safe: random.chance(70))
            let name = random.chance(50) ? "A\(random.below(2)): " : ""
            let message = random.chance(50) ? " : \"generated\"" : ""
            return ["\(indent)assert \(name)(\(condition))\(message)"]
        }
        guard let variable = variables.isEmpty ? nil : random.pick(variables) else { return [] }
        var inner = env
        let target = variable.name + variable.indices.map { "[\(index($0, env: &inner, safe: random.chance(75), depth: 1))]" }.joined()
        let value = expression(variable.element, depth: 2, env: &inner, safe: random.chance(50))
        return ["\(indent)\(target) := \(value)"]
    }

    // MARK: Expressions

    private mutating func index(_ type: GType, env: inout [(name: String, type: GType)], safe: Bool, depth: Int = 1) -> String {
        if case .range(let low, let high, _) = type {
            let exact = env.filter { $0.type == type }.map(\.name)
            if safe {
                if !exact.isEmpty && random.chance(60) { return random.pick(exact) }
                return String(random.range(low, high))
            }
            return expression(type, depth: depth, env: &env, safe: false)
        }
        return expression(type, depth: depth, env: &env, safe: safe)
    }

    private mutating func read(_ variable: Variable, env: inout [(name: String, type: GType)], safe: Bool, depth: Int) -> String {
        variable.name + variable.indices.map { "[\(index($0, env: &env, safe: safe, depth: depth))]" }.joined()
    }

    private mutating func quantifierType() -> GType {
        random.pick([.bool] + enums + scalarsets + [.range(low: 0, high: 2, name: nil)])
    }

    /// An expression of `type` (for ranges: any integer expression).
    mutating func expression(_ type: GType, depth: Int, env: inout [(name: String, type: GType)], safe: Bool) -> String {
        var options: [String] = []
        let bound = env.filter { $0.type.compatible(type) }.map(\.name)
        let readable = variables.filter { $0.element.compatible(type) && (depth > 0 || $0.indices.isEmpty) }
        // Leaves.
        if !bound.isEmpty { options.append(random.pick(bound)) }
        if !readable.isEmpty {
            let variable = random.pick(readable)
            options.append(read(variable, env: &env, safe: safe, depth: depth - 1))
        }
        switch type {
        case .bool: options.append(random.pick(["true", "false"]))
        case .enumeration: options.append(literal(type))
        case .range: options.append(String(random.range(-1, 4)))
        case .scalarset: break
        }
        let tableChoices = tables.filter { $0.element.compatible(type) }
        if depth > 0 && !tableChoices.isEmpty && random.chance(30) {
            let table = random.pick(tableChoices)
            options.append("\(table.name)[\(index(table.index, env: &env, safe: safe, depth: depth - 1))]")
        }
        if options.isEmpty {
            // Only a scalarset with nothing in scope: every model declares a plain variable of each scalarset.
            return "v_\(type.spelling)"
        }
        if depth <= 0 || random.chance(25) { return random.pick(options) }

        switch type {
        case .bool:
            switch random.below(14) {
            case 0, 1:
                let other = random.pick([GType.range(low: 0, high: 0, name: nil)] + enums + scalarsets + [.bool])
                let op = other.isInteger ? random.pick(["==", "!=", "<", "<=", ">", ">="]) : random.pick(["==", "!="])
                return "(\(expression(other, depth: depth - 1, env: &env, safe: safe)) \(op) \(expression(other, depth: depth - 1, env: &env, safe: safe)))"
            case 2:
                return "(\(expression(.bool, depth: depth - 1, env: &env, safe: safe)) && \(expression(.bool, depth: depth - 1, env: &env, safe: safe)))"
            case 3:
                return "(\(expression(.bool, depth: depth - 1, env: &env, safe: safe)) || \(expression(.bool, depth: depth - 1, env: &env, safe: safe)))"
            case 4:
                return "(!(\(expression(.bool, depth: depth - 1, env: &env, safe: safe))))"
            case 5:
                return "(\(expression(.bool, depth: depth - 1, env: &env, safe: safe)) -> \(expression(.bool, depth: depth - 1, env: &env, safe: safe)))"
            case 6:
                return "(\(expression(.bool, depth: depth - 1, env: &env, safe: safe)) <-> \(expression(.bool, depth: depth - 1, env: &env, safe: safe)))"
            case 7, 8:
                let q = random.pick(["forall", "exists"])
                let name = fresh("q")
                let qt = quantifierType()
                var inner = env + [(name, qt)]
                return "(\(q) \(name): \(qt.spelling). \(expression(.bool, depth: depth - 1, env: &inner, safe: safe)))"
            case 9:
                let other = random.pick([GType.range(low: 0, high: 0, name: nil)] + enums)
                let all = other.isInteger ? ["0", "1", "2", "-1"] : values(of: other)
                var chosen: [String] = []
                for value in all where random.chance(50) { chosen.append(value) }
                if chosen.isEmpty, let first = all.first { chosen = [first] }
                return "(\(expression(other, depth: depth - 1, env: &env, safe: safe)) in { \(chosen.joined(separator: ", ")) })"
            case 10:
                if let scalar = scalarsets.first {
                    return "(\(expression(scalar, depth: depth - 1, env: &env, safe: safe)) in { \(expression(scalar, depth: 0, env: &env, safe: safe)), \(expression(scalar, depth: 0, env: &env, safe: safe)) })"
                }
                return random.pick(options)
            case 11:
                let calls = definitions.filter { $0.result == .bool }
                if let definition = calls.first, let parameter = definition.parameter {
                    return "\(definition.name)(\(expression(parameter, depth: depth - 1, env: &env, safe: safe)))"
                }
                return random.pick(options)
            case 12:
                return conditional(type, depth: depth, env: &env, safe: safe)
            default:
                return random.pick(options)
            }
        case .range:
            switch random.below(12) {
            case 0, 1:
                return "(\(expression(type, depth: depth - 1, env: &env, safe: safe)) + \(expression(type, depth: depth - 1, env: &env, safe: safe)))"
            case 2:
                return "(\(expression(type, depth: depth - 1, env: &env, safe: safe)) - \(expression(type, depth: depth - 1, env: &env, safe: safe)))"
            case 3:
                return "(\(expression(type, depth: depth - 1, env: &env, safe: safe)) * \(expression(type, depth: depth - 1, env: &env, safe: safe)))"
            case 4:
                let op = random.pick(["/", "%"])
                let divisor = safe ? random.pick(["2", "3", "-2"]) : expression(type, depth: depth - 1, env: &env, safe: safe)
                return "(\(expression(type, depth: depth - 1, env: &env, safe: safe)) \(op) \(divisor))"
            case 5:
                return "(-\(expression(type, depth: depth - 1, env: &env, safe: safe)))"
            case 6:
                let name = fresh("q")
                let qt = quantifierType()
                var inner = env + [(name, qt)]
                return "(count \(name): \(qt.spelling). \(expression(.bool, depth: depth - 1, env: &inner, safe: safe)))"
            case 7:
                return conditional(type, depth: depth, env: &env, safe: safe)
            case 8:
                if let definition = definitions.first(where: { $0.parameter == nil }) {
                    return random.chance(50) ? definition.name : "\(definition.name)()"
                }
                return "N"
            default:
                return random.pick(options)
            }
        case .enumeration, .scalarset:
            if random.chance(30) { return conditional(type, depth: depth, env: &env, safe: safe) }
            return random.pick(options)
        }
    }

    private mutating func conditional(_ type: GType, depth: Int, env: inout [(name: String, type: GType)], safe: Bool) -> String {
        "(if \(expression(.bool, depth: depth - 1, env: &env, safe: safe)) then \(expression(type, depth: depth - 1, env: &env, safe: safe)) else \(expression(type, depth: depth - 1, env: &env, safe: safe)))"
    }
}
