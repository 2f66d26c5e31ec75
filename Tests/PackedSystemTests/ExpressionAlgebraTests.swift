import ModelLanguage
@testable import PackedSystem
import Testing

/// The lowered-expression algebra against the machine it describes: the off-machine evaluator and the folding
/// constructors must give the compiled program's value, and fail exactly where it fails.
@Suite struct ExpressionAlgebraTests {
    /// A small system whose fields, array and table the generated expressions read.
    static func system() throws -> TransitionSystem {
        let source = SourceFile(name: "algebra.vmc", text: """
            model algebra
            type S = enum { A, B, C }
            table weight: [S] 0..9 = { 1, 2, 3 }
            var x: -3..3 = 0
            var y: 0..5 = 0
            var b: bool = false
            var a: [0..2] 0..3 = 0
            """)
        return try SystemBuilder.build(try Frontend.check(source).get()).get()
    }

    /// The machine's verdict on `expression` in `state`: its value, or nil when it fails.
    static func machineValue(_ expression: LoweredExpression, _ system: TransitionSystem, _ state: [UInt64]) -> Int64? {
        var builder = CodeBuilder(layout: system.layout, tables: system.model.tables)
        let program = builder.expressionProgram(expression, at: SourceRange(0, 0))
        let machine = CompiledCode(builder, layout: system.layout).makeMachine(layout: system.layout, actions: [])
        let value = state.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { machine.evaluate(program, $0) } }
        return machine.failure == nil ? value : nil
    }

    /// The evaluator reading the packed state as the machine does (computed indices checked against the types).
    static func evaluator(_ system: TransitionSystem, _ state: [UInt64]) -> LoweredEvaluator {
        var evaluator: LoweredEvaluator?
        evaluator = LoweredEvaluator(cell: { node in
            switch node {
            case .field(let index): return system.layout.fields[index].read(state)
            case .cell(let variable, let indices):
                let info = system.layout.variables[variable]
                var constants: [Int64] = []
                for index in indices {
                    guard let value = evaluator?.value(index) else { return nil }
                    constants.append(value)
                }
                return info.cellIndex(constants).map { system.layout.fields[info.firstField + $0].read(state) }
            default: return nil
            }
        }, tables: system.model.tables.map { LoweredEvaluator.Table(indexTypes: $0.indexTypes, entries: $0.entries) })
        return evaluator ?? LoweredEvaluator(cell: { _ in nil }, tables: [])
    }

    /// Leaves: constants at the edges of 64 bits and of the cells' types, fields, a cell and a table entry at
    /// computed (possibly out-of-range) indices.
    static func leaves(_ system: TransitionSystem) -> [LoweredExpression] {
        let x = LoweredExpression.field(0)
        return [.constant(0), .constant(1), .constant(-1), .constant(3), .constant(Int64.max), .constant(Int64.min),
                x, .field(1), .field(2), .cell(variable: 3, indices: [x]), .table(table: 0, indices: [.field(1)])]
    }

    static func states(_ system: TransitionSystem) -> [[UInt64]] {
        var result: [[UInt64]] = []
        for (x, y) in [(0, 0), (-3, 5), (2, 1), (3, 2), (-1, 0)] as [(Int64, Int64)] {
            var words = [UInt64](repeating: 0, count: system.wordCount)
            for field in system.layout.fields { field.write(field.type.lowerBound, into: &words) }
            system.layout.fields[0].write(x, into: &words)
            system.layout.fields[1].write(y, into: &words)
            system.layout.fields[2].write(x > 0 ? 1 : 0, into: &words)
            system.layout.fields[4].write(y % 4, into: &words)
            result.append(words)
        }
        return result
    }

    /// Boolean leaves, for the connectives: the type checker gives them only booleans (0 or 1), on which the
    /// machine's connectives (which pass the right operand through unnormalised) and the evaluator's agree.
    static let booleanLeaves: [LoweredExpression] = [
        .constant(0), .constant(1), .field(2), .binary(.less, .field(0), .field(1)),
        .binary(.equal, .cell(variable: 3, indices: [.field(0)]), .constant(1)),
    ]

    @Test func evaluatorAgreesWithTheMachineOnEveryOperator() throws {
        let system = try Self.system()
        let numeric: [BinaryOperator] = [.add, .subtract, .multiply, .divide, .remainder, .equal, .notEqual, .less,
                                         .lessEqual, .greater, .greaterEqual]
        let connectives: [BinaryOperator] = [.and, .or, .implies, .equivalent]
        var compared = 0
        for state in Self.states(system) {
            let evaluator = Self.evaluator(system, state)
            for l in Self.leaves(system) {
                for unary in [LoweredExpression.unary(.negate, l), .unary(.not, l), .member(l, [-1, 3]),
                              .member(l, [Int64.min, 0, Int64.max]), .conditional(.field(2), l, .constant(2))] {
                    #expect(evaluator.value(unary) == Self.machineValue(unary, system, state), "\(unary)")
                }
            }
            var pairs: [(BinaryOperator, LoweredExpression, LoweredExpression)] = []
            for l in Self.leaves(system) {
                for r in Self.leaves(system) { pairs += numeric.map { ($0, l, r) } }
            }
            for l in Self.booleanLeaves {
                for r in Self.booleanLeaves { pairs += connectives.map { ($0, l, r) } }
            }
            for (op, l, r) in pairs {
                let raw = LoweredExpression.binary(op, l, r)
                let machine = Self.machineValue(raw, system, state)
                #expect(evaluator.value(raw) == machine, "\(raw)")
                // Folding keeps the value wherever the unfolded expression does not fail.
                if machine != nil {
                    #expect(evaluator.value(.folded(op, l, r)) == machine, "folded \(raw)")
                }
                compared += 1
            }
        }
        #expect(compared == 5 * (11 * 11 * 11 + 5 * 5 * 4))
    }

    @Test func overflowFailsLikeTheMachine() {
        #expect(MachineArithmetic.apply(.add, Int64.max, 1) == nil)
        #expect(MachineArithmetic.apply(.divide, Int64.min, -1) == nil)
        #expect(MachineArithmetic.apply(.remainder, 5, 0) == nil)
        #expect(MachineArithmetic.negate(Int64.min) == nil)
        // A failing constant operation stays unfolded, so that it fails at run time.
        #expect(LoweredExpression.folded(.multiply, .constant(Int64.max), .constant(2))
                == .binary(.multiply, .constant(Int64.max), .constant(2)))
        #expect(LoweredExpression.folded(.negate, .constant(Int64.min)) == .unary(.negate, .constant(Int64.min)))
    }

    /// Constants folded from the source reach 64 bits; comparing a field with one used to overflow in the code
    /// builder (a crash while building the system).
    @Test func comparingAFieldWithAFoldedHugeConstantBuilds() throws {
        let source = SourceFile(name: "huge.vmc", text: """
            model huge
            var x: -3..3 = 0
            action a { x := if x == 2147483647 * 2147483647 * 2 + 2147483647 * 4 + 1 then 1 else 2 }
            action b when x in { -2147483647 * 2147483647 * 2 - 2147483647 * 4 - 2, 0, 2147483647 * 2147483647 * 2 } { x := 3 }
            """)
        let system = try SystemBuilder.build(try Frontend.check(source).get()).get()
        let x = LoweredExpression.field(0)
        #expect(Self.machineValue(.binary(.equal, x, .constant(Int64.max)), system, [0]) == 0)
        #expect(Self.machineValue(.member(x, [Int64.min, Int64.max]), system, [0]) == 0)
    }

    @Test func booleanConstructorsFold() {
        let x = LoweredExpression.field(0)
        #expect(LoweredExpression.and(.truth, x) == x)
        #expect(LoweredExpression.or(x, .truth) == .truth)
        #expect(LoweredExpression.not(.not(x)) == x)
        #expect(LoweredExpression.implies(x, .falsity) == .not(x))
        #expect(LoweredExpression.booleanIte(x, .truth, .falsity) == x)
        #expect(LoweredExpression.booleanIte(x, .falsity, .truth) == .unary(.not, x))
        #expect(LoweredExpression.ite(.constant(1), x, .field(1)) == x)
    }

    @Test func childrenRebuildTheSameNode() throws {
        let system = try Self.system()
        var nodes: [LoweredExpression] = []
        for l in Self.leaves(system) {
            nodes += [.unary(.negate, l), .binary(.add, l, .field(1)), .member(l, [1]), .conditional(.field(2), l, .constant(0))]
        }
        for node in nodes {
            #expect(node.withChildren(node.children) == node)
            #expect(node.mapChildren { $0 } == node)
            #expect(node.size == 1 + node.children.reduce(0) { $0 + $1.size })
        }
    }

    @Test func fieldOwnersInvertTheLayout() throws {
        let layout = try Self.system().layout
        for (variable, info) in layout.variables.enumerated() {
            for cell in 0..<info.info.cellCount {
                let owner = layout.owner(ofField: info.firstField + cell)
                #expect(owner.variable == variable && owner.cell == cell)
            }
        }
        // y (field 1) directly, a (variable 3) at a computed index.
        let read = LoweredExpression.binary(.add, .field(1), .cell(variable: 3, indices: [.field(1)]))
        #expect(read.variablesRead(in: layout) == [1, 3])
    }

    @Test func guardAnalysisReadsSingleFieldConjuncts() throws {
        let system = try Self.system()
        let x = LoweredExpression.field(0), y = LoweredExpression.field(1)
        // x >= 1 && 2 > x && y in {1, 4} && x * y > 0: x in 1...1, y in 1...4; the product bounds no field.
        let guardExpression = LoweredExpression.and(.and(.and(.binary(.greaterEqual, x, .constant(1)), .binary(.greater, .constant(2), x)),
                                                         .member(y, [1, 4])),
                                                    .binary(.greater, .binary(.multiply, x, y), .constant(0)))
        #expect(GuardAnalysis.knownRanges(guardExpression, layout: system.layout) == [0: 1...1, 1: 1...4])
        let split = GuardAnalysis.split(guardExpression, layout: system.layout)
        #expect(split.tests.count == 3)
        #expect(split.residual == .binary(.greater, .binary(.multiply, x, y), .constant(0)))
        // `!=` and negations exclude values without bounding them.
        #expect(GuardAnalysis.knownRanges(.and(.binary(.notEqual, x, .constant(0)), .not(.binary(.less, y, .constant(2)))),
                                          layout: system.layout).isEmpty)
    }

    @Test func valueRangesNeverOverflow() throws {
        let system = try Self.system()
        let ranges = ValueRanges(layout: system.layout, tableEntries: { system.model.tables[$0].entries })
        #expect(ranges.range(.binary(.add, .field(0), .constant(Int64.max))) == nil)
        #expect(ranges.range(.unary(.negate, .constant(Int64.min))) == nil)
        #expect(ranges.range(.binary(.subtract, .field(1), .field(0))) == -3...8)
        #expect(ranges.fits(.field(1), system.layout.fields[1].type))
        #expect(!ranges.fits(.binary(.add, .field(1), .constant(1)), system.layout.fields[1].type))
    }
}
