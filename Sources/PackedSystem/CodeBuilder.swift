import ModelLanguage

/// Compiles lowered expressions and statements into one shared arena of instructions.
struct CodeBuilder {
    private(set) var instructions: [Instruction] = []
    private(set) var locations: [SourceRange] = []
    private(set) var dimensions: [Dimension] = []
    private(set) var cellFields: [Int32] = []
    private(set) var tableEntries: [Int64] = []
    private(set) var constantLists: [Int64] = []
    private(set) var forkTargets: [Int32] = []
    private var variableArena: [Int: (dimensions: Int, cells: Int)] = [:]
    private var tableArena: [Int: (dimensions: Int, entries: Int)] = [:]
    private var location = SourceRange(0, 0)

    let layout: StateLayout
    let tables: [TableInfo]

    init(layout: StateLayout, tables: [TableInfo]) {
        self.layout = layout
        self.tables = tables
    }

    var address: Int32 { Int32(instructions.count) }

    private mutating func emit(_ instruction: Instruction) {
        instructions.append(instruction)
        locations.append(location)
    }

    private mutating func patch(_ at: Int32, target: Int32) {
        instructions[Int(at)].arg = target
    }

    /// Compiles an expression program ending in `result`; returns its address.
    mutating func expressionProgram(_ expression: LoweredExpression, at range: SourceRange) -> Int32 {
        location = range
        let start = address
        compile(expression)
        emit(Instruction(.result))
        return start
    }

    /// Compiles an action: guard, copy, body, emit. Returns its address.
    mutating func actionProgram(guard guardExpression: LoweredExpression, body: [LoweredStatement], at range: SourceRange) -> Int32 {
        location = range
        let start = address
        if guardExpression.constantValue != 1 {
            compile(guardExpression)
            let skip = address
            emit(Instruction(.jumpIfFalse))
            emit(Instruction(.copyState))
            compileBlock(body, then: [])
            patch(skip, target: address)
            emit(Instruction(.abandon))
        } else {
            emit(Instruction(.copyState))
            compileBlock(body, then: [])
        }
        return start
    }

    // MARK: Statements

    /// Compiles statements followed by an `emit`. `choose` alternatives get their own continuation.
    private mutating func compileBlock(_ statements: [LoweredStatement], then: [LoweredStatement]) {
        for statement in statements {
            guard case .choose(let alternatives) = statement else {
                compileStatement(statement)
                continue
            }
            // Lowering already appended the rest of the block to each alternative, so the choice ends the block.
            emit(Instruction(.fork, word: Int32(alternatives.count), arg: Int32(forkTargets.count)))
            let targetBase = forkTargets.count
            forkTargets += Array(repeating: 0, count: alternatives.count)
            for (k, alternative) in alternatives.enumerated() {
                forkTargets[targetBase + k] = address
                if alternative.filter.constantValue != 1 {
                    compile(alternative.filter)
                    let fail = address
                    emit(Instruction(.jumpIfFalse))
                    compileBlock(alternative.body, then: [])
                    patch(fail, target: address)
                    emit(Instruction(.abandon))
                } else {
                    compileBlock(alternative.body, then: [])
                }
            }
            return
        }
        emit(Instruction(.emit))
    }

    /// Compiles statements that contain no `choose` at their top level, without a final `emit`.
    /// (An `if` branch containing a `choose` is compiled as a fork whose alternatives emit themselves.)
    private mutating func compileStraight(_ statements: [LoweredStatement]) {
        for statement in statements { compileStatement(statement) }
    }

    /// Compiles one statement other than a `choose` (blocks handle those: a choice carries the rest of its block).
    private mutating func compileStatement(_ statement: LoweredStatement) {
        switch statement {
        case .assign(let target, let value, let range):
            location = range
            compileAssign(target, value)
        case .assert(let property, let condition, let range):
            location = range
            compile(condition)
            emit(Instruction(.assert, arg: Int32(property)))
        case .ifThen(let condition, let then, let otherwise):
            compileBranch(condition, { $0.compileStraight(then) }, { $0.compileStraight(otherwise) })
        case .choose:
            // Lowering turns every `if` whose branch forks into a choice, so a choice never reaches here.
            assertionFailure("choose inside if is normalised before compilation")
        }
    }

