import ModelLanguage
import PackedSystem

/// An encoded expression: its value, and the condition under which evaluating it fails (an index out of range or
/// a division by zero, following the machine's short-circuit evaluation). A nil failure means it cannot fail.
struct EncodedExpression {
    let value: SymbolicValue
    let failure: Term?
}

/// Encodes lowered expressions over one state: the ordinals of every cell (nil for single-valued cells).
final class ExpressionEncoder {
    let z3: Z3Context
    let system: TransitionSystem
    /// The ordinal of every field, nil when the field has width 0.
    let cells: [Term?]

    /// The lookups encoded so far (a cell of an array or a table entry, by its indices): the same lookup is
    /// written by many ground actions (v2-device's `[St][St]` tables under every action's guard), and each
    /// encoding builds an `ite` chain over every in-range index with its conditions. Sound because an
    /// expression reads only the cells of the one state this encoder is over (the lowering has substituted
    /// parameters and locals), so equal expressions have equal encodings.
    private var lookups: [LoweredExpression: EncodedExpression] = [:]

    init(z3: Z3Context, system: TransitionSystem, cells: [Term?]) {
        self.z3 = z3
        self.system = system
        self.cells = cells
    }

    // MARK: Failure conditions

    /// `a || b` for optional failure conditions (nil is false).
    func either(_ a: Term?, _ b: Term?) throws -> Term? {
        guard let a else { return b }
        guard let b else { return a }
        return try z3.or(a, b)
    }

    /// `c && a` for an optional failure condition.
    func when(_ c: Term, _ a: Term?) throws -> Term? {
        guard let a else { return nil }
        return try z3.and(c, a)
    }

    // MARK: Expressions

    /// The value of a field.
    func field(_ index: Int) -> SymbolicValue {
        let slot = system.layout.fields[index]
        guard let term = cells[index] else { return .constant(slot.type.lowerBound) }
        return .ordinal(term, width: slot.width, lowerBound: slot.type.lowerBound, count: Int64(slot.type.cardinality))
    }

    func encode(_ expression: LoweredExpression) throws -> EncodedExpression {
        switch expression {
        case .constant(let value):
            return EncodedExpression(value: .constant(value), failure: nil)
        case .field(let index):
            return EncodedExpression(value: field(index), failure: nil)
        case .cell(let variable, let indices):
            if let known = lookups[expression] { return known }
            let encoded = try encodeCell(variable: variable, indices: indices)
            lookups[expression] = encoded
            return encoded
        case .table(let table, let indices):
            if let known = lookups[expression] { return known }
            let encoded = try encodeTable(table, indices: indices)
            lookups[expression] = encoded
            return encoded
        case .unary(let op, let operand):
            let inner = try encode(operand)
            if op == .not { return EncodedExpression(value: .boolean(try z3.not(try z3.boolean(inner.value))), failure: inner.failure) }
            let (value, overflow) = try negate(inner.value)
            return EncodedExpression(value: value, failure: try either(inner.failure, overflow))
        case .binary(let op, let left, let right):
            return try encodeBinary(op, left, right)
        case .member(let element, let values):
            let inner = try encode(element)
            return EncodedExpression(value: .boolean(try member(inner.value, values)), failure: inner.failure)
        case .conditional(let condition, let then, let otherwise):
            let c = try encode(condition)
            let a = try encode(then)
            let b = try encode(otherwise)
            let test = try z3.boolean(c.value)
            var failure = c.failure
            if a.failure != nil || b.failure != nil {
                failure = try either(failure, try z3.ite(test, try a.failure ?? z3.falseTerm, try b.failure ?? z3.falseTerm))
            }
            return EncodedExpression(value: try conditional(test, a.value, b.value), failure: failure)
        }
    }

