import CZ3
import CZ3Guard

extension Z3Solver {
    /// Checks the assertions together with `assumptions` (Boolean constants or their negations), under the
    /// context's watch: interrupted once `timeoutMilliseconds` have passed or the run's interruption answers.
    /// Z3's own `timeout` parameter is left as it is: the own IC3 asks thousands of short queries with a limit
    /// that shrinks at every one, and setting the solver's parameters before each would cost more than the watch.
    func check(assuming assumptions: [Term], timeoutMilliseconds: Int?) throws -> SolverOutcome {
        let raws: [OpaquePointer?] = assumptions.map(\.raw)
        // As `check(timeoutMilliseconds:)`: a late interrupt's cancellation is cleared after the answer is read.
        defer { context.clearInterrupt() }
        let result = try context.watched(timeoutMilliseconds: timeoutMilliseconds) {
            try raws.withUnsafeBufferPointer { assumed in
                try Z3Context.guarded("checking a query under assumptions") {
                    vmc_z3_solver_check_assumptions(context.raw, raw, UInt32(assumed.count), assumed.baseAddress, $0)
                }
            }
        }
        return try outcome(of: result)
    }

    /// After an unsatisfiable `check(assuming:)`: the assumptions Z3 used to refute (a subset, not necessarily
    /// minimal), as their terms' handles (Z3 shares equal terms, so a handle identifies an assumption).
    func unsatCore() throws -> [OpaquePointer] {
        let vector = Z3_solver_get_unsat_core(context.raw, raw)
        try context.checkError()
        guard let vector else { throw SMTError("Z3 returned no unsat core") }
        Z3_ast_vector_inc_ref(context.raw, vector)
        defer { Z3_ast_vector_dec_ref(context.raw, vector) }
        var core: [OpaquePointer] = []
        for index in 0..<Z3_ast_vector_size(context.raw, vector) {
            if let ast = Z3_ast_vector_get(context.raw, vector, index) { core.append(ast) }
        }
        try context.checkError()
        return core
    }
}
