import ModelLanguage

/// Where one cell of a variable lives in the packed state: a word, a bit offset and a width.
/// The stored bits are the value's ordinal (value minus the type's lower bound).
public struct FieldSlot: Sendable, Hashable {
    /// Index of the UInt64 word.
    public let word: Int
    /// Bit offset within the word.
    public let shift: Int
    /// Number of bits (0 for a single-valued type).
    public let width: Int
    /// The cell's type.
    public let type: FiniteType

    /// The mask of `width` low bits.
    public var mask: UInt64 { width == 64 ? ~0 : (UInt64(1) << UInt64(width)) - 1 }

    /// Reads the cell's value from packed words.
    @inlinable
    public func read(_ words: UnsafePointer<UInt64>) -> Int64 {
        Int64((words[word] >> UInt64(shift)) & mask) + type.lowerBound
    }

    /// Reads the cell's value from an array of words.
    public func read(_ words: [UInt64]) -> Int64 {
        Int64((words[word] >> UInt64(shift)) & mask) + type.lowerBound
    }

    /// Writes an in-domain value into an array of words.
    public func write(_ value: Int64, into words: inout [UInt64]) {
        let ordinal = UInt64(value - type.lowerBound) & mask
        words[word] = (words[word] & ~(mask << UInt64(shift))) | (ordinal << UInt64(shift))
    }
}

/// The fields of one variable: its cells in row-major order.
public struct VariableLayout: Sendable {
    /// The checked variable.
    public let info: VariableInfo
    /// Index of its first cell in `StateLayout.fields`.
    public let firstField: Int

    /// The cell index of a list of index values (row-major), or nil when out of range.
    public func cellIndex(_ indices: [Int64]) -> Int? {
        var flat = 0
        for (value, type) in zip(indices, info.indexTypes) {
            guard type.contains(value) else { return nil }
            flat = flat * type.cardinality + Int(value - type.lowerBound)
        }
        return flat
    }

    /// The index values of a cell, in order (the inverse of `cellIndex`).
    public func indexValues(ofCell cell: Int) -> [Int64] {
        var remainder = cell
        var values: [Int64] = []
        for type in info.indexTypes.reversed() {
            values.append(type.value(ordinal: remainder % type.cardinality))
            remainder /= type.cardinality
        }
        return values.reversed()
    }

    /// The display name of a cell: `state[Dev#1][RUNNING]`.
    public func cellName(_ cell: Int) -> String {
        let values = indexValues(ofCell: cell)
        return info.name + zip(values, info.indexTypes).map { "[\($1.format($0))]" }.joined()
    }
}

/// The bit layout of a state: every cell of every variable packed into UInt64 words, no cell straddling a word.
public struct StateLayout: Sendable {
    /// The most bits of state a model may use.
    public static let maximumBits = 4096

    /// Number of UInt64 words per state.
    public let wordCount: Int
    /// Every cell of every variable, in declaration and row-major order.
    public let fields: [FieldSlot]
    /// Per variable, where its cells start.
    public let variables: [VariableLayout]
    /// Bits actually used.
    public let usedBits: Int

    /// Packs the variables greedily in declaration order. Returns nil when the state exceeds `maximumBits`.
    public init?(variables infos: [VariableInfo]) {
        var fields: [FieldSlot] = []
        var layouts: [VariableLayout] = []
        var word = 0
        var offset = 0
        var used = 0
        for info in infos {
            layouts.append(VariableLayout(info: info, firstField: fields.count))
            let width = info.elementType.bitWidth
            for _ in 0..<info.cellCount {
                if offset + width > 64 {
                    word += 1
                    offset = 0
                }
                fields.append(FieldSlot(word: word, shift: offset, width: width, type: info.elementType))
                offset += width
                used += width
                if used > Self.maximumBits { return nil }
            }
        }
        self.fields = fields
        self.variables = layouts
        self.usedBits = used
        self.wordCount = word + 1
    }

    /// The field of a variable's cell.
    public func field(variable: Int, cell: Int) -> FieldSlot { fields[variables[variable].firstField + cell] }

    /// The type of a cell read: a field's type, or the element type of a variable read at computed indices;
    /// nil for any other expression.
    public func cellType(_ expression: LoweredExpression) -> FiniteType? {
        switch expression {
        case .field(let index): return fields[index].type
        case .cell(let variable, _): return variables[variable].info.elementType
        default: return nil
        }
    }

    /// The variable a field belongs to and the field's cell within it (the inverse of `firstField + cell`).
    public func owner(ofField field: Int) -> (variable: Int, cell: Int) {
        // The last variable starting at or before the field (variables are in field order).
        var low = 0
        var high = variables.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if variables[middle].firstField <= field { low = middle } else { high = middle - 1 }
        }
        return (low, field - variables[low].firstField)
    }
}
