import CZ3
import CZ3Guard
import PackedSystem

/// An error reported by Z3 or found while encoding a system, turned into a Swift error (Z3 never aborts the
/// process: the context has no error handler and every call's error code is checked).
public struct SMTError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// A Z3 term (expression) of the owning context. Only valid while its `Z3Context` lives.
struct Term {
    let raw: OpaquePointer
}

/// The outcome of a satisfiability check.
enum SolverOutcome: Equatable {
    case satisfiable, unsatisfiable
    /// Z3 gave up: time or memory limit, or incompleteness. Carries Z3's reason.
    case unknown(String)
}

/// One Z3 context and the term constructors the encoder needs. Not Sendable: one per engine run, used from
/// one thread. Terms are never reference-counted individually (the context is not an `_rc` context): they
/// live until the context is deleted.
final class Z3Context {
    let raw: OpaquePointer
    let boolSort: OpaquePointer
    /// Per width (1 to 64): its sort, made once (an array: every numeral asks for one, see `number`).
    private var bitVectorSorts = [OpaquePointer?](repeating: nil, count: 65)
    private var fresh = 0
    /// Interrupts a query past its time limit or when `interruption` answers (Z3's own `timeout` is not always
    /// honoured, see `Z3Watch`).
    private(set) var watch: Z3Watch?
    /// The run's interruption, which contexts made for single queries (`Z3Fixedpoint`) watch too.
    let interruption: (@Sendable () -> StopReason?)?

    /// Creates a context. `memoryMegabytes` also sets Z3's process-wide `memory_max_size`; `interruption` (the
    /// run's budget) is asked every 50 ms while a query runs, and a non-nil answer interrupts the query.
    /// `watchStackSize`: the watch thread's stack (tests ask for one the system refuses).
    init(memoryMegabytes: Int?, interruption: (@Sendable () -> StopReason?)? = nil, watchStackSize: Int = 1 << 16) throws {
        if let memoryMegabytes { Z3_global_param_set("memory_max_size", String(max(1, memoryMegabytes))) }
        guard let config = Z3_mk_config() else { throw SMTError("Z3: cannot create a configuration") }
        Z3_set_param_value(config, "model", "true")
        let made: OpaquePointer?
        do {
            made = try Self.guarded("making a context") { vmc_z3_mk_context(config, $0) }
        } catch {
            Z3_del_config(config)
            throw error
        }
        guard let context = made else {
            Z3_del_config(config)
            throw SMTError("Z3: cannot create a context")
        }
        Z3_del_config(config)
        Z3_set_error_handler(context, nil)
        raw = context
        guard let sort = Z3_mk_bool_sort(context) else {
            Z3_del_context(context)
            throw SMTError("Z3: cannot create the Boolean sort")
        }
        boolSort = sort
        self.interruption = interruption
        // Every stored property is set: if the watch throws, `deinit` runs and deletes the context.
        watch = try Z3Watch(context: context, interruption: interruption, stackSize: watchStackSize)
    }

    /// An empty solver whose check clears a cancellation a late interrupt left (`clearInterrupt`); made on first use.
    private var resetSolver: OpaquePointer?

    deinit {
        watch?.close()
        if let resetSolver { Z3_solver_dec_ref(raw, resetSolver) }
        Z3_del_context(raw)
    }

    /// Sets `ctrl_c` to false in a solver's parameters. By default every solver check of Z3 4.8.12 replaces the
    /// process's SIGINT handler with its own for the check's duration (`scoped_ctrl_c`, with `signal()`, through one
    /// global pointer): a SIGINT then stopped only that check ("interrupted from keyboard") and never reached
    /// vfio-mc's handler, so the run went on; and two threads checking at once could restore each other's handlers
    /// out of order, leaving Z3's installed with a pointer to a finished check. SIGINT reaches a query through the
    /// run's interruption and the watch instead. (Spacer's query, `Z3_fixedpoint_query_relations`, installs none.)
    static func keepSignals(_ context: OpaquePointer, _ params: OpaquePointer) {
        Z3_params_set_bool(context, params, Z3_mk_string_symbol(context, "ctrl_c"), false)
    }

