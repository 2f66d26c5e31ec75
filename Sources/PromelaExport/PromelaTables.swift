import ModelLanguage
import PackedSystem

/// The constant arrays of the Promela translation: the model's tables, and tables the translation computes itself
/// for large sub-expressions that read few cells ("tabulation"). Inlining definitions can make one vfio-mc
/// expression thousands of nodes long (a resolver applied three times, a quantifier over every pair of states);
/// vfio-mc compiles it once, but written out in Promela it would make pan.c enormous. When such a sub-expression
/// reads cells whose value combinations are few, it is evaluated for every combination and replaced by a lookup
/// in a hidden array indexed by those cells. Hidden arrays are not part of SPIN's state vector.
final class PromelaTables {
    /// One array.
    struct Table {
        /// The Promela name.
        let name: String
        /// The types of the indices, in row-major order.
        let indexTypes: [FiniteType]
        /// The type of the entries, when known (for writing enum constants by name).
        let elementType: FiniteType?
        /// The entries, row-major.
        let entries: [Int64]
        /// Stored entry = entry - offset (SPIN's initializers take only non-negative numbers).
        let offset: Int64
        /// What the array holds, for a comment.
        let comment: String
        /// For a computed array, the cells indexing it (fields, or cells at computed indices).
        let atoms: [LoweredExpression]
    }

    /// The arrays: the model's tables first (same indices as `CheckedModel.tables`), then computed ones.
    private(set) var tables: [Table] = []
    private var computed: [LoweredExpression: Int] = [:]
    private let system: TransitionSystem
    /// Whether sub-expressions are replaced (off while writing LTL formulas, which should read only the state).
    var enabled = true

    /// Sub-expressions smaller than this many nodes stay as they are.
    static let minimumNodes = 24
    /// The most entries of a computed array.
    static let maximumEntries = 512
    /// The most node evaluations spent on one computed array.
    static let maximumWork = 4_000_000

    init(system: TransitionSystem, names: inout PromelaNames) {
        self.system = system
        for table in system.model.tables {
            tables.append(Table(name: names.helper("tab_" + table.name), indexTypes: table.indexTypes, elementType: table.elementType,
                                entries: table.entries, offset: min(0, table.entries.min() ?? 0),
                                comment: "table \(table.name)", atoms: []))
        }
    }

    /// The Promela type of an array's stored entries (SPIN does not allow hidden bits, so booleans are bytes).
    func storageType(_ table: Int) -> String {
        let highest = (tables[table].entries.max() ?? 0) - tables[table].offset
        if highest <= 255 { return "byte" }
        if highest <= 32_767 { return "short" }
        return "int"
    }

    /// The expression with its large sub-expressions over few cells replaced by lookups in computed arrays.
    /// `known` gives narrower ranges of fields where the expression is evaluated.
    func tabulate(_ expression: LoweredExpression, type: FiniteType?, known: [Int: ClosedRange<Int64>] = [:]) -> LoweredExpression {
        guard enabled else { return expression }
        let size = expression.size
        guard size >= Self.minimumNodes else { return expression }
        if let replaced = lookup(expression, size: size, type: type, known: known) { return replaced }
        func tabulate(_ expression: LoweredExpression, type: FiniteType?) -> LoweredExpression {
            self.tabulate(expression, type: type, known: known)
        }
        // Indices are hinted with their types (so that enum constants are named), a conditional's branches with
        // the expression's type and its condition as a boolean; operands of operators have no hint.
        let hints: [FiniteType?]
        switch expression {
        case .cell(let variable, _): hints = system.layout.variables[variable].info.indexTypes
        case .table(let table, _): hints = tables[table].indexTypes
        case .conditional: hints = [.bool, type, type]
        default: hints = Array(repeating: nil, count: expression.children.count)
        }
        return expression.withChildren(zip(expression.children, hints).map { tabulate($0, type: $1) })
    }

