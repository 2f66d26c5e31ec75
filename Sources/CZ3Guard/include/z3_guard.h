#ifndef VMC_Z3_GUARD_H
#define VMC_Z3_GUARD_H

#include <stddef.h>
#include <z3.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes of the message buffer each guarded call takes.
#define VMC_Z3_GUARD_MESSAGE_BYTES 256

/// Z3's C API catches its own exceptions and reports them as error codes, but not a C++ standard library
/// exception thrown inside it: Z3 4.8.12 starts a `std::thread` for a query's timer (and one when a context is
/// made), and when the system refuses the thread (an address-space limit, `ulimit -v`, or a stack limit so large
/// that no default stack can be reserved, `ulimit -s`) the `std::system_error` unwinds out of the C API and ends
/// the process (`terminate`, SIGABRT). Each function below makes one Z3 call inside a C++ `try`: when the call
/// throws, it writes the exception's message (truncated, NUL-terminated) into `message` and returns what the
/// call returns on failure (NULL, `Z3_L_UNDEF`); otherwise `message` is left an empty string.

Z3_context vmc_z3_mk_context(Z3_config config, char *message);
Z3_lbool vmc_z3_solver_check(Z3_context context, Z3_solver solver, char *message);
Z3_lbool vmc_z3_solver_check_assumptions(Z3_context context, Z3_solver solver, unsigned count,
                                         const Z3_ast *assumptions, char *message);
Z3_lbool vmc_z3_fixedpoint_query_relations(Z3_context context, Z3_fixedpoint fixedpoint, unsigned count,
                                           const Z3_func_decl *relations, char *message);

#ifdef __cplusplus
}
#endif

#endif