    private func encodeBinary(_ op: BinaryOperator, _ left: LoweredExpression, _ right: LoweredExpression) throws -> EncodedExpression {
        let l = try encode(left)
        let r = try encode(right)
        switch op {
        case .and:
            let a = try z3.boolean(l.value)
            return EncodedExpression(value: .boolean(try z3.and(a, try z3.boolean(r.value))), failure: try either(l.failure, try when(a, r.failure)))
        case .or:
            let a = try z3.boolean(l.value)
            return EncodedExpression(value: .boolean(try z3.or(a, try z3.boolean(r.value))),
                                     failure: try either(l.failure, try when(try z3.not(a), r.failure)))
        case .implies:
            let a = try z3.boolean(l.value)
            return EncodedExpression(value: .boolean(try z3.implies(a, try z3.boolean(r.value))), failure: try either(l.failure, try when(a, r.failure)))
        case .equivalent, .equal:
            return EncodedExpression(value: .boolean(try equal(l.value, r.value)), failure: try either(l.failure, r.failure))
        case .notEqual:
            return EncodedExpression(value: .boolean(try z3.not(try equal(l.value, r.value))), failure: try either(l.failure, r.failure))
        case .less, .lessEqual, .greater, .greaterEqual:
            return EncodedExpression(value: .boolean(try compare(op, l.value, r.value)), failure: try either(l.failure, r.failure))
        case .add, .subtract, .multiply:
            let (value, overflow) = try arithmetic(op, l.value, r.value)
            return EncodedExpression(value: value, failure: try either(try either(l.failure, r.failure), overflow))
        case .divide, .remainder:
            let (value, zero) = try division(op, l.value, r.value)
            return EncodedExpression(value: value, failure: try either(try either(l.failure, r.failure), zero))
        }
    }

    // MARK: Values

    /// `value == constant` as a Boolean term.
    func equals(_ value: SymbolicValue, _ constant: Int64) throws -> Term {
        if constant < value.low || constant > value.high { return try z3.falseTerm }
        switch value.form {
        case .constant(let own): return try z3.boolean(own == constant)
        case .boolean(let term): return constant != 0 ? term : try z3.not(term)
        case .ordinal(let term, let width, let lowerBound, _):
            return try z3.eq(term, try z3.number(constant - lowerBound, width: width))
        case .integer(let term, let width):
            return try z3.eq(term, try z3.number(constant, width: width))
        }
    }

    func equal(_ a: SymbolicValue, _ b: SymbolicValue) throws -> Term {
        if let constant = b.constantValue { return try equals(a, constant) }
        if let constant = a.constantValue { return try equals(b, constant) }
        if a.high < b.low || b.high < a.low { return try z3.falseTerm }
        switch (a.form, b.form) {
        case (.boolean(let x), .boolean(let y)):
            return try z3.iff(x, y)
        case (.ordinal(let x, let xw, let xl, _), .ordinal(let y, let yw, let yl, _)) where xw == yw && xl == yl:
            return try z3.eq(x, y)
        default:
            let width = max(a.naturalWidth, b.naturalWidth)
            return try z3.eq(try z3.integer(a, width: width), try z3.integer(b, width: width))
        }
    }

    func compare(_ op: BinaryOperator, _ a: SymbolicValue, _ b: SymbolicValue) throws -> Term {
        // Normalise to a < b or a <= b.
        switch op {
        case .greater: return try compare(.less, b, a)
        case .greaterEqual: return try compare(.lessEqual, b, a)
        default: break
        }
        let strict = op == .less
        if strict ? a.high < b.low : a.high <= b.low { return try z3.trueTerm }
        if strict ? a.low >= b.high : a.low > b.high { return try z3.falseTerm }
        if case .ordinal(let x, let xw, let xl, _) = a.form, case .ordinal(let y, let yw, let yl, _) = b.form, xw == yw, xl == yl {
            return strict ? try z3.unsignedLess(x, y) : try z3.unsignedLessEqual(x, y)
        }
        let width = max(a.naturalWidth, b.naturalWidth)
        let x = try z3.integer(a, width: width)
        let y = try z3.integer(b, width: width)
        return strict ? try z3.signedLess(x, y) : try z3.signedLessEqual(x, y)
    }

