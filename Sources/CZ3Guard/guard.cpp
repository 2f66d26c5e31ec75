// Catches the C++ exceptions that escape Z3's C API (see z3_guard.h).
#include "z3_guard.h"

#include <cstring>
#include <exception>

namespace {

void record(char *message, const char *what) {
    std::strncpy(message, what, VMC_Z3_GUARD_MESSAGE_BYTES - 1);
    message[VMC_Z3_GUARD_MESSAGE_BYTES - 1] = '\0';
}

template <typename Result, typename Call>
Result guarded(char *message, Result failure, Call call) {
    message[0] = '\0';
    try {
        return call();
    } catch (const std::exception &error) {
        record(message, error.what()[0] != '\0' ? error.what() : "a C++ exception");
    } catch (...) {
        record(message, "a C++ exception");
    }
    return failure;
}

} // namespace

extern "C" Z3_context vmc_z3_mk_context(Z3_config config, char *message) {
    return guarded<Z3_context>(message, nullptr, [&] { return Z3_mk_context(config); });
}

extern "C" Z3_lbool vmc_z3_solver_check(Z3_context context, Z3_solver solver, char *message) {
    return guarded<Z3_lbool>(message, Z3_L_UNDEF, [&] { return Z3_solver_check(context, solver); });
}

extern "C" Z3_lbool vmc_z3_solver_check_assumptions(Z3_context context, Z3_solver solver, unsigned count,
                                                    const Z3_ast *assumptions, char *message) {
    return guarded<Z3_lbool>(message, Z3_L_UNDEF,
                             [&] { return Z3_solver_check_assumptions(context, solver, count, assumptions); });
}

extern "C" Z3_lbool vmc_z3_fixedpoint_query_relations(Z3_context context, Z3_fixedpoint fixedpoint, unsigned count,
                                                      const Z3_func_decl *relations, char *message) {
    return guarded<Z3_lbool>(message, Z3_L_UNDEF,
                             [&] { return Z3_fixedpoint_query_relations(context, fixedpoint, count, relations); });
}