    private mutating func compileAssign(_ target: LoweredTarget, _ value: LoweredExpression) {
        switch target {
        case .field(let index):
            let field = layout.fields[index]
            if let constant = value.constantValue, field.type.contains(constant) {
                let ordinal = UInt64(constant - field.type.lowerBound)
                emit(Instruction(.storeConstant, word: Int32(field.word), imm: Int64(bitPattern: ordinal << UInt64(field.shift)),
                                 bits: field.mask << UInt64(field.shift)))
                return
            }
            compile(value)
            emit(Instruction(.store, shift: UInt8(field.shift), width: UInt8(field.width), word: Int32(field.word),
                             imm: field.type.lowerBound, bits: UInt64(field.type.cardinality)))
        case .cell(let variable, let indices):
            for index in indices { compile(index) }
            compile(value)
            let arena = variableArenaEntry(variable)
            emit(Instruction(.storeCell, word: Int32(indices.count), arg: Int32(arena.dimensions), imm: Int64(arena.cells)))
        }
    }

    // MARK: Expressions

    private mutating func compile(_ e: LoweredExpression) {
        switch e {
        case .constant(let value):
            emit(Instruction(.constant, imm: value))
        case .field(let index):
            let field = layout.fields[index]
            emit(Instruction(.field, shift: UInt8(field.shift), width: UInt8(field.width), word: Int32(field.word), imm: field.type.lowerBound))
        case .cell(let variable, let indices):
            let arena = variableArenaEntry(variable)
            if let field = Self.singleField(indices) {
                emitAtField(.fieldCell, field: field, dimensions: arena.dimensions, arena: arena.cells)
                return
            }
            for index in indices { compile(index) }
            emit(Instruction(.cell, word: Int32(indices.count), arg: Int32(arena.dimensions), imm: Int64(arena.cells)))
        case .table(let table, let indices):
            let arena = tableArenaEntry(table)
            if let field = Self.singleField(indices) {
                emitAtField(.fieldTable, field: field, dimensions: arena.dimensions, arena: arena.entries)
                return
            }
            for index in indices { compile(index) }
            emit(Instruction(.table, word: Int32(indices.count), arg: Int32(arena.dimensions), imm: Int64(arena.entries)))
        case .unary(let op, let operand):
            compile(operand)
            emit(Instruction(op == .not ? .not : .negate))
        case .binary(let op, let l, let r):
            compileBinary(op, l, r)
        case .member(let element, let values):
            if case .field(let index) = element, let bits = Self.ordinalBits(values, layout.fields[index]) {
                let field = layout.fields[index]
                emit(Instruction(.fieldIn, shift: UInt8(field.shift), width: UInt8(field.width), word: Int32(field.word), bits: bits))
                return
            }
            compile(element)
            // The span is computed with overflow reported: constants folded from the source can reach 64 bits.
            if let low = values.first, let high = values.last, case let (span, overflow) = high.subtractingReportingOverflow(low),
               !overflow, span < 64 {
                var bits: UInt64 = 0
                for value in values { bits |= 1 << UInt64(value - low) }
                emit(Instruction(.inBits, imm: low, bits: bits))
            } else {
                emit(Instruction(.inList, word: Int32(values.count), arg: Int32(constantLists.count)))
                constantLists += values
            }
        case .conditional(let c, let a, let b):
            compileBranch(c, { $0.compile(a) }, { $0.compile(b) })
        }
    }

    /// `if condition then … else …`, for statements and conditional expressions alike: the condition, a jump
    /// over the first branch when it is false, the first branch, a jump over the second, the second.
    private mutating func compileBranch(_ condition: LoweredExpression, _ then: (inout CodeBuilder) -> Void,
                                        _ otherwise: (inout CodeBuilder) -> Void) {
        compile(condition)
        let toElse = address
        emit(Instruction(.jumpIfFalse))
        then(&self)
        let toEnd = address
        emit(Instruction(.jump))
        patch(toElse, target: address)
        otherwise(&self)
        patch(toEnd, target: address)
    }

