import ModelLanguage

/// Builds a `TransitionSystem` from a checked model: layout, initial states, grounding, lowering, compilation.
public enum SystemBuilder {
    /// The most initial states a model may have.
    public static let maximumInitialStates = 1_000_000

    /// Builds the system, or reports the limits the model exceeds as diagnostics. When `budget` runs out while
    /// grounding, the failure's `stopReason` says so (the model itself may be fine). `predicates`, checked in the
    /// model's scope (`ModelMatrix.checkPredicate`), are compiled with it: their programs are the system's
    /// `predicatePrograms`, in order.
    public static func build(_ model: CheckedModel, budget: BuildBudget = BuildBudget(),
                             predicates: [CheckedPredicate] = []) -> Result<TransitionSystem, ModelErrors> {
        LargeStack.run { buildOnLargeStack(model, budget: budget, predicates: predicates) }
    }

    private static func buildOnLargeStack(_ model: CheckedModel, budget: BuildBudget,
                                          predicates: [CheckedPredicate]) -> Result<TransitionSystem, ModelErrors> {
        var diagnostics = DiagnosticBag(source: model.source)
        guard let layout = StateLayout(variables: model.variables) else {
            let bits = model.variables.reduce(0) { $0 + $1.cellCount * $1.elementType.bitWidth }
            diagnostics.error("the state needs \(bits) bits; the limit is \(StateLayout.maximumBits)", at: model.variables.last?.range.start ?? 0)
            return .failure(ModelErrors(diagnostics.diagnostics))
        }
        guard let initialStates = makeInitialStates(model, layout) else {
            diagnostics.error("the model has more than \(maximumInitialStates) initial states", at: model.variables.first?.range.start ?? 0)
            return .failure(ModelErrors(diagnostics.diagnostics))
        }
        var lowering = Lowering(model: model, layout: layout)
        var builder = CodeBuilder(layout: layout, tables: model.tables)
        var actions: [GroundAction] = []
        var properties: [PropertySpec] = []
        var terminal: LoweredExpression = .constant(0)
        var entries: [EntrySpec] = []
        var predicatePrograms: [Int32] = []
        do {
            for (index, action) in model.actions.enumerated() {
                try ground(action, index: index, lowering: &lowering, builder: &builder, into: &actions, budget: budget)
            }
            for info in model.properties {
                let predicate = try info.predicate.map { try lowering.predicate($0, blame: info.range) }
                let target = try info.target.map { try lowering.predicate($0, blame: info.range) }
                properties.append(PropertySpec(info: info, predicate: predicate, target: target,
                                               predicateProgram: predicate.map { builder.expressionProgram($0, at: info.range) },
                                               targetProgram: target.map { builder.expressionProgram($0, at: info.range) }))
            }
            for predicate in model.terminals {
                terminal = LoweredExpression.or(terminal, try lowering.predicate(predicate, blame: SourceRange(0, 0)))
            }
            for entry in model.entries {
                let predicate = try lowering.predicate(entry.predicate, blame: entry.range)
                entries.append(EntrySpec(name: entry.name, predicate: predicate,
                                         program: builder.expressionProgram(predicate, at: entry.range)))
            }
            for predicate in predicates {
                let lowered: LoweredExpression
                do {
                    lowered = try lowering.predicate(predicate.expression, blame: SourceRange(0, 0))
                } catch let problem as LoweringProblem {
                    // Its positions are in the predicate's own text, not the model's.
                    var own = DiagnosticBag(source: predicate.source)
                    own.error(problem.message, at: problem.range)
                    return .failure(ModelErrors(own.diagnostics))
                }
                // A failure while evaluating it (an index out of range) is not located in the model's text.
                predicatePrograms.append(builder.expressionProgram(lowered, at: SourceRange(0, 0)))
            }
        } catch let stopped as BuildStopped {
            diagnostics.error("stopped while grounding the actions: \(stopped.reason)", at: 0)
            return .failure(ModelErrors(diagnostics.diagnostics, stopReason: stopped.reason.description))
        } catch let problem as LoweringProblem {
            diagnostics.error(problem.message, at: problem.range)
            return .failure(ModelErrors(diagnostics.diagnostics))
        } catch {
            diagnostics.error("internal error while lowering: \(error)", at: 0)
            return .failure(ModelErrors(diagnostics.diagnostics))
        }
        let terminalProgram = builder.expressionProgram(terminal, at: SourceRange(0, 0))
        let code = CompiledCode(builder, layout: layout)
        var system = TransitionSystem(name: model.name, model: model, layout: layout, initialStates: initialStates, actions: actions,
                                      properties: properties, terminal: terminal, terminalProgram: terminalProgram, code: code,
                                      entries: entries)
        system.predicatePrograms = predicatePrograms
        return .success(system)
    }

