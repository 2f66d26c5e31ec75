import ModelLanguage

/// Evaluates a model's pure definitions on concrete states, for commands that probe a model (such as `paths`).
public struct DefinitionEvaluator {
    /// Why a definition cannot be evaluated.
    public struct Problem: Error, CustomStringConvertible {
        /// The explanation.
        public let description: String
    }

    /// The system whose definitions are evaluated.
    public let system: TransitionSystem
    /// The definition's index in the checked model.
    public let definition: Int

    /// An evaluator for the definition called `name`.
    public init(system: TransitionSystem, name: String) throws {
        guard let index = system.model.definitions.firstIndex(where: { $0.name == name }) else {
            throw Problem(description: "the model has no definition named '\(name)'")
        }
        self.system = system
        definition = index
    }

    /// The number of parameters.
    public var arity: Int { system.model.definitions[definition].parameters.count }

    /// The lowered body applied to constant arguments: an expression over state cells only.
    public func lowered(_ arguments: [Int64]) throws -> LoweredExpression {
        let info = system.model.definitions[definition]
        guard arguments.count == info.parameters.count else {
            throw Problem(description: "'\(info.name)' takes \(info.parameters.count) arguments")
        }
        var lowering = Lowering(model: system.model, layout: system.layout)
        var environment: Lowering.Environment = [:]
        for (id, value) in zip(info.parameters, arguments) { environment[id] = .constant(value) }
        do {
            return try lowering.expression(info.body, environment, blame: SourceRange(0, 0))
        } catch let problem as LoweringProblem {
            throw Problem(description: problem.message)
        }
    }

    /// The value of the definition applied to `arguments` in `state`.
    public func evaluate(_ arguments: [Int64], in state: [UInt64]) throws -> Int64 {
        let expression = try lowered(arguments)
        if let constant = expression.constantValue { return constant }
        var builder = CodeBuilder(layout: system.layout, tables: system.model.tables)
        let program = builder.expressionProgram(expression, at: SourceRange(0, 0))
        let machine = CompiledCode(builder, layout: system.layout).makeMachine(layout: system.layout, actions: [])
        let value = state.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { machine.evaluate(program, $0) } ?? 0
        }
        if let failure = machine.failure { throw Problem(description: "evaluation failed: \(failure)") }
        return value
    }
}