    /// After a watched query, once its error and reason have been read: when the watch interrupted it, clears the
    /// cancellation the interrupt may have left on the context (see `Z3Watch`, "The late interrupt"), so that the
    /// calls after it (the model, simplification, the next encoding) do not fail with "canceled". Every solver check
    /// clears it on entry (`scoped_rlimit`), so an empty one does; it resets the context's error code, which is why
    /// this runs after the query's own error was read. Returns why the watch interrupted the query.
    @discardableResult
    func clearInterrupt() -> Z3Watch.Interrupt? {
        guard let interrupt = watch?.takeInterrupt() else { return nil }
        if resetSolver == nil, let solver = Z3_mk_solver_for_logic(raw, Z3_mk_string_symbol(raw, "QF_BV")) {
            Z3_solver_inc_ref(raw, solver)
            if let params = Z3_mk_params(raw) {
                Z3_params_inc_ref(raw, params)
                Self.keepSignals(raw, params)
                Z3_solver_set_params(raw, solver, params)
                Z3_params_dec_ref(raw, params)
            }
            resetSolver = solver
        }
        if let resetSolver { _ = Z3_solver_check(raw, resetSolver) }
        Z3_set_error(raw, Z3_OK)
        return interrupt
    }

    /// Runs one query under the watch: interrupted after `timeoutMilliseconds` or when the run's interruption
    /// answers.
    func watched<T>(timeoutMilliseconds: Int?, _ query: () throws -> T) rethrows -> T {
        guard let watch else { return try query() }
        return try watch.during(timeoutMilliseconds: timeoutMilliseconds, query)
    }