    private static func ground(_ action: ActionInfo, index: Int, lowering: inout Lowering, builder: inout CodeBuilder,
                               into actions: inout [GroundAction], budget: BuildBudget) throws {
        var combinations = 1
        for parameter in action.parameters {
            combinations = combinations.multipliedReportingOverflow(by: parameter.type.cardinality).partialValue
            if combinations > Lowering.maximumGroundActions || combinations <= 0 || actions.count + combinations > Lowering.maximumGroundActions {
                throw LoweringProblem(message: "action '\(action.name)' has too many instances (the limit is \(Lowering.maximumGroundActions) ground actions)", range: action.range)
            }
        }
        for combination in 0..<combinations {
            if combination & 4095 == 4095, let reason = budget.stopReason() { throw BuildStopped(reason: reason) }
            var remainder = combination
            var environment: Lowering.Environment = [:]
            var arguments: [ActionArgument] = []
            for parameter in action.parameters.reversed() {
                let value = parameter.type.value(ordinal: remainder % parameter.type.cardinality)
                remainder /= parameter.type.cardinality
                environment[parameter.id] = .constant(value)
                arguments.append(ActionArgument(name: parameter.name, value: value, formatted: parameter.type.format(value)))
            }
            arguments.reverse()
            let guardExpression = try lowering.expression(action.guardExpression, environment, blame: action.range)
            if guardExpression.constantValue == 0 { continue }
            let body = try lowering.statements(action.body, environment, blame: action.range)
            let split = GuardAnalysis.split(guardExpression, layout: lowering.layout)
            if split.tests.contains(where: \.passesNothing) { continue }
            let program = builder.actionProgram(guard: split.residual, body: body, at: action.range)
            var ground = GroundAction(name: action.name, actionIndex: index, arguments: arguments, fair: action.fair,
                                      guardExpression: guardExpression, body: body, program: program, guardTests: split.tests,
                                      residualGuard: split.residual,
                                      range: action.range)
            ground.emissions = try action.emissions.map { emission in
                func compile(_ expression: TypedExpression) throws -> Int32 {
                    builder.expressionProgram(try lowering.expression(expression, environment, blame: emission.range), at: emission.range)
                }
                return GroundEmission(kind: emission.kind, device: try compile(emission.device),
                                      requested: try emission.requested.map(compile), recover: try emission.recover.map(compile),
                                      state: try compile(emission.state), condition: try emission.condition.map(compile))
            }
            actions.append(ground)
        }
    }

    /// Every combination of initial cell values, first cell slowest; nil when there are too many.
    private static func makeInitialStates(_ model: CheckedModel, _ layout: StateLayout) -> [[UInt64]]? {
        var choices: [[Int64]] = []
        var total = 1
        for variable in model.variables {
            let values: [Int64]
            switch variable.initial {
            case .value(let value): values = [value]
            case .oneOf(let list): values = list
            case .any:
                guard variable.elementType.cardinality <= maximumInitialStates else { return nil }
                values = Array(variable.elementType.values)
            }
            for _ in 0..<variable.cellCount {
                choices.append(values)
                total = total.multipliedReportingOverflow(by: values.count).partialValue
                if total > maximumInitialStates || total <= 0 { return nil }
            }
        }
        var states: [[UInt64]] = []
        states.reserveCapacity(total)
        var counters = Array(repeating: 0, count: choices.count)
        for _ in 0..<total {
            var words = Array(repeating: UInt64(0), count: layout.wordCount)
            for (cell, counter) in counters.enumerated() { layout.fields[cell].write(choices[cell][counter], into: &words) }
            states.append(words)
            _ = Odometer.advance(&counters, radix: { choices[$0].count })
        }
        return states
    }
}
