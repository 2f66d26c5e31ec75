@testable import SMT
import Testing

/// The independent check of an invariant (`Z3Solver.firstFailedObligation`, under PDR, the own IC3, the
/// liveness-to-safety proof and the invariant finder) tells a failed obligation from one Z3 gave up on: a check
/// that ran out of time is not a rejected invariant.
@Suite struct ObligationCheckTests {
    /// Obligations over one 64-bit `x`: one unsatisfiable, one satisfiable, and one that Z3 takes far longer than
    /// 50 ms to decide (`Z3WatchTests.factoring`).
    static func obligations() throws -> (Z3Context, Z3Solver, unsat: Term, sat: Term, hard: Term) {
        let z3 = try Z3Context(memoryMegabytes: nil)
        let (hard, x) = try Z3WatchTests.factoring(z3)
        let unsat = try z3.and([try z3.eq(x, try z3.number(1, width: 64)), try z3.eq(x, try z3.number(2, width: 64))])
        let sat = try z3.eq(x, try z3.number(3, width: 64))
        return (z3, try Z3Solver(z3, memoryMegabytes: nil), unsat, sat, hard)
    }

    @Test func everyObligationUnsatisfiablePasses() throws {
        let (_, solver, unsat, _, _) = try Self.obligations()
        let check = try solver.firstFailedObligation([("fails one", unsat), ("fails two", unsat)], of: "the invariant",
                                                     timeoutMilliseconds: nil)
        #expect(check == .passed)
    }

    /// The first satisfiable obligation is named, after the unsatisfiable ones before it; the ones after it are
    /// not asked (the hard one would give up).
    @Test func theFirstSatisfiableObligationIsNamed() throws {
        let (_, solver, unsat, sat, hard) = try Self.obligations()
        let check = try solver.firstFailedObligation([("fails one", unsat), ("fails two", sat), ("fails three", hard)],
                                                     of: "the invariant", timeoutMilliseconds: 50)
        #expect(check == .failed("the invariant fails two"))
    }

    /// An obligation Z3 gives up on is not a failure, and ends the check: the reason is Z3's.
    @Test func anObligationZ3GivesUpOnIsNoFailure() throws {
        let (_, solver, unsat, sat, hard) = try Self.obligations()
        let check = try solver.firstFailedObligation([("fails one", unsat), ("fails two", hard), ("fails three", sat)],
                                                     of: "the invariant", timeoutMilliseconds: 50)
        guard case .gaveUp(let reason) = check else {
            Issue.record("expected Z3 to give up, got \(check)")
            return
        }
        #expect(!reason.isEmpty)
    }
}
