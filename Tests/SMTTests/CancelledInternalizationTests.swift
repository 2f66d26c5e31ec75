import PackedSystem
@testable import SMT
import Testing

/// Z3 4.8.12's wrong "sat" after an interrupted query, pinned down (docs/smt.md, "A cancelled check forgets the
/// bits"): a QF_BV solver whose check is stopped while it bit-blasts the formulas asserted since its last check
/// throws its bit-blaster away (`inc_sat_solver::internalize_goal` sets `m_bb_rewriter` to null on the tactic's
/// cancellation), so the constants it had blasted before get fresh, unconstrained bits in every later formula: the
/// solver then answers "sat" to formulas its assertions contradict, with models that satisfy neither. The engine
/// never asks a solver again after one of its checks was stopped (a fresh solver, or the run ends).
@Suite struct CancelledInternalizationTests {
    /// The solver with `y == x + 1` asserted and checked, then a query whose bit-blasting outlasts its 1 ms limit
    /// (thirty 64-bit products), popped. Returns the context, the solver, x and y.
    static func solverAfterACancelledCheck() throws -> (Z3Context, Z3Solver, Term, Term, SolverOutcome) {
        let z3 = try Z3Context(memoryMegabytes: nil)
        let x = try z3.constant("x", width: 8)
        let y = try z3.constant("y", width: 8)
        let solver = try Z3Solver(z3, memoryMegabytes: nil)
        try solver.assert(try z3.eq(y, try z3.add(x, try z3.number(1, width: 8))))
        #expect(try solver.check(timeoutMilliseconds: nil) == .satisfiable)
        try solver.push()
        var sum = try z3.number(0, width: 64)
        for index in 0..<30 {
            sum = try z3.add(sum, try z3.multiply(try z3.constant("a\(index)", width: 64), try z3.constant("b\(index)", width: 64)))
        }
        try solver.assert(try z3.and([try z3.unsignedLess(sum, try z3.number(0x1_2345_6789, width: 64)),
                                      try z3.unsignedLess(try z3.number(0x1_2345_6700, width: 64), sum),
                                      try z3.eq(x, try z3.number(7, width: 8))]))
        let stopped = try solver.check(timeoutMilliseconds: 1)
        try solver.pop()
        return (z3, solver, x, y, stopped)
    }

    /// The same solver, asked about `x == 7 && y == 5` (which `y == x + 1` excludes), answers "sat": recorded as a
    /// known issue of Z3 4.8.12, so that a Z3 without it shows up here as an unexpected pass.
    @Test func theSolverAnswersSatAfterACancelledCheck() throws {
        let (z3, solver, x, y, stopped) = try Self.solverAfterACancelledCheck()
        guard case .unknown = stopped else {
            // The machine bit-blasted thirty products within a millisecond: nothing was cancelled to test.
            return
        }
        try solver.push()
        try solver.assert(try z3.and(try z3.eq(x, try z3.number(7, width: 8)), try z3.eq(y, try z3.number(5, width: 8))))
        let answer = try solver.check(timeoutMilliseconds: nil)
        // Intermittent: whether the 1 ms limit lands inside the bit-blasting (the bug) or only after it, in the
        // search (harmless: the answer is then right), depends on the machine's speed and load, so a run that does
        // not show the bug must not fail the suite.
        withKnownIssue("Z3 4.8.12: a check cancelled while bit-blasting forgets the bits of earlier constants", isIntermittent: true) {
            #expect(answer == .unsatisfiable)
        }
    }

    /// The guard the engine relies on: a fresh solver of the same context, given the same assertions, answers
    /// right (the context itself is unharmed).
    @Test func aFreshSolverAnswersRight() throws {
        let (z3, _, x, y, _) = try Self.solverAfterACancelledCheck()
        let fresh = try Z3Solver(z3, memoryMegabytes: nil)
        try fresh.assert(try z3.eq(y, try z3.add(x, try z3.number(1, width: 8))))
        try fresh.assert(try z3.and(try z3.eq(x, try z3.number(7, width: 8)), try z3.eq(y, try z3.number(5, width: 8))))
        #expect(try fresh.check(timeoutMilliseconds: nil) == .unsatisfiable)
    }
}
