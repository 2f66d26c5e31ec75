import ModelLanguage

/// Canonicalises packed states under permutations of the model's scalarsets: every array dimension indexed by
/// a scalarset and every cell holding one of its values are permuted together.
///
/// The representative of a state is the smallest packed state among the permutations that order each
/// scalarset's elements by a signature that permutations preserve (the values of the cells the element indexes,
/// row and column sums of arrays indexed twice by it, whether a cell it indexes points back to it). Elements with
/// equal signatures are tried in every order. Because the set of candidate permutations moves with the state's
/// orbit, symmetric states get the same representative. Beyond `maximumCandidates` orderings per state only the
/// first ones are tried: the result may then not be canonical, which costs reduction but never soundness (every
/// orbit is still visited). Not thread-safe: one reducer per thread.
public final class SymmetryReducer {
    /// Why symmetry reduction does not apply to a model, when it does not.
    public enum Refusal: Error, CustomStringConvertible {
        case noScalarset
        case tableUsesScalarset(String)

        /// A sentence for statistics and messages.
        public var description: String {
            switch self {
            case .noScalarset: return "the model declares no scalarset"
            case .tableUsesScalarset(let name): return "table '\(name)' is indexed by or holds a scalarset, which breaks symmetry"
            }
        }
    }

    /// The most orderings tried per state.
    public static let maximumCandidates = 5040

    private struct Dimension {
        let scalarset: Int      // -1 for a non-scalarset dimension
        let stride: Int
        let count: Int
    }

    private struct Cell {
        let word: Int
        let shift: UInt64
        let mask: UInt64
        let variable: Int
        let ordinals: [Int]     // per dimension
        let valueScalarset: Int // -1 unless the cell holds a scalarset value
    }

    private struct Feature {
        enum Kind { case value, pointsToSelf, rowSum, columnSum, diagonal }
        let kind: Kind
        let scalarset: Int
        let cells: [Int]        // per element: the cell(s) read; for sums, n cells per element
    }

    private let wordCount: Int
    private let scalarsets: [ScalarsetType]
    private let cells: [Cell]
    private let dimensions: [[Dimension]]   // per variable
    private let firstField: [Int]           // per variable
    private let features: [Feature]
    private let scratch: UnsafeMutablePointer<UInt64>
    private let best: UnsafeMutablePointer<UInt64>
    /// Set when some state needed more orderings than `maximumCandidates`.
    public private(set) var truncated = false

    /// A summary for statistics: `symmetry over Dev (3 elements)`.
    public var summary: String {
        "symmetry over " + scalarsets.map { "\($0.name) (\($0.size) elements)" }.joined(separator: ", ")
    }

    /// A reducer for the system, or the reason symmetry does not apply.
    public init(system: TransitionSystem) throws {
        let model = system.model
        guard !model.scalarsets.isEmpty else { throw Refusal.noScalarset }
        for table in model.tables {
            let types = table.indexTypes + [table.elementType]
            if types.contains(where: { if case .scalarset = $0 { return true } else { return false } }) {
                throw Refusal.tableUsesScalarset(table.name)
            }
        }
        wordCount = system.wordCount
        scalarsets = model.scalarsets
        var dimensions: [[Dimension]] = []
        var firstField: [Int] = []
        var cells: [Cell] = []
        for (variableIndex, variable) in system.layout.variables.enumerated() {
            var strides: [Int] = []
            var stride = 1
            for type in variable.info.indexTypes.reversed() {
                strides.append(stride)
                stride *= type.cardinality
            }
            strides.reverse()
            dimensions.append(zip(variable.info.indexTypes, strides).map { type, stride in
                if case .scalarset(let s) = type { return Dimension(scalarset: s.id, stride: stride, count: type.cardinality) }
                return Dimension(scalarset: -1, stride: stride, count: type.cardinality)
            })
            firstField.append(variable.firstField)
            var valueScalarset = -1
            if case .scalarset(let s) = variable.info.elementType { valueScalarset = s.id }
            for cell in 0..<variable.info.cellCount {
                let field = system.layout.fields[variable.firstField + cell]
                let ordinals = variable.indexValues(ofCell: cell).enumerated().map { k, value in Int(value - variable.info.indexTypes[k].lowerBound) }
                cells.append(Cell(word: field.word, shift: UInt64(field.shift), mask: field.mask, variable: variableIndex,
                                  ordinals: ordinals, valueScalarset: valueScalarset))
            }
        }
        self.dimensions = dimensions
        self.firstField = firstField
        self.cells = cells
        features = Self.features(system: system, dimensions: dimensions)
        scratch = .allocate(capacity: max(1, wordCount))
        best = .allocate(capacity: max(1, wordCount))
    }