    /// A lookup replacing `expression`, when the value combinations of the cells it reads are few and it evaluates
    /// without failing for every one of them. A cell read at computed indices (`st[idx]`) counts as one value of the
    /// element type, whatever the indices: the array is indexed by the cell's value, read at run time.
    private func lookup(_ expression: LoweredExpression, size: Int, type: FiniteType?,
                        known: [Int: ClosedRange<Int64>]) -> LoweredExpression? {
        guard let atoms = atoms(expression, known: known) else { return nil }
        if let index = computed[expression] { return reference(index) }
        let types = atoms.map(atomType)
        var combinations = 1
        for atomType in types {
            combinations *= atomType.cardinality
            if combinations > Self.maximumEntries { return nil }
        }
        guard combinations * size <= Self.maximumWork else { return nil }
        var values: [LoweredExpression: Int64] = [:]
        var entries: [Int64] = []
        entries.reserveCapacity(combinations)
        let evaluator = LoweredEvaluator(cell: { values[$0] },
                                         tables: tables.map { LoweredEvaluator.Table(indexTypes: $0.indexTypes, entries: $0.entries) })
        for combination in 0..<combinations {
            var remainder = combination
            for (atom, atomType) in zip(atoms, types).reversed() {
                values[atom] = atomType.value(ordinal: remainder % atomType.cardinality)
                remainder /= atomType.cardinality
            }
            guard let value = evaluator.value(expression) else { return nil }
            entries.append(value)
        }
        let describer = SystemDescription(system)
        let description = describer.describe(expression)
        let shown = description.count > 160 ? String(description.prefix(160)) + "..." : description
        let index = tables.count
        tables.append(Table(name: "vmc_f\(index - system.model.tables.count + 1)", indexTypes: types, elementType: type,
                            entries: entries, offset: min(0, entries.min() ?? 0),
                            comment: "computed: \(shown); indexed by " + atoms.map { describer.describe($0) }.joined(separator: ", "),
                            atoms: atoms))
        computed[expression] = index
        return reference(index)
    }

    private func reference(_ index: Int) -> LoweredExpression {
        .table(table: index, indices: tables[index].atoms)
    }

    private func atomType(_ atom: LoweredExpression) -> FiniteType {
        system.layout.cellType(atom) ?? .bool
    }

    /// The cells an expression reads, each once, in order of first appearance: fields, and cells at computed indices
    /// as whole expressions (their indices are evaluated when the lookup is). Nil when a cell at computed indices is
    /// read only under a condition (the right side of `&&`, `||`, `->`, a branch of a conditional) and its indices
    /// may be out of range: vfio-mc would not read it where the condition is false, the lookup always would.
    func atoms(_ expression: LoweredExpression, known: [Int: ClosedRange<Int64>]) -> [LoweredExpression]? {
        var unconditional: Set<LoweredExpression> = []
        var result: [LoweredExpression] = []
        var seen: Set<LoweredExpression> = []
        func visit(_ expression: LoweredExpression, conditional: Bool) {
            switch expression {
            case .constant: break
            case .field, .cell:
                if seen.insert(expression).inserted { result.append(expression) }
                if !conditional { unconditional.insert(expression) }
            case .table(_, let indices): indices.forEach { visit($0, conditional: conditional) }
            case .unary(_, let operand): visit(operand, conditional: conditional)
            case .binary(let op, let left, let right):
                visit(left, conditional: conditional)
                visit(right, conditional: conditional || op == .and || op == .or || op == .implies)
            case .member(let element, _): visit(element, conditional: conditional)
            case .conditional(let c, let a, let b):
                visit(c, conditional: conditional)
                visit(a, conditional: true)
                visit(b, conditional: true)
            }
        }
        visit(expression, conditional: false)
        for atom in result where !unconditional.contains(atom) && !indicesInRange(atom, known: known) { return nil }
        return result
    }

    /// The value-range analysis over these arrays, with `known` narrower ranges of some fields.
    func ranges(known: [Int: ClosedRange<Int64>]) -> ValueRanges {
        ValueRanges(layout: system.layout, tableEntries: { self.tables[$0].entries }, known: known)
    }

    /// Whether a cell's indices are certainly in range (always true for a field).
    private func indicesInRange(_ atom: LoweredExpression, known: [Int: ClosedRange<Int64>]) -> Bool {
        guard case .cell(let variable, let indices) = atom else { return true }
        let ranges = ranges(known: known)
        return zip(indices, system.layout.variables[variable].info.indexTypes).allSatisfy { ranges.fits($0, $1) }
    }
}