    /// Runs one Z3 call through the C++ guard (`z3_guard.h`), which hands it a message buffer: a C++ exception
    /// that escapes Z3's C API, which would end the process, becomes an `SMTError` naming `what` was asked. Z3
    /// 4.8.12 throws one when the system refuses it a thread (a query's timer, and one while a context is made):
    /// under an address-space limit (`ulimit -v`), or a stack limit so large that no thread's default stack can be
    /// reserved (`ulimit -s`). The context stays deletable; the query is lost, and the engine reports the error
    /// for the combination (exit 3) as it reports a context it cannot make.
    static func guarded<T>(_ what: String, _ call: (UnsafeMutablePointer<CChar>) -> T) throws -> T {
        var message = [CChar](repeating: 0, count: Int(VMC_Z3_GUARD_MESSAGE_BYTES))
        let result = call(&message)
        guard message[0] == 0 else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw SMTError("Z3 failed while \(what): \(text) (a C++ exception from inside Z3, most likely a thread the "
                           + "system refused: an address-space limit such as `ulimit -v`, or a stack limit such as "
                           + "`ulimit -s` too large for a thread's stack)")
        }
        return result
    }

    /// Throws when the last Z3 call failed.
    func checkError() throws {
        let code = Z3_get_error_code(raw)
        if code != Z3_OK {
            let message = Z3_get_error_msg(raw, code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            throw SMTError("Z3: \(message)")
        }
    }

    @inline(__always)
    func term(_ ast: OpaquePointer?) throws -> Term {
        try checkError()
        guard let ast else { throw SMTError("Z3 returned no term") }
        return Term(raw: ast)
    }

    private func bitVectorSort(_ width: Int) throws -> OpaquePointer {
        guard width >= 1, width <= 64 else { throw SMTError("internal error: bit-vector width \(width)") }
        if let sort = bitVectorSorts[width] { return sort }
        let sort = Z3_mk_bv_sort(raw, UInt32(width))
        try checkError()
        guard let sort else { throw SMTError("Z3 returned no sort") }
        bitVectorSorts[width] = sort
        return sort
    }

    // MARK: Constants

    /// A fresh Boolean or bit-vector constant (`width` nil for Boolean). Names are unique per context.
    func constant(_ name: String, width: Int?) throws -> Term {
        fresh += 1
        let symbol = Z3_mk_string_symbol(raw, "\(name)!\(fresh)")
        try checkError()
        let sort = try width.map(bitVectorSort) ?? boolSort
        return try term(Z3_mk_const(raw, symbol, sort))
    }

    var trueTerm: Term { get throws { try term(Z3_mk_true(raw)) } }
    var falseTerm: Term { get throws { try term(Z3_mk_false(raw)) } }

    /// A Boolean constant.
    func boolean(_ value: Bool) throws -> Term { value ? try trueTerm : try falseTerm }

    /// The `width`-bit two's complement representation of `value` (truncated).
    func number(_ value: Int64, width: Int) throws -> Term {
        let bits = UInt64(bitPattern: value)
        let masked = width >= 64 ? bits : bits & ((UInt64(1) << UInt64(width)) - 1)
        return try term(Z3_mk_unsigned_int64(raw, masked, try bitVectorSort(width)))
    }

    // MARK: Boolean connectives

    func not(_ a: Term) throws -> Term { try term(Z3_mk_not(raw, a.raw)) }

    func and(_ terms: [Term]) throws -> Term {
        if terms.isEmpty { return try trueTerm }
        if terms.count == 1 { return terms[0] }
        let raws: [OpaquePointer?] = terms.map(\.raw)
        return try term(raws.withUnsafeBufferPointer { Z3_mk_and(raw, UInt32($0.count), $0.baseAddress) })
    }

    func or(_ terms: [Term]) throws -> Term {
        if terms.isEmpty { return try falseTerm }
        if terms.count == 1 { return terms[0] }
        let raws: [OpaquePointer?] = terms.map(\.raw)
        return try term(raws.withUnsafeBufferPointer { Z3_mk_or(raw, UInt32($0.count), $0.baseAddress) })
    }

    func and(_ a: Term, _ b: Term) throws -> Term { try and([a, b]) }
    func or(_ a: Term, _ b: Term) throws -> Term { try or([a, b]) }
    func iff(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_iff(raw, a.raw, b.raw)) }
    func implies(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_implies(raw, a.raw, b.raw)) }
    func ite(_ c: Term, _ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_ite(raw, c.raw, a.raw, b.raw)) }
    func eq(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_eq(raw, a.raw, b.raw)) }

    // MARK: Bit-vectors

    func add(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_bvadd(raw, a.raw, b.raw)) }
    func subtract(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_bvsub(raw, a.raw, b.raw)) }
    func multiply(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_bvmul(raw, a.raw, b.raw)) }
    func divide(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_bvsdiv(raw, a.raw, b.raw)) }
    func remainder(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_bvsrem(raw, a.raw, b.raw)) }
    func negate(_ a: Term) throws -> Term { try term(Z3_mk_bvneg(raw, a.raw)) }

    /// The signed result of `a + b` does not fit the width.
    func addOverflows(_ a: Term, _ b: Term) throws -> Term {
        try not(try and(try term(Z3_mk_bvadd_no_overflow(raw, a.raw, b.raw, true)), try term(Z3_mk_bvadd_no_underflow(raw, a.raw, b.raw))))
    }

    /// The signed result of `a - b` does not fit the width.
    func subtractOverflows(_ a: Term, _ b: Term) throws -> Term {
        try not(try and(try term(Z3_mk_bvsub_no_overflow(raw, a.raw, b.raw)), try term(Z3_mk_bvsub_no_underflow(raw, a.raw, b.raw, true))))
    }

    /// The signed result of `a * b` does not fit the width.
    func multiplyOverflows(_ a: Term, _ b: Term) throws -> Term {
        try not(try and(try term(Z3_mk_bvmul_no_overflow(raw, a.raw, b.raw, true)), try term(Z3_mk_bvmul_no_underflow(raw, a.raw, b.raw))))
    }

    /// `-a` does not fit the width (a is the smallest value).
    func negateOverflows(_ a: Term) throws -> Term { try not(try term(Z3_mk_bvneg_no_overflow(raw, a.raw))) }

    func signedLess(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_bvslt(raw, a.raw, b.raw)) }
    func signedLessEqual(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_bvsle(raw, a.raw, b.raw)) }
    func unsignedLess(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_bvult(raw, a.raw, b.raw)) }
    func unsignedLessEqual(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_bvule(raw, a.raw, b.raw)) }
    func extract(_ a: Term, high: Int, low: Int) throws -> Term { try term(Z3_mk_extract(raw, UInt32(high), UInt32(low), a.raw)) }
    func zeroExtend(_ a: Term, by bits: Int) throws -> Term { bits == 0 ? a : try term(Z3_mk_zero_ext(raw, UInt32(bits), a.raw)) }
    func signExtend(_ a: Term, by bits: Int) throws -> Term { bits == 0 ? a : try term(Z3_mk_sign_ext(raw, UInt32(bits), a.raw)) }
    func concat(_ a: Term, _ b: Term) throws -> Term { try term(Z3_mk_concat(raw, a.raw, b.raw)) }

    /// `a`, a term of this context, as a term of `target` (a copy of its DAG).
    func translate(_ a: Term, to target: Z3Context) throws -> Term {
        let translated = Z3_translate(raw, a.raw, target.raw)
        try target.checkError()
        guard let translated else { throw SMTError("Z3 could not translate a term") }
        return Term(raw: translated)
    }

    /// Replaces every `from[i]` by `to[i]` in `a`.
    func substitute(_ a: Term, from: [Term], to: [Term]) throws -> Term {
        if from.isEmpty { return a }
        let sources: [OpaquePointer?] = from.map(\.raw)
        let targets: [OpaquePointer?] = to.map(\.raw)
        return try term(sources.withUnsafeBufferPointer { source in
            targets.withUnsafeBufferPointer { target in
                Z3_substitute(raw, a.raw, UInt32(source.count), source.baseAddress, target.baseAddress)
            }
        })
    }

}

