import ModelLanguage

/// One value of an action parameter in a ground action.
public struct ActionArgument: Sendable, Hashable {
    /// The parameter's name.
    public let name: String
    /// The value.
    public let value: Int64
    /// The value as shown to people.
    public let formatted: String

    /// `action(arg, arg)`, or `action` without arguments: how a ground action, a trace step, a failure and a
    /// coverage entry are named.
    public static func label(_ action: String, _ arguments: [ActionArgument]) -> String {
        arguments.isEmpty ? action : action + "(" + arguments.map(\.formatted).joined(separator: ", ") + ")"
    }
}

/// An action instantiated for one combination of parameter values.
public struct GroundAction: Sendable {
    /// The action's name.
    public let name: String
    /// Index of the action in the checked model.
    public let actionIndex: Int
    /// Parameter values.
    public let arguments: [ActionArgument]
    /// Whether the action is weakly fair.
    public let fair: Bool
    /// The grounded guard.
    public let guardExpression: LoweredExpression
    /// The grounded body.
    public let body: [LoweredStatement]
    /// Address of the compiled action program (which evaluates only the residual guard).
    public let program: Int32
    /// The guard's conjuncts that test single fields; the explorer checks them before running the program.
    public let guardTests: [FieldTest]
    /// The rest of the guard, evaluated by the program.
    public let residualGuard: LoweredExpression
    /// Declaration position.
    public let range: SourceRange
    /// Its `emits` clauses, compiled (`TransitionRelation.events(of:after:)` evaluates them).
    public var emissions: [GroundEmission] = []

    /// `name(arg, arg)`, or `name` without parameters.
    public var label: String {
        ActionArgument.label(name, arguments)
    }
}

/// A property, lowered and compiled.
public struct PropertySpec: Sendable {
    /// The checked property.
    public let info: PropertyInfo
    /// The lowered predicate (P of `leadsto`), if the property has one.
    public let predicate: LoweredExpression?
    /// The lowered Q of `leadsto`.
    public let target: LoweredExpression?
    /// Address of the compiled predicate.
    public let predicateProgram: Int32?
    /// Address of the compiled Q.
    public let targetProgram: Int32?
}

/// The compiled machine code of a system, shared by all machines.
public struct CompiledCode: Sendable {
    let instructions: [Instruction]
    let locations: [SourceRange]
    let dimensions: [Dimension]
    let cellFields: [PackedField]
    let tableEntries: [Int64]
    let constantLists: [Int64]
    let forkTargets: [Int32]

    /// Number of instructions.
    public var instructionCount: Int { instructions.count }

    /// The code a builder produced, with cell fields resolved against the layout.
    init(_ builder: CodeBuilder, layout: StateLayout) {
        instructions = builder.instructions
        locations = builder.locations
        dimensions = builder.dimensions
        cellFields = builder.cellFields.map { index in
            let field = layout.fields[Int(index)]
            return PackedField(word: Int32(field.word), shift: UInt8(field.shift), width: UInt8(field.width),
                               lowerBound: field.type.lowerBound, count: Int64(field.type.cardinality))
        }
        tableEntries = builder.tableEntries
        constantLists = builder.constantLists
        forkTargets = builder.forkTargets
    }

    /// A machine that runs this code for the given ground actions.
    func makeMachine(layout: StateLayout, actions: [GroundAction], kernels: Bool = true, guardTable: Bool = true,
                     native: NativeLibrary? = nil) -> Machine {
        Machine(wordCount: layout.wordCount, code: instructions, dimensions: dimensions, cellFields: cellFields,
                tableEntries: tableEntries, constantLists: constantLists, forkTargets: forkTargets,
                forkCount: instructions.reduce(0) { $0 + ($1.op == .fork ? 1 : 0) }, actions: actions, layout: layout,
                kernels: kernels, guardTable: guardTable, native: native)
    }
}


/// The immutable, Sendable contract between the front end and every engine: packed layout, initial states,
/// ground actions, properties and compiled code.
public struct TransitionSystem: Sendable {
    /// The model's name.
    public let name: String
    /// The checked model it was built from.
    public let model: CheckedModel
    /// How states are packed.
    public let layout: StateLayout
    /// The initial states, deduplicated, in a fixed order.
    public let initialStates: [[UInt64]]
    /// Ground actions in declaration and parameter order.
    public let actions: [GroundAction]
    /// Properties in model order.
    public let properties: [PropertySpec]
    /// The disjunction of the `terminal` predicates.
    public let terminal: LoweredExpression
    /// Address of the compiled terminal predicate.
    public let terminalProgram: Int32
    /// The compiled code.
    public let code: CompiledCode
    /// The declared entry points (`entry NAME: PREDICATE`), compiled.
    public var entries: [EntrySpec] = []
    /// The compiled programs of the predicates built with the system (`SystemBuilder.build(_:budget:predicates:)`), in order.
    public var predicatePrograms: [Int32] = []

    /// Whether some action emits events: replay then matches a log event by event.
    public var declaresEvents: Bool { model.eventSignature != nil }

    /// Words per state.
    public var wordCount: Int { layout.wordCount }

    /// A new machine to run this system's programs (one per thread). Without `kernels` every action body runs
    /// in the interpreter, without `guardTable` the guard tests are tried action by action: the differential
    /// tests compare the paths. With `native` (built from this system), `expand` runs the generated code first.
    public func makeMachine(kernels: Bool = true, guardTable: Bool = true, native: NativeLibrary? = nil) -> Machine {
        code.makeMachine(layout: layout, actions: actions, kernels: kernels, guardTable: guardTable, native: native)
    }

    /// Where the instruction at `address` came from.
    public func location(ofInstruction address: Int32) -> SourceRange {
        let index = Int(address)
        return index >= 0 && index < code.locations.count ? code.locations[index] : SourceRange(0, 0)
    }

    /// How a failing action is reported at the end of a trace: its message and the failing statement's position.
    public func traceFailure(action: Int, failure: ActionFailure, address: Int32) -> TraceFailure {
        let ground = actions[action]
        let position = model.source.position(of: location(ofInstruction: address).start)
        let message: String
        switch failure {
        case .assertion(let property):
            let info = properties[property].info
            message = "assertion \(info.name) failed" + (info.message.map { ": \($0)" } ?? "")
        case .bounds(let detail):
            message = detail
        }
        return TraceFailure(action: ground.name, arguments: ground.arguments, message: message, line: position.line, column: position.column)
    }

    /// The value of every cell of a state, formatted, in layout order.
    public func formattedCells(_ state: [UInt64]) -> [String] {
        layout.fields.map { $0.type.format($0.read(state)) }
    }

    /// The name of every cell, in layout order.
    public var cellNames: [String] {
        layout.variables.flatMap { variable in (0..<variable.info.cellCount).map { variable.cellName($0) } }
    }
}
