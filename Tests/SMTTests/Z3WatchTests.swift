import CZ3
import Foundation
import PackedSystem
@testable import SMT
import Testing

/// The race between the query watch (`Z3Watch`) and a query's deadline: a query that answers just as its deadline
/// passes, and whose thread is held before it is back in Swift (descheduled on a loaded machine), is interrupted
/// after Z3 has cleared its limits on the way out. Z3 4.8.12 then leaves the context cancelled, and the next call
/// that is not a check (the model, a simplification) failed with "canceled": a run stopped by its share said
/// "Z3: canceled" (v2-user-access #16 at load 30+). Here the hold is made deterministic: the query waits, after Z3
/// has answered, until the watch has sent its interrupt.
@Suite struct Z3WatchTests {
    /// A context, a QF_BV solver with `x == 3` asserted, and the check of it run under a 1 ms deadline that the
    /// thread waits out after Z3 has answered, until the watch interrupts (at most 30 s: a guard, not a measure).
    static func answerThenInterruptLate() throws -> (Z3Context, Z3Solver, Term, Z3_lbool) {
        let z3 = try Z3Context(memoryMegabytes: nil)
        let x = try z3.constant("x", width: 8)
        let solver = try Z3Solver(z3, memoryMegabytes: nil)
        try solver.assert(try z3.eq(x, try z3.number(3, width: 8)))
        let watch = try #require(z3.watch)
        let answer = z3.watched(timeoutMilliseconds: 1) { () -> Z3_lbool in
            let answer = Z3_solver_check(z3.raw, solver.raw)
            let end = Date().addingTimeInterval(30)
            while !watch.hasInterrupted, Date() < end { usleep(5_000) }
            return answer
        }
        #expect(watch.hasInterrupted, "the watch never interrupted")
        return (z3, solver, x, answer)
    }

    /// A query Z3 takes far longer than any test waits for: two factors above 1, without overflow, of a 64-bit
    /// number. Also the query a check gives up on in ObligationCheckTests.
    static func factoring(_ z3: Z3Context) throws -> (query: Term, x: Term) {
        let x = try z3.constant("x", width: 64)
        let y = try z3.constant("y", width: 64)
        let one = try z3.number(1, width: 64)
        let query = try z3.and([try z3.eq(try z3.term(Z3_mk_bvmul(z3.raw, x.raw, y.raw)), try z3.number(-0x0F1E_2D3C_4B5A_6979, width: 64)),
                                try z3.term(Z3_mk_bvugt(z3.raw, x.raw, one.raw)), try z3.term(Z3_mk_bvugt(z3.raw, y.raw, one.raw)),
                                try z3.term(Z3_mk_bvmul_no_overflow(z3.raw, x.raw, y.raw, false))])
        return (query, x)
    }

    /// Without the clearing, the late interrupt leaves the context cancelled: Z3 4.8.12's behaviour, which the
    /// clearing exists for (if a later Z3 no longer does this, `clearInterrupt` is merely unneeded).
    @Test func aLateInterruptCancelsTheContext() throws {
        let (z3, solver, x, answer) = try Self.answerThenInterruptLate()
        #expect(answer == Z3_L_TRUE, "Z3 answered before the interrupt")
        _ = Z3_solver_get_model(z3.raw, solver.raw)
        #expect(Z3_get_error_code(z3.raw) != Z3_OK)
        #expect(throws: SMTError.self) { try z3.simplify(try z3.add(x, try z3.number(0, width: 8))) }
        #expect(SymbolicRunFormat.isCancellation(SMTError("Z3: canceled")))
    }

    /// With it, the answer stands and the calls after it work: the model, a simplification, the next check.
    @Test func clearingTheInterruptKeepsTheContextUsable() throws {
        let (z3, solver, x, answer) = try Self.answerThenInterruptLate()
        #expect(answer == Z3_L_TRUE)
        #expect(z3.clearInterrupt() == .limit)
        #expect(z3.clearInterrupt() == nil, "read once")
        let model = try solver.model()
        #expect(try model.isTrue(try z3.eq(x, try z3.number(3, width: 8))))
        _ = try z3.simplify(try z3.add(x, try z3.number(0, width: 8)))
        #expect(try solver.check(timeoutMilliseconds: nil) == .satisfiable)
    }

    /// `Z3Solver.check` clears after the watch interrupted it: a check the run's interruption stops (factoring a
    /// 64-bit number, which takes Z3 far longer than the watch's first look) returns unknown, leaves no interrupt
    /// behind, and the context answers the next calls.
    @Test func aWatchedCheckClearsItsInterrupt() throws {
        let z3 = try Z3Context(memoryMegabytes: nil, interruption: { .signal(name: "SIGINT") })
        let (factoring, x) = try Self.factoring(z3)
        let solver = try Z3Solver(z3, memoryMegabytes: nil)
        try solver.push()
        try solver.assert(factoring)
        let outcome = try solver.check(timeoutMilliseconds: nil)
        guard case .unknown = outcome else {
            Issue.record("the check was not stopped: \(outcome)")
            return
        }
        #expect(z3.watch?.hasInterrupted == false, "the check cleared its interrupt")
        try solver.pop()
        _ = try z3.simplify(try z3.add(x, try z3.number(0, width: 64)))
    }

    /// A solver check leaves the process's SIGINT handler alone (`Z3Context.keepSignals`): sampled every
    /// millisecond during a check the watch stops after 300 ms, it is the handler it was before.
    @Test func aCheckKeepsTheProcessSignalHandler() throws {
        var before = sigaction()
        sigaction(SIGINT, nil, &before)
        let z3 = try Z3Context(memoryMegabytes: nil)
        let solver = try Z3Solver(z3, memoryMegabytes: nil)
        try solver.assert(try Self.factoring(z3).query)
        let expected = before.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) } ?? 0
        let sampler = HandlerSampler(expected: expected)
        let thread = Thread { sampler.run() }
        thread.start()
        _ = try solver.check(timeoutMilliseconds: 300)
        #expect(sampler.stop() == 0, "a different SIGINT handler was installed during the check")
        #expect(sampler.samples > 0)
    }
}

/// Samples the SIGINT disposition from another thread until stopped; counts the samples that differ.
final class HandlerSampler: @unchecked Sendable {
    private let lock = NSLock()
    private let expected: Int
    private var done = false
    private var differing = 0
    private(set) var samples = 0
    private let finished = DispatchSemaphore(value: 0)

    init(expected: Int) { self.expected = expected }

    func run() {
        while !lock.withLock({ done }) {
            var now = sigaction()
            sigaction(SIGINT, nil, &now)
            let handler = now.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) } ?? 0
            lock.withLock {
                samples += 1
                if handler != expected { differing += 1 }
            }
            usleep(1_000)
        }
        finished.signal()
    }

    /// Stops the sampling and returns how many samples differed.
    func stop() -> Int {
        lock.withLock { done = true }
        finished.wait()
        return lock.withLock { differing }
    }
}
