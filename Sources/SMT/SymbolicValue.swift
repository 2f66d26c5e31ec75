/// The value of a lowered expression as Z3 sees it, with the interval of values it can take in states that
/// satisfy the domain constraints. Integers are encoded as signed bit-vectors just wide enough for their
/// interval, so the narrow result equals the machine's exact 64-bit result; when an interval could overflow 64
/// bits the operation is done at 64 bits, with the overflow as a failure condition (as in the machine).
struct SymbolicValue {
    enum Form {
        /// A value known when encoding.
        case constant(Int64)
        /// A Boolean (the value 1 when true, 0 when false).
        case boolean(Term)
        /// A signed bit-vector of `width` bits.
        case integer(Term, width: Int)
        /// A cell's ordinal: the value is `lowerBound + ordinal`, the ordinal an unsigned `width`-bit vector below
        /// `count`.
        case ordinal(Term, width: Int, lowerBound: Int64, count: Int64)
    }

    let form: Form
    /// The smallest value it can take.
    let low: Int64
    /// The largest value it can take.
    let high: Int64

    static func constant(_ value: Int64) -> SymbolicValue { SymbolicValue(form: .constant(value), low: value, high: value) }
    static func boolean(_ term: Term) -> SymbolicValue { SymbolicValue(form: .boolean(term), low: 0, high: 1) }

    static func ordinal(_ term: Term, width: Int, lowerBound: Int64, count: Int64) -> SymbolicValue {
        SymbolicValue(form: .ordinal(term, width: width, lowerBound: lowerBound, count: count), low: lowerBound,
                      high: lowerBound + count - 1)
    }

    /// The constant value, if known.
    var constantValue: Int64? {
        if case .constant(let value) = form { return value }
        return nil
    }

    /// Whether the value is a Boolean term.
    var isBoolean: Bool {
        if case .boolean = form { return true }
        return false
    }

    /// The fewest bits of a signed bit-vector that hold every value in `low...high`.
    static func signedWidth(_ low: Int64, _ high: Int64) -> Int {
        func bits(_ value: Int64) -> Int {
            // Bits for value in two's complement: 1 + magnitude bits of (value < 0 ? ~value : value).
            let magnitude = value < 0 ? ~value : value
            return 1 + (64 - magnitude.leadingZeroBitCount)
        }
        return min(64, max(1, max(bits(low), bits(high))))
    }

    /// The width this value needs as a signed bit-vector.
    var naturalWidth: Int {
        switch form {
        case .constant(let value): return Self.signedWidth(value, value)
        case .boolean: return 2
        case .integer(_, let width): return width
        case .ordinal(_, let width, _, _): return min(64, max(width + 1, Self.signedWidth(low, high)))
        }
    }
}

extension Z3Context {
    /// The value as a signed bit-vector of `width` bits (at least its natural width).
    func integer(_ value: SymbolicValue, width: Int) throws -> Term {
        switch value.form {
        case .constant(let constant): return try number(constant, width: width)
        case .boolean(let term): return try ite(term, try number(1, width: width), try number(0, width: width))
        case .integer(let term, let own): return try signExtend(term, by: width - own)
        case .ordinal(let term, let own, let lowerBound, _):
            let extended = try zeroExtend(term, by: width - own)
            return lowerBound == 0 ? extended : try add(extended, try number(lowerBound, width: width))
        }
    }

    /// The value as a Boolean (non-zero is true).
    func boolean(_ value: SymbolicValue) throws -> Term {
        switch value.form {
        case .constant(let constant): return try boolean(constant != 0)
        case .boolean(let term): return term
        case .ordinal(let term, let width, let lowerBound, _) where lowerBound == 0:
            return try not(try eq(term, try number(0, width: width)))
        default:
            let width = value.naturalWidth
            return try not(try eq(try integer(value, width: width), try number(0, width: width)))
        }
    }
}