    deinit {
        scratch.deallocate()
        best.deallocate()
    }

    /// Signature features: for each variable with exactly one scalarset dimension (and a non-scalarset value),
    /// the value of each cell along that dimension; for cells holding a value of the same scalarset, whether the
    /// value is the element itself; for arrays indexed twice by one scalarset, row and column sums and the diagonal.
    private static func features(system: TransitionSystem, dimensions: [[Dimension]]) -> [Feature] {
        var features: [Feature] = []
        for (variableIndex, variable) in system.layout.variables.enumerated() {
            let dims = dimensions[variableIndex]
            let scalarsetDims = dims.indices.filter { dims[$0].scalarset >= 0 }
            var valueScalarset = -1
            if case .scalarset(let s) = variable.info.elementType { valueScalarset = s.id }
            func cellIndex(_ ordinals: [Int]) -> Int { variable.firstField + zip(ordinals, dims).reduce(0) { $0 + $1.0 * $1.1.stride } }
            // Enumerate the non-scalarset dimensions' ordinals.
            let otherDims = dims.indices.filter { dims[$0].scalarset < 0 }
            var otherCombos: [[Int]] = [[]]
            for dim in otherDims { otherCombos = otherCombos.flatMap { prefix in (0..<dims[dim].count).map { prefix + [$0] } } }
            func ordinals(scalarsetOrdinals: [Int], other: [Int]) -> [Int] {
                var result = Array(repeating: 0, count: dims.count)
                for (k, dim) in scalarsetDims.enumerated() { result[dim] = scalarsetOrdinals[k] }
                for (k, dim) in otherDims.enumerated() { result[dim] = other[k] }
                return result
            }
            if scalarsetDims.count == 1 {
                let dim = scalarsetDims[0]
                let s = dims[dim].scalarset
                for other in otherCombos {
                    let perElement = (0..<dims[dim].count).map { cellIndex(ordinals(scalarsetOrdinals: [$0], other: other)) }
                    if valueScalarset < 0 {
                        features.append(Feature(kind: .value, scalarset: s, cells: perElement))
                    } else if valueScalarset == s {
                        features.append(Feature(kind: .pointsToSelf, scalarset: s, cells: perElement))
                    }
                }
            } else if scalarsetDims.count == 2, dims[scalarsetDims[0]].scalarset == dims[scalarsetDims[1]].scalarset, valueScalarset < 0 {
                let s = dims[scalarsetDims[0]].scalarset
                let n = dims[scalarsetDims[0]].count
                for other in otherCombos {
                    var rows: [Int] = []
                    var columns: [Int] = []
                    var diagonal: [Int] = []
                    for d in 0..<n {
                        for e in 0..<n { rows.append(cellIndex(ordinals(scalarsetOrdinals: [d, e], other: other))) }
                        for e in 0..<n { columns.append(cellIndex(ordinals(scalarsetOrdinals: [e, d], other: other))) }
                        diagonal.append(cellIndex(ordinals(scalarsetOrdinals: [d, d], other: other)))
                    }
                    features.append(Feature(kind: .rowSum, scalarset: s, cells: rows))
                    features.append(Feature(kind: .columnSum, scalarset: s, cells: columns))
                    features.append(Feature(kind: .diagonal, scalarset: s, cells: diagonal))
                }
            }
        }
        return features
    }

    @inline(__always)
    private func read(_ state: UnsafePointer<UInt64>, _ cell: Int) -> UInt64 {
        let c = cells[cell]
        return (state[c.word] >> c.shift) & c.mask
    }

    /// The signature of every element of scalarset `s`: one row of feature values per element.
    private func signatures(_ state: UnsafePointer<UInt64>, scalarset s: Int) -> [[UInt64]] {
        let n = scalarsets[s].size
        var rows = Array(repeating: [UInt64](), count: n)
        for feature in features where feature.scalarset == s {
            switch feature.kind {
            case .value, .diagonal:
                for d in 0..<n { rows[d].append(read(state, feature.cells[d])) }
            case .pointsToSelf:
                for d in 0..<n { rows[d].append(read(state, feature.cells[d]) == UInt64(d) ? 1 : 0) }
            case .rowSum, .columnSum:
                for d in 0..<n {
                    var sum: UInt64 = 0
                    for e in 0..<n { sum &+= read(state, feature.cells[d * n + e]) }
                    rows[d].append(sum)
                }
            }
        }
        return rows
    }

