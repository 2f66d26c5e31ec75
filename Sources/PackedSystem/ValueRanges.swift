import ModelLanguage

/// The interval a lowered expression's value lies in, told without running it: cells lie in their types (or in
/// narrower ranges known where the expression is evaluated, such as after a guard, see
/// `GuardAnalysis.knownRanges`), tables between their smallest and largest entries, and arithmetic follows.
/// Nil where the interval is unknown or beyond 2^40 in size, which the callers treat as "may be anything".
public struct ValueRanges {
    /// Bounds beyond this are not tracked (sums of them cannot overflow 64 bits).
    public static let limit: Int64 = 1 << 40

    let layout: StateLayout
    let tableEntries: (Int) -> [Int64]
    let known: [Int: ClosedRange<Int64>]

    /// The analysis for a layout; `tableEntries` gives the entries of a table by the index expressions use,
    /// `known` narrower ranges of some fields.
    public init(layout: StateLayout, tableEntries: @escaping (Int) -> [Int64], known: [Int: ClosedRange<Int64>] = [:]) {
        self.layout = layout
        self.tableEntries = tableEntries
        self.known = known
    }

    /// All the values of a type, as an interval.
    public static func interval(_ type: FiniteType) -> ClosedRange<Int64> {
        type.lowerBound...(type.lowerBound + Int64(type.cardinality) - 1)
    }

    /// Whether the expression's value certainly lies in the type.
    public func fits(_ expression: LoweredExpression, _ type: FiniteType) -> Bool {
        guard let values = range(expression) else { return false }
        let allowed = Self.interval(type)
        return values.lowerBound >= allowed.lowerBound && values.upperBound <= allowed.upperBound
    }

    /// The interval of the expression's value, when it can be told.
    public func range(_ expression: LoweredExpression) -> ClosedRange<Int64>? {
        switch expression {
        case .constant(let value): return value...value
        case .field(let index): return known[index] ?? Self.interval(layout.fields[index].type)
        case .cell(let variable, _): return Self.interval(layout.variables[variable].info.elementType)
        case .table(let table, _):
            let entries = tableEntries(table)
            guard let low = entries.min(), let high = entries.max() else { return nil }
            return low...high
        case .unary(let op, let operand):
            if op == .not { return 0...1 }
            guard let inner = range(operand) else { return nil }
            return bounded(Int64(0).subtractingReportingOverflow(inner.upperBound),
                           Int64(0).subtractingReportingOverflow(inner.lowerBound))
        case .binary(let op, let left, let right):
            switch op {
            case .and, .or, .implies, .equivalent, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return 0...1
            case .add:
                guard let l = range(left), let r = range(right) else { return nil }
                return bounded(l.lowerBound.addingReportingOverflow(r.lowerBound), l.upperBound.addingReportingOverflow(r.upperBound))
            case .subtract:
                guard let l = range(left), let r = range(right) else { return nil }
                return bounded(l.lowerBound.subtractingReportingOverflow(r.upperBound), l.upperBound.subtractingReportingOverflow(r.lowerBound))
            case .multiply:
                guard let l = range(left), let r = range(right) else { return nil }
                var products: [Int64] = []
                for x in [l.lowerBound, l.upperBound] {
                    for y in [r.lowerBound, r.upperBound] {
                        let (product, overflow) = x.multipliedReportingOverflow(by: y)
                        if overflow { return nil }
                        products.append(product)
                    }
                }
                guard let low = products.min(), let high = products.max() else { return nil }
                return bounded((low, false), (high, false))
            case .divide, .remainder:
                return nil
            }
        case .member: return 0...1
        case .conditional(_, let a, let b):
            guard let l = range(a), let r = range(b) else { return nil }
            return min(l.lowerBound, r.lowerBound)...max(l.upperBound, r.upperBound)
        }
    }

    /// `low...high` when both were computed without overflow and are within the tracked limit (the bounds of
    /// a constant are not limited, so a sum with one can overflow: that interval is unknown, not a crash).
    private func bounded(_ low: (partialValue: Int64, overflow: Bool), _ high: (partialValue: Int64, overflow: Bool)) -> ClosedRange<Int64>? {
        guard !low.overflow, !high.overflow else { return nil }
        let (low, high) = (low.partialValue, high.partialValue)
        return low >= -Self.limit && high <= Self.limit && low <= high ? low...high : nil
    }
}
