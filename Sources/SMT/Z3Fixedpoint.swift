import CZ3
import CZ3Guard

/// Z3's fixedpoint (constrained Horn clause) engine, configured as Spacer (IC3/PDR), for one query.
///
/// Spacer's own bit-vector reasoning is weak: on an 8-bit counter it does not finish in 20 s. With
/// `xform.bit_blast` it reasons about bits and proves the same counter in about a second, but the slicing and
/// inlining transformations then lose the answer (the invariant comes back as `true`, or the call crashes), so
/// they are off and the predicates take one Boolean argument per state bit: the invariant Spacer returns is
/// then a formula over those bits, read back with `Z3_fixedpoint_get_cover_delta`.
final class Z3Fixedpoint {
    /// The context the caller's terms live in: relations are declared and clauses built there.
    private let context: Z3Context
    /// The query's own context, where the clauses are translated and Spacer runs. Interrupting a query
    /// (`Z3Watch`) leaves Z3 4.8.12's context cancelled for good: every later fixedpoint query on it returned
    /// "canceled" at once (measured on the 16-bit wide counter), so each query gets a context that is
    /// thrown away with it, and the caller's context is never interrupted by a PDR query's limit.
    private let own: Z3Context
    private let raw: OpaquePointer
    /// The query's time limit, also enforced by the own context's watch (Spacer does not always honour its own).
    private let timeoutMilliseconds: Int?

    init(_ context: Z3Context, timeoutMilliseconds: Int?) throws {
        self.context = context
        self.timeoutMilliseconds = timeoutMilliseconds
        own = try Z3Context(memoryMegabytes: nil, interruption: context.interruption)
        let fixedpoint = Z3_mk_fixedpoint(own.raw)
        try own.checkError()
        guard let fixedpoint else { throw SMTError("Z3 returned no fixedpoint context") }
        Z3_fixedpoint_inc_ref(own.raw, fixedpoint)
        raw = fixedpoint
        guard let params = Z3_mk_params(own.raw) else { throw SMTError("Z3 returned no parameters") }
        Z3_params_inc_ref(own.raw, params)
        defer { Z3_params_dec_ref(own.raw, params) }
        let c = own.raw
        Z3_params_set_symbol(c, params, Z3_mk_string_symbol(c, "engine"), Z3_mk_string_symbol(c, "spacer"))
        Z3_params_set_bool(c, params, Z3_mk_string_symbol(c, "xform.bit_blast"), true)
        Z3_params_set_bool(c, params, Z3_mk_string_symbol(c, "xform.slice"), false)
        Z3_params_set_bool(c, params, Z3_mk_string_symbol(c, "xform.inline_linear"), false)
        Z3_params_set_bool(c, params, Z3_mk_string_symbol(c, "xform.inline_eager"), false)
        if let timeoutMilliseconds {
            Z3_params_set_uint(c, params, Z3_mk_string_symbol(c, "timeout"), UInt32(clamping: max(1, timeoutMilliseconds)))
        }
        Z3_fixedpoint_set_params(c, fixedpoint, params)
        try own.checkError()
    }

    deinit { Z3_fixedpoint_dec_ref(own.raw, raw) }

    /// A term of the caller's context, in the query's own.
    private func translate(_ ast: OpaquePointer) throws -> OpaquePointer {
        let translated = Z3_translate(context.raw, ast, own.raw)
        try own.checkError()
        guard let translated else { throw SMTError("Z3 could not translate a term") }
        return translated
    }

    /// A relation of the caller's context, in the query's own.
    private func ownRelation(_ relation: OpaquePointer) throws -> OpaquePointer {
        guard let ast = Z3_func_decl_to_ast(context.raw, relation), let declaration = Z3_to_func_decl(own.raw, try translate(ast)) else {
            throw SMTError("Z3 could not translate a relation")
        }
        try own.checkError()
        return declaration
    }

    /// Declares a relation over Booleans (arity may be zero) in the caller's context and registers it with the
    /// engine.
    func relation(_ name: String, arity: Int) throws -> OpaquePointer {
        let c = context.raw
        let domain: [OpaquePointer?] = Array(repeating: context.boolSort, count: arity)
        let declaration = domain.withUnsafeBufferPointer {
            Z3_mk_func_decl(c, Z3_mk_string_symbol(c, name), UInt32(arity), $0.baseAddress, context.boolSort)
        }
        try context.checkError()
        guard let declaration else { throw SMTError("Z3 returned no relation") }
        Z3_fixedpoint_register_relation(own.raw, raw, try ownRelation(declaration))
        try own.checkError()
        return declaration
    }