    /// Replaces `state` by its representative. Returns true when it changed.
    @discardableResult
    public func canonicalize(_ state: UnsafeMutablePointer<UInt64>) -> Bool {
        // Per scalarset: elements sorted by signature, and the tie groups (ranges of equal signatures).
        var orders: [[Int]] = []
        var groups: [[Range<Int>]] = []
        var candidates = 1
        for s in scalarsets.indices {
            let rows = signatures(state, scalarset: s)
            let order = rows.indices.sorted { a, b in rows[a].lexicographicallyPrecedes(rows[b]) || (rows[a] == rows[b] && a < b) }
            var ranges: [Range<Int>] = []
            var start = 0
            for k in 1...order.count {
                if k == order.count || rows[order[k]] != rows[order[start]] {
                    if k - start > 1 { ranges.append(start..<k) }
                    for factor in 1...(k - start) { candidates = min(candidates * factor, Int.max / 64) }
                    start = k
                }
            }
            orders.append(order)
            groups.append(ranges)
        }
        if candidates > Self.maximumCandidates { truncated = true }
        var first = true
        var tried = 0
        enumerateOrders(&orders, groups: groups, level: 0, groupIndex: 0) { orders in
            guard tried < Self.maximumCandidates else { return }
            tried += 1
            apply(orders, from: state, to: scratch)
            if first || Self.less(scratch, best, wordCount) {
                best.update(from: scratch, count: wordCount)
                first = false
            }
        }
        if Self.less(best, state, wordCount) || Self.less(state, best, wordCount) {
            state.update(from: best, count: wordCount)
            return true
        }
        return false
    }

    /// Calls `body` with every combination of orderings inside tie groups.
    private func enumerateOrders(_ orders: inout [[Int]], groups: [[Range<Int>]], level: Int, groupIndex: Int, _ body: ([[Int]]) -> Void) {
        if level == groups.count {
            body(orders)
            return
        }
        if groupIndex == groups[level].count {
            enumerateOrders(&orders, groups: groups, level: level + 1, groupIndex: 0, body)
            return
        }
        let range = groups[level][groupIndex]
        let original = Array(orders[level][range])
        var permutation = original
        // Heap's algorithm over the group, restoring the original order afterwards.
        func visit() { enumerateOrders(&orders, groups: groups, level: level, groupIndex: groupIndex + 1, body) }
        var counters = Array(repeating: 0, count: permutation.count)
        orders[level].replaceSubrange(range, with: permutation)
        visit()
        var i = 1
        while i < permutation.count {
            if counters[i] < i {
                if i % 2 == 0 { permutation.swapAt(0, i) } else { permutation.swapAt(counters[i], i) }
                orders[level].replaceSubrange(range, with: permutation)
                visit()
                counters[i] += 1
                i = 1
            } else {
                counters[i] = 0
                i += 1
            }
        }
        orders[level].replaceSubrange(range, with: original)
    }

    /// Writes the state permuted so that element `orders[s][k]` of scalarset s becomes element k.
    private func apply(_ orders: [[Int]], from source: UnsafePointer<UInt64>, to target: UnsafeMutablePointer<UInt64>) {
        var renaming: [[Int]] = []
        for order in orders {
            var map = Array(repeating: 0, count: order.count)
            for (position, element) in order.enumerated() { map[element] = position }
            renaming.append(map)
        }
        target.update(from: source, count: wordCount)
        for index in cells.indices {
            let cell = cells[index]
            var value = (source[cell.word] >> cell.shift) & cell.mask
            if cell.valueScalarset >= 0, Int(value) < renaming[cell.valueScalarset].count {
                value = UInt64(renaming[cell.valueScalarset][Int(value)])
            }
            var destination = firstField[cell.variable]
            for (k, dimension) in dimensions[cell.variable].enumerated() {
                let ordinal = dimension.scalarset >= 0 ? renaming[dimension.scalarset][cell.ordinals[k]] : cell.ordinals[k]
                destination += ordinal * dimension.stride
            }
            let out = cells[destination]
            target[out.word] = (target[out.word] & ~(out.mask << out.shift)) | (value << out.shift)
        }
    }

    @inline(__always)
    private static func less(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ count: Int) -> Bool {
        for k in 0..<count where a[k] != b[k] { return a[k] < b[k] }
        return false
    }
}