/// A Z3 solver for quantifier-free bit-vector formulas, used incrementally with push and pop.
final class Z3Solver {
    let context: Z3Context
    /// The solver's handle (tests reach the C API through it; so do `Z3SolverAssumptions.swift`'s checks under
    /// assumptions).
    let raw: OpaquePointer
    /// Z3's `max_memory` in megabytes, when limited.
    private let memoryMegabytes: Int?
    private var lastTimeout: Int?

    init(_ context: Z3Context, memoryMegabytes: Int?) throws {
        self.context = context
        self.memoryMegabytes = memoryMegabytes
        // The QF_BV solver bit-blasts into Z3's incremental SAT solver; measured on Models/v1-region.vmc to depth 8,
        // it is about 40 times faster than the default solver, which falls back to its SMT core after a push.
        let solver = Z3_mk_solver_for_logic(context.raw, Z3_mk_string_symbol(context.raw, "QF_BV"))
        try context.checkError()
        guard let solver else { throw SMTError("Z3 returned no solver") }
        Z3_solver_inc_ref(context.raw, solver)
        raw = solver
        try setParameters(timeoutMilliseconds: nil)
    }

    deinit { Z3_solver_dec_ref(context.raw, raw) }

    private func setParameters(timeoutMilliseconds: Int?) throws {
        guard let params = Z3_mk_params(context.raw) else { throw SMTError("Z3 returned no parameters") }
        Z3_params_inc_ref(context.raw, params)
        defer { Z3_params_dec_ref(context.raw, params) }
        if let timeoutMilliseconds {
            Z3_params_set_uint(context.raw, params, Z3_mk_string_symbol(context.raw, "timeout"), UInt32(clamping: max(1, timeoutMilliseconds)))
        }
        if let memoryMegabytes {
            Z3_params_set_uint(context.raw, params, Z3_mk_string_symbol(context.raw, "max_memory"), UInt32(clamping: max(1, memoryMegabytes)))
        }
        Z3Context.keepSignals(context.raw, params)
        Z3_solver_set_params(context.raw, raw, params)
        try context.checkError()
    }

    func assert(_ a: Term) throws {
        Z3_solver_assert(context.raw, raw, a.raw)
        try context.checkError()
    }