    /// The ordinal bit set of `values` for a field, when every value is in the field's domain and below 64.
    private static func ordinalBits(_ values: [Int64], _ field: FieldSlot) -> UInt64? {
        var bits: UInt64 = 0
        for value in values {
            let (ordinal, overflow) = value.subtractingReportingOverflow(field.type.lowerBound)
            if overflow || ordinal < 0 || ordinal >= Int64(field.type.cardinality) { continue }
            guard ordinal < 64 else { return nil }
            bits |= 1 << UInt64(ordinal)
        }
        return bits
    }

    /// The field of a one-index access whose index is a plain field (`a[x]`, `T[x]`), which `fieldCell` and
    /// `fieldTable` read in one instruction: on v2-qemu-p2p a third of the instructions the interpreter ran were a
    /// `field`, a `cell` or a `table`, many of them such pairs.
    private static func singleField(_ indices: [LoweredExpression]) -> Int? {
        guard indices.count == 1, case .field(let field) = indices[0] else { return nil }
        return field
    }

    private mutating func emitAtField(_ op: Opcode, field index: Int, dimensions: Int, arena: Int) {
        let field = layout.fields[index]
        emit(Instruction(op, shift: UInt8(field.shift), width: UInt8(field.width), word: Int32(field.word), arg: Int32(dimensions),
                         imm: Int64(arena), bits: UInt64(bitPattern: field.type.lowerBound)))
    }

    private mutating func compileBinary(_ op: BinaryOperator, _ l: LoweredExpression, _ r: LoweredExpression) {
        // Superinstruction: field == constant (and !=, via not).
        if op == .equal || op == .notEqual {
            var field: Int?
            var constant: Int64?
            if case .field(let f) = l, let c = r.constantValue { field = f; constant = c }
            if case .field(let f) = r, let c = l.constantValue { field = f; constant = c }
            if let field, let constant {
                let slot = layout.fields[field]
                // A constant so far out that the subtraction overflows is outside the domain too.
                let (ordinal, overflow) = constant.subtractingReportingOverflow(slot.type.lowerBound)
                if !overflow, ordinal >= 0, ordinal < Int64(slot.type.cardinality) {
                    emit(Instruction(.fieldEquals, shift: UInt8(slot.shift), width: UInt8(slot.width), word: Int32(slot.word), imm: ordinal))
                } else {
                    emit(Instruction(.constant, imm: 0))
                }
                if op == .notEqual { emit(Instruction(.not)) }
                return
            }
        }
        switch op {
        case .and, .or, .implies:
            compile(l)
            if op == .implies { emit(Instruction(.not)) }
            let jump = address
            emit(Instruction(op == .and ? .andJump : .orJump))
            compile(r)
            // Normalise the right operand to 0/1 is unnecessary: booleans are always 0 or 1.
            patch(jump, target: address)
        case .equivalent:
            compile(l)
            compile(r)
            emit(Instruction(.equal))
        default:
            compile(l)
            compile(r)
            let opcode: Opcode
            switch op {
            case .add: opcode = .add
            case .subtract: opcode = .subtract
            case .multiply: opcode = .multiply
            case .divide: opcode = .divide
            case .remainder: opcode = .remainder
            case .equal: opcode = .equal
            case .notEqual: opcode = .notEqual
            case .less: opcode = .less
            case .lessEqual: opcode = .lessEqual
            case .greater: opcode = .greater
            default: opcode = .greaterEqual
            }
            emit(Instruction(opcode))
        }
    }

    private mutating func variableArenaEntry(_ variable: Int) -> (dimensions: Int, cells: Int) {
        if let entry = variableArena[variable] { return entry }
        let info = layout.variables[variable]
        let entry = (dimensions.count, cellFields.count)
        for type in info.info.indexTypes { dimensions.append(Dimension(lowerBound: type.lowerBound, count: Int64(type.cardinality))) }
        for cell in 0..<info.info.cellCount { cellFields.append(Int32(info.firstField + cell)) }
        variableArena[variable] = entry
        return entry
    }

    private mutating func tableArenaEntry(_ table: Int) -> (dimensions: Int, entries: Int) {
        if let entry = tableArena[table] { return entry }
        let info = tables[table]
        let entry = (dimensions.count, tableEntries.count)
        for type in info.indexTypes { dimensions.append(Dimension(lowerBound: type.lowerBound, count: Int64(type.cardinality))) }
        tableEntries += info.entries
        tableArena[table] = entry
        return entry
    }
}
