import ModelLanguage

/// The combination paths a model's resolver produces: for each flag valuation and each (current, requested)
/// pair, the states the driver loop goes through. The model provides two pure definitions over a pair of
/// states: `next(current, requested)`, the state of the next single arc, and `fails(current, requested)`, true
/// when the request is refused in `current`. The loop is the kernel's: stop when current equals requested,
/// fail when `fails` holds, otherwise take the arc to `next`.
public struct CombinationPaths {
    /// How one request ends.
    public enum Outcome: Sendable, Hashable {
        /// The states from the current one to the requested one.
        case reached([String])
        /// Refused after going through these states (only the current one when refused at once).
        case refused([String])
        /// No end within the step limit.
        case unending([String])
    }

    /// One line of the table.
    public struct Entry: Sendable, Hashable {
        /// The flag valuation, `name=value` pairs.
        public let flags: String
        /// The current state.
        public let current: String
        /// The requested state.
        public let requested: String
        /// What the loop does.
        public let outcome: Outcome

        /// `FLAGS CUR -> NEW: A -> B -> C`, `FLAGS CUR -> NEW: EINVAL` or `... A -> B -> EINVAL`.
        public var line: String {
            let prefix = "\(flags.isEmpty ? "" : flags + " ")\(current) -> \(requested): "
            switch outcome {
            case .reached(let states): return prefix + states.joined(separator: " -> ")
            case .refused(let states):
                return prefix + (states.count <= 1 ? "EINVAL" : states.joined(separator: " -> ") + " -> EINVAL")
            case .unending(let states): return prefix + states.joined(separator: " -> ") + " -> ... (no end after \(CombinationPaths.stepLimit) arcs)"
            }
        }
    }

    /// The most arcs followed for one request.
    public static let stepLimit = 16

    /// Computes every entry. `next` and `fails` name definitions with two parameters of the same type.
    public static func compute(system: TransitionSystem, next: String, fails: String) throws -> [Entry] {
        let nextDefinition = try DefinitionEvaluator(system: system, name: next)
        let failsDefinition = try DefinitionEvaluator(system: system, name: fails)
        let parameterTypes = try stateType(of: nextDefinition, system: system)
        guard try stateType(of: failsDefinition, system: system).type == parameterTypes.type else {
            throw DefinitionEvaluator.Problem(description: "'\(next)' and '\(fails)' must take parameters of the same type")
        }
        let type = parameterTypes.type
        // The results must be what the driver loop consumes: a state of that type from `next`, a boolean from
        // `fails`. Without this check, `--next einval` printed nonsense paths and exited 0.
        let nextInfo = system.model.definitions[nextDefinition.definition]
        guard nextInfo.resultType == .enumeration(parameterTypes.enumType) else {
            throw DefinitionEvaluator.Problem(description: "'\(next)' must return a \(parameterTypes.enumType.name) (the next state), but returns \(nextInfo.resultType.description)")
        }
        let failsInfo = system.model.definitions[failsDefinition.definition]
        guard failsInfo.resultType == .bool else {
            throw DefinitionEvaluator.Problem(description: "'\(fails)' must return a bool (whether the request is refused), but returns \(failsInfo.resultType.description)")
        }
        // The flag valuations: initial states projected on the cells the definitions read.
        var cells = Set<Int>()
        for current in type.values {
            for requested in type.values {
                try nextDefinition.lowered([current, requested]).collectFields(into: &cells)
                try failsDefinition.lowered([current, requested]).collectFields(into: &cells)
            }
        }
        let flagCells = cells.sorted()
        var seen = Set<[Int64]>()
        var valuations: [[UInt64]] = []
        for state in system.initialStates {
            let key = flagCells.map { system.layout.fields[$0].read(state) }
            if seen.insert(key).inserted { valuations.append(state) }
        }
        var entries: [Entry] = []
        for state in valuations {
            let flags = flagCells.map { "\(system.cellNames[$0])=\(system.layout.fields[$0].type.format(system.layout.fields[$0].read(state)))" }
                .joined(separator: " ")
            for current in type.values {
                for requested in type.values {
                    let outcome = try run(from: current, to: requested, in: state, next: nextDefinition, fails: failsDefinition, type: type)
                    entries.append(Entry(flags: flags, current: type.format(current), requested: type.format(requested), outcome: outcome))
                }
            }
        }
        return entries
    }

    private static func run(from current: Int64, to requested: Int64, in state: [UInt64], next: DefinitionEvaluator,
                            fails: DefinitionEvaluator, type: FiniteType) throws -> Outcome {
        var position = current
        var states = [type.format(current)]
        for _ in 0..<stepLimit {
            if position == requested { return .reached(states) }
            if try fails.evaluate([position, requested], in: state) != 0 { return .refused(states) }
            position = try next.evaluate([position, requested], in: state)
            states.append(type.format(position))
        }
        return position == requested ? .reached(states) : .unending(states)
    }

    private static func stateType(of evaluator: DefinitionEvaluator, system: TransitionSystem) throws -> (type: FiniteType, enumType: EnumType) {
        let info = system.model.definitions[evaluator.definition]
        guard info.parameterTypes.count == 2, info.parameterTypes[0] == info.parameterTypes[1],
              case .enumeration(let enumType) = info.parameterTypes[0] else {
            throw DefinitionEvaluator.Problem(description: "'\(info.name)' must take two parameters of one enum type")
        }
        return (.enumeration(enumType), enumType)
    }
}