    func member(_ value: SymbolicValue, _ values: [Int64]) throws -> Term {
        if let constant = value.constantValue { return try z3.boolean(values.contains(constant)) }
        var seen = Set<Int64>()
        var terms: [Term] = []
        for candidate in values where candidate >= value.low && candidate <= value.high && seen.insert(candidate).inserted {
            terms.append(try equals(value, candidate))
        }
        return try z3.or(terms)
    }

    /// `-value`, and the condition under which it overflows 64 bits (a `bounds` violation in the machine).
    func negate(_ value: SymbolicValue) throws -> (SymbolicValue, Term?) {
        if let constant = value.constantValue {
            if constant == Int64.min { return (.constant(0), try z3.trueTerm) }
            return (.constant(-constant), nil)
        }
        if value.low == Int64.min {
            let x = try z3.integer(value, width: 64)
            return (SymbolicValue(form: .integer(try z3.negate(x), width: 64), low: .min, high: .max), try z3.negateOverflows(x))
        }
        let low = -value.high
        let high = -value.low
        let width = max(value.naturalWidth, SymbolicValue.signedWidth(low, high))
        return (SymbolicValue(form: .integer(try z3.negate(try z3.integer(value, width: width)), width: width), low: low, high: high), nil)
    }

    /// `+`, `-`, `*`, exact in 64 bits, and the condition under which the result does not fit (a `bounds`
    /// violation in the machine). When the operands' intervals rule overflow out, the operation is done at the
    /// narrowest width that holds the result.
    func arithmetic(_ op: BinaryOperator, _ a: SymbolicValue, _ b: SymbolicValue) throws -> (SymbolicValue, Term?) {
        func exact(_ x: Int64, _ y: Int64) -> (partialValue: Int64, overflow: Bool) {
            switch op {
            case .add: return x.addingReportingOverflow(y)
            case .subtract: return x.subtractingReportingOverflow(y)
            default: return x.multipliedReportingOverflow(by: y)
            }
        }
        if let x = a.constantValue, let y = b.constantValue {
            let result = exact(x, y)
            return result.overflow ? (.constant(0), try z3.trueTerm) : (.constant(result.partialValue), nil)
        }
        var bounds: (low: Int64, high: Int64)?
        switch op {
        case .add:
            let low = a.low.addingReportingOverflow(b.low)
            let high = a.high.addingReportingOverflow(b.high)
            if !low.overflow && !high.overflow { bounds = (low.partialValue, high.partialValue) }
        case .subtract:
            let low = a.low.subtractingReportingOverflow(b.high)
            let high = a.high.subtractingReportingOverflow(b.low)
            if !low.overflow && !high.overflow { bounds = (low.partialValue, high.partialValue) }
        default:
            let corners = [exact(a.low, b.low), exact(a.low, b.high), exact(a.high, b.low), exact(a.high, b.high)]
            if !corners.contains(where: \.overflow) {
                let products = corners.map(\.partialValue)
                bounds = (products.min() ?? 0, products.max() ?? 0)
            }
        }
        func operate(_ x: Term, _ y: Term) throws -> Term {
            switch op {
            case .add: return try z3.add(x, y)
            case .subtract: return try z3.subtract(x, y)
            default: return try z3.multiply(x, y)
            }
        }
        if let bounds {
            let width = max(a.naturalWidth, b.naturalWidth, SymbolicValue.signedWidth(bounds.low, bounds.high))
            let term = try operate(try z3.integer(a, width: width), try z3.integer(b, width: width))
            return (SymbolicValue(form: .integer(term, width: width), low: bounds.low, high: bounds.high), nil)
        }
        let x = try z3.integer(a, width: 64)
        let y = try z3.integer(b, width: 64)
        let overflow: Term
        switch op {
        case .add: overflow = try z3.addOverflows(x, y)
        case .subtract: overflow = try z3.subtractOverflows(x, y)
        default: overflow = try z3.multiplyOverflows(x, y)
        }
        return (SymbolicValue(form: .integer(try operate(x, y), width: 64), low: .min, high: .max), overflow)
    }