    /// The relation applied to arguments (in the caller's context).
    func apply(_ relation: OpaquePointer, _ arguments: [Term]) throws -> Term {
        let raws: [OpaquePointer?] = arguments.map(\.raw)
        return try context.term(raws.withUnsafeBufferPointer { Z3_mk_app(context.raw, relation, UInt32($0.count), $0.baseAddress) })
    }

    /// Adds the Horn clause `forall variables. body => head` (built in the caller's context).
    func addRule(variables: [Term], body: Term, head: Term) throws {
        var rule = try context.implies(body, head)
        if !variables.isEmpty {
            let bound: [OpaquePointer?] = variables.map(\.raw)
            rule = try context.term(bound.withUnsafeBufferPointer {
                Z3_mk_forall_const(context.raw, 0, UInt32($0.count), $0.baseAddress, 0, nil, rule.raw)
            })
        }
        Z3_fixedpoint_add_rule(own.raw, raw, try translate(rule.raw), nil)
        try own.checkError()
    }

    /// Whether the nullary relation is derivable: `.satisfiable` means it is (a counterexample exists).
    /// A time limit, cancellation or interruption is `.unknown`, not an error.
    func query(_ relation: OpaquePointer) throws -> SolverOutcome {
        var relations: [OpaquePointer?] = [try ownRelation(relation)]
        // After the error and the reason below are read: `invariant(of:)` translates in this context next.
        defer { own.clearInterrupt() }
        let result = try own.watched(timeoutMilliseconds: timeoutMilliseconds) {
            try relations.withUnsafeMutableBufferPointer { queried in
                try Z3Context.guarded("querying the fixedpoint engine") {
                    vmc_z3_fixedpoint_query_relations(own.raw, raw, 1, queried.baseAddress, $0)
                }
            }
        }
        let code = Z3_get_error_code(own.raw)
        if code != Z3_OK {
            let message = Z3_get_error_msg(own.raw, code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            // Clear the error so the context stays usable.
            Z3_set_error(own.raw, Z3_OK)
            if message == "canceled" || message == "timeout" || message == "interrupted" { return .unknown(message) }
            throw SMTError("Z3: \(message)")
        }
        if result == Z3_L_TRUE { return .satisfiable }
        if result == Z3_L_FALSE { return .unsatisfiable }
        let reason = Z3_fixedpoint_get_reason_unknown(own.raw, raw).map { String(cString: $0) } ?? "unknown"
        try own.checkError()
        return .unknown(reason)
    }

    /// After an unsatisfiable query: the relation's fixedpoint, in the caller's context, as a formula whose free
    /// variable `i` is the relation's argument `i`, with those variables replaced by `arguments`.
    func invariant(of relation: OpaquePointer, arguments: [Term]) throws -> Term {
        let cover = Z3_fixedpoint_get_cover_delta(own.raw, raw, -1, try ownRelation(relation))
        try own.checkError()
        guard let cover else { throw SMTError("Z3 returned no invariant") }
        let back = try context.term(Z3_translate(own.raw, cover, context.raw))
        let raws: [OpaquePointer?] = arguments.map(\.raw)
        return try context.term(raws.withUnsafeBufferPointer { Z3_substitute_vars(context.raw, back.raw, UInt32($0.count), $0.baseAddress) })
    }
}

extension Z3Context {
    /// Z3's simplification of a term (for printing invariants).
    func simplify(_ a: Term) throws -> Term { try term(Z3_simplify(raw, a.raw)) }

    /// The term in SMT-LIB syntax.
    func text(_ a: Term) throws -> String {
        let string = Z3_ast_to_string(raw, a.raw)
        try checkError()
        return string.map { String(cString: $0) } ?? ""
    }

    /// A constant with exactly this name (not made unique), for printing.
    func namedConstant(_ name: String, width: Int) throws -> Term {
        let symbol = Z3_mk_string_symbol(raw, name)
        try checkError()
        return try term(Z3_mk_const(raw, symbol, Z3_mk_bv_sort(raw, UInt32(width))))
    }
}