    func push() throws {
        Z3_solver_push(context.raw, raw)
        try context.checkError()
    }

    func pop() throws {
        Z3_solver_pop(context.raw, raw, 1)
        try context.checkError()
    }

    /// Asks whether `query` can hold beside the assertions, inside push/pop, with at most `limit` milliseconds
    /// (a limit already spent is `.unknown("timeout")` without a query): nil when it cannot (the certificate
    /// checks' obligations are all of this form), else the outcome; `record` gets the solver's seconds.
    func refute(_ query: Term, limit: Int?, record: (Double) -> Void) throws -> SolverOutcome? {
        if let limit, limit <= 0 { return .unknown("timeout") }
        try push()
        defer { try? pop() }
        try assert(query)
        let begin = Clock.now()
        let outcome = try check(timeoutMilliseconds: limit)
        record(Clock.now() - begin)
        if case .unsatisfiable = outcome { return nil }
        return outcome
    }

    /// Checks the assertions, giving Z3 at most `timeoutMilliseconds` (nil: no limit).
    func check(timeoutMilliseconds: Int?) throws -> SolverOutcome {
        if timeoutMilliseconds != lastTimeout {
            try setParameters(timeoutMilliseconds: timeoutMilliseconds)
            lastTimeout = timeoutMilliseconds
        }
        // After the error and the reason below are read (a defer runs after the return value is computed).
        defer { context.clearInterrupt() }
        let result = try context.watched(timeoutMilliseconds: timeoutMilliseconds) {
            try Z3Context.guarded("checking a query") { vmc_z3_solver_check(context.raw, raw, $0) }
        }
        return try outcome(of: result)
    }

    /// What a check answered, with Z3's reason when it gave up; shared by `check(timeoutMilliseconds:)` and
    /// `check(assuming:timeoutMilliseconds:)`.
    func outcome(of result: Z3_lbool) throws -> SolverOutcome {
        try context.checkError()
        if result == Z3_L_TRUE { return .satisfiable }
        if result == Z3_L_FALSE { return .unsatisfiable }
        let reason = Z3_solver_get_reason_unknown(context.raw, raw).map { String(cString: $0) } ?? "unknown"
        try context.checkError()
        return .unknown(reason)
    }

    /// The model of the last satisfiable check.
    func model() throws -> Z3Model {
        let model = Z3_solver_get_model(context.raw, raw)
        try context.checkError()
        guard let model else { throw SMTError("Z3 returned no model") }
        return Z3Model(context, model)
    }
}

/// A model of a satisfiable check.
final class Z3Model {
    private let context: Z3Context
    private let raw: OpaquePointer

    init(_ context: Z3Context, _ raw: OpaquePointer) {
        self.context = context
        self.raw = raw
        Z3_model_inc_ref(context.raw, raw)
    }

    deinit { Z3_model_dec_ref(context.raw, raw) }

    /// The value of a Boolean term in the model, completing unconstrained constants.
    func isTrue(_ a: Term) throws -> Bool {
        var result: OpaquePointer?
        let ok = Z3_model_eval(context.raw, raw, a.raw, true, &result)
        try context.checkError()
        guard ok, let result else { throw SMTError("Z3 cannot evaluate a term in the model") }
        switch Z3_get_bool_value(context.raw, result) {
        case Z3_L_TRUE: return true
        case Z3_L_FALSE: return false
        default: throw SMTError("Z3 evaluated a Boolean term to neither true nor false")
        }
    }

    /// The value of a bit-vector term (at most 64 bits) in the model, completing unconstrained constants with 0.
    func unsignedValue(_ a: Term) throws -> UInt64 {
        var result: OpaquePointer?
        let ok = Z3_model_eval(context.raw, raw, a.raw, true, &result)
        try context.checkError()
        guard ok, let result else { throw SMTError("Z3 cannot evaluate a term in the model") }
        var value: UInt64 = 0
        guard Z3_get_numeral_uint64(context.raw, result, &value) else {
            try context.checkError()
            throw SMTError("Z3 evaluated a term to a non-numeral")
        }
        return value
    }
}
