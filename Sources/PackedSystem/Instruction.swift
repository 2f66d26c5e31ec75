/// Operations of the expression and action machine. Expressions leave one value on the stack; action programs
/// run the guard, copy the pre-state, apply the body to the copy and emit successors.
public enum Opcode: UInt8, Sendable {
    /// Push `imm`.
    case constant
    /// Push the field at (word, shift, width) plus `imm` (the type's lower bound).
    case field
    /// Push 1 if the field's ordinal equals `imm`, else 0.
    case fieldEquals
    /// Push 1 if the field's ordinal is in the bit set `bits`, else 0.
    case fieldIn
    /// Pop `word` indices, push the cell: `arg` indexes the dimension arena, `imm` the cell-field arena.
    case cell
    /// Pop `word` indices, push a table entry: `arg` indexes the dimension arena, `imm` the entry arena.
    case table
    /// `field` then a one-index `cell` or `table` in one instruction (superinstructions): push the cell (the
    /// entry) whose index is the field at (word, shift, width) plus `bits` (the field's lower bound, as a bit
    /// pattern); `arg` indexes the dimension arena, `imm` the cell-field (entry) arena. An index out of the
    /// dimension violates `bounds` exactly as `cell` and `table` do.
    case fieldCell, fieldTable
    case not, negate, add, subtract, multiply, divide, remainder
    case equal, notEqual, less, lessEqual, greater, greaterEqual
    /// Push 1 if the popped value minus `imm` is in the bit set `bits`.
    case inBits
    /// Push 1 if the popped value is one of the `word` constants at `arg` in the constant arena.
    case inList
    /// Jump to `arg`.
    case jump
    /// Pop; jump to `arg` if zero.
    case jumpIfFalse
    /// If the top is zero jump to `arg` keeping it, else pop (for `&&`).
    case andJump
    /// If the top is non-zero jump to `arg` keeping it, else pop (for `||`).
    case orJump
    /// Stop and return the top of the stack (expressions).
    case result
    /// Copy the pre-state into the successor under construction.
    case copyState
    /// Pop a value and store it into the field (word, shift, width) of the successor; `imm` is the lower bound,
    /// `bits` the number of values; out of range violates `bounds`.
    case store
    /// Store a constant into a field of the successor: `dst[word] = dst[word] & ~bits | imm` (bits: the shifted mask).
    case storeConstant
    /// Pop a value, then `word` indices; store into that cell of variable (`arg` dimension arena, `imm` cell arena).
    case storeCell
    /// Pop a condition; if false, the assertion property `arg` is violated.
    case assert
    /// Run each of the `word` alternatives whose start addresses are at `arg` in the fork arena, each on its own copy.
    case fork
    /// Emit the successor under construction.
    case emit
    /// End this execution without a successor (a `choose` filter failed, or the guard is false).
    case abandon
}

/// One machine instruction. Which fields matter depends on the opcode.
public struct Instruction: Sendable {
    /// The operation.
    public var op: Opcode
    /// Bit offset of a field.
    public var shift: UInt8 = 0
    /// Width of a field in bits.
    public var width: UInt8 = 0
    /// Word index of a field, or a count.
    public var word: Int32 = 0
    /// An address or an arena index.
    public var arg: Int32 = 0
    /// An immediate value.
    public var imm: Int64 = 0
    /// A bit set or a count.
    public var bits: UInt64 = 0

    /// Creates an instruction.
    public init(_ op: Opcode, shift: UInt8 = 0, width: UInt8 = 0, word: Int32 = 0, arg: Int32 = 0, imm: Int64 = 0, bits: UInt64 = 0) {
        self.op = op
        self.shift = shift
        self.width = width
        self.word = word
        self.arg = arg
        self.imm = imm
        self.bits = bits
    }
}

/// One array dimension, as the machine sees it: values `lowerBound ..< lowerBound + count`, and the stride.
public struct Dimension: Sendable {
    /// The smallest index value.
    public let lowerBound: Int64
    /// The number of index values.
    public let count: Int64
}