    /// Truncating `/` and `%`, and the condition under which the machine fails (division by zero, or
    /// `Int64.min / -1`).
    func division(_ op: BinaryOperator, _ a: SymbolicValue, _ b: SymbolicValue) throws -> (SymbolicValue, Term?) {
        if let x = a.constantValue, let y = b.constantValue {
            if y == 0 || (y == -1 && x == Int64.min) { return (.constant(0), try z3.trueTerm) }
            return (.constant(op == .divide ? x / y : x % y), nil)
        }
        let magnitude: Int64? = a.low == Int64.min ? nil : max(abs(a.low), abs(a.high))
        let width: Int
        let low: Int64
        let high: Int64
        if let magnitude {
            width = max(a.naturalWidth, b.naturalWidth, SymbolicValue.signedWidth(-magnitude, magnitude))
            (low, high) = (-magnitude, magnitude)
        } else {
            (width, low, high) = (64, .min, .max)
        }
        let x = try z3.integer(a, width: width)
        let y = try z3.integer(b, width: width)
        var failure: Term?
        if b.low <= 0 && b.high >= 0 { failure = try equals(b, 0) }
        if width == 64 && a.low == Int64.min && b.low <= -1 && b.high >= -1 {
            failure = try either(failure, try z3.and(try equals(a, Int64.min), try equals(b, -1)))
        }
        let term = op == .divide ? try z3.divide(x, y) : try z3.remainder(x, y)
        return (SymbolicValue(form: .integer(term, width: width), low: low, high: high), failure)
    }

    /// `if test then a else b`.
    func conditional(_ test: Term, _ a: SymbolicValue, _ b: SymbolicValue) throws -> SymbolicValue {
        func booleanLike(_ value: SymbolicValue) -> Bool {
            value.isBoolean || (value.constantValue.map { $0 == 0 || $0 == 1 } ?? false)
        }
        let low = min(a.low, b.low)
        let high = max(a.high, b.high)
        if a.isBoolean || b.isBoolean, booleanLike(a), booleanLike(b) {
            return .boolean(try z3.ite(test, try z3.boolean(a), try z3.boolean(b)))
        }
        if case .ordinal(let x, let xw, let xl, let xc) = a.form, case .ordinal(let y, let yw, let yl, let yc) = b.form, xw == yw, xl == yl {
            return .ordinal(try z3.ite(test, x, y), width: xw, lowerBound: xl, count: max(xc, yc))
        }
        let width = max(a.naturalWidth, b.naturalWidth)
        return SymbolicValue(form: .integer(try z3.ite(test, try z3.integer(a, width: width), try z3.integer(b, width: width)), width: width),
                             low: low, high: high)
    }

    // MARK: Arrays and tables

    /// The failure condition of using `value` as an index of `type`: nil when it is always in range.
    func indexFailure(_ value: SymbolicValue, _ type: FiniteType) throws -> Term? {
        let low = type.lowerBound
        let high = type.lowerBound + Int64(type.cardinality) - 1
        if value.low >= low && value.high <= high { return nil }
        if value.high < low || value.low > high { return try z3.trueTerm }
        let width = max(value.naturalWidth, SymbolicValue.signedWidth(low, high))
        let x = try z3.integer(value, width: width)
        return try z3.or(try z3.signedLess(x, try z3.number(low, width: width)), try z3.signedLess(try z3.number(high, width: width), x))
    }

    /// The cells (row-major flat positions) an index list can select, each with its selection condition.
    func selections(_ indices: [SymbolicValue], _ types: [FiniteType]) throws -> [(flat: Int, condition: Term?)] {
        var result: [(flat: Int, condition: Term?)] = [(0, nil)]
        for (value, type) in zip(indices, types) {
            var next: [(flat: Int, condition: Term?)] = []
            let candidates = type.values.filter { $0 >= value.low && $0 <= value.high }
            for (prefix, condition) in result {
                for candidate in candidates {
                    let flat = prefix * type.cardinality + Int(candidate - type.lowerBound)
                    let test: Term? = candidates.count == 1 ? nil : try equals(value, candidate)
                    let combined: Term?
                    if let condition, let test { combined = try z3.and(condition, test) } else { combined = condition ?? test }
                    next.append((flat, combined))
                }
            }
            result = next
        }
        return result
    }

    /// A chain of `ite`s choosing among `options` by their conditions; the last is the default.
    func choose(_ options: [(condition: Term?, value: Term)]) throws -> Term? {
        guard var result = options.last?.value else { return nil }
        for option in options.dropLast().reversed() {
            if let condition = option.condition { result = try z3.ite(condition, option.value, result) } else { result = option.value }
        }
        return result
    }

    private func encodeIndices(_ indices: [LoweredExpression], _ types: [FiniteType]) throws -> ([SymbolicValue], Term?) {
        var values: [SymbolicValue] = []
        var failure: Term?
        for (index, type) in zip(indices, types) {
            let encoded = try encode(index)
            values.append(encoded.value)
            failure = try either(failure, encoded.failure)
            failure = try either(failure, try indexFailure(encoded.value, type))
        }
        return (values, failure)
    }

    private func encodeCell(variable: Int, indices: [LoweredExpression]) throws -> EncodedExpression {
        let layout = system.layout.variables[variable]
        let (values, failure) = try encodeIndices(indices, layout.info.indexTypes)
        let element = layout.info.elementType
        let options = try selections(values, layout.info.indexTypes)
        let width = element.bitWidth
        guard width > 0 else { return EncodedExpression(value: .constant(element.lowerBound), failure: failure) }
        var choices: [(condition: Term?, value: Term)] = []
        for option in options {
            guard let term = cells[layout.firstField + option.flat] else { continue }
            choices.append((option.condition, term))
        }
        guard let selected = try choose(choices) else {
            // No index can be in range: the read always fails; the value does not matter.
            return EncodedExpression(value: .constant(element.lowerBound), failure: try failure ?? z3.trueTerm)
        }
        return EncodedExpression(value: .ordinal(selected, width: width, lowerBound: element.lowerBound, count: Int64(element.cardinality)),
                                 failure: failure)
    }

    private func encodeTable(_ table: Int, indices: [LoweredExpression]) throws -> EncodedExpression {
        let info = system.model.tables[table]
        let (values, failure) = try encodeIndices(indices, info.indexTypes)
        let options = try selections(values, info.indexTypes)
        let entries = options.map { info.entries[$0.flat] }
        guard let low = entries.min(), let high = entries.max() else {
            return EncodedExpression(value: .constant(0), failure: try failure ?? z3.trueTerm)
        }
        if low == high { return EncodedExpression(value: .constant(low), failure: failure) }
        if info.elementType == .bool {
            let term = try choose(try options.map { ($0.condition, try z3.boolean(info.entries[$0.flat] != 0)) })
            guard let term else { return EncodedExpression(value: .constant(0), failure: failure) }
            return EncodedExpression(value: .boolean(term), failure: failure)
        }
        let width = SymbolicValue.signedWidth(low, high)
        let term = try choose(try options.map { ($0.condition, try z3.number(info.entries[$0.flat], width: width)) })
        guard let term else { return EncodedExpression(value: .constant(0), failure: failure) }
        return EncodedExpression(value: SymbolicValue(form: .integer(term, width: width), low: low, high: high), failure: failure)
    }

    // MARK: Stores

    /// Converts a value stored into a cell of `type`: the new ordinal (nil for a single-valued type) and the
    /// condition under which the value is outside the domain.
    func store(_ value: SymbolicValue, into type: FiniteType) throws -> (ordinal: Term?, failure: Term?) {
        let failure = try indexFailure(value, type)
        let width = type.bitWidth
        guard width > 0 else { return (nil, failure) }
        let lowerBound = type.lowerBound
        switch value.form {
        case .constant(let constant):
            return (try z3.number(type.contains(constant) ? constant - lowerBound : 0, width: width), failure)
        case .ordinal(let term, let own, let low, _) where own == width && low == lowerBound:
            return (term, failure)
        default:
            let full = max(value.naturalWidth, width)
            let difference = try z3.subtract(try z3.integer(value, width: full), try z3.number(lowerBound, width: full))
            return (full == width ? difference : try z3.extract(difference, high: width - 1, low: 0), failure)
        }
    }
}
