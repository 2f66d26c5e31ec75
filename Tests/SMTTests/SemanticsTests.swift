import Explorer
import PackedSystem
@testable import SMT
import Testing

/// Targeted checks of the encoding against the machine's semantics, each on a small model.
@Suite struct SemanticsTests {
    /// Runs both engines; every property must be decided by both, identically, with traces of equal length.
    @discardableResult
    static func agree(_ text: String, depth: Int = 20, sourceLocation: SourceLocation = #_sourceLocation) throws -> (CheckResult?, CheckResult?) {
        let system = try Differential.system(text).get()
        var options = SMTOptions()
        options.maxDepth = depth
        let comparison = Differential.compare(system, smtOptions: options)
        #expect(comparison.mismatches.isEmpty, "\(comparison.mismatches)", sourceLocation: sourceLocation)
        #expect(comparison.bothDecided == comparison.explicitDecided, "smt left properties undecided", sourceLocation: sourceLocation)
        return (comparison.explicit, comparison.smt)
    }

    static func verdict(_ result: CheckResult?, _ name: String) -> Verdict? {
        result?.properties.first { $0.name == name }?.verdict
    }

    @Test func arithmeticOverflowIsABoundsViolation() throws {
        // x * (2^31 - 1)^2 * 2 fits in 64 bits for x <= 1 and overflows for x = 2.
        let (explicit, smt) = try Self.agree("""
            model overflow
            var x: 0..2 = 0
            action inc when x < 2 { x := x + 1 }
            def big = x * 2147483647 * 2147483647 * 2
            invariant Exact: x == 1 -> big == 2 * 2147483647 * 2147483647
            invariant Positive: big >= 0
            reachable Two: x == 2
            """)
        #expect(Self.verdict(smt, "Exact") == .holds)
        #expect(Self.verdict(explicit, "bounds") == .violated)
        let trace = try #require(smt?.properties.first { $0.name == "bounds" }?.trace)
        #expect(trace.length == 2)
        #expect(smt?.properties.first { $0.name == "bounds" }?.note == "while evaluating a property: arithmetic overflow")
    }

    @Test func divisionTruncatesAndFailsOnZero() throws {
        let (_, smt) = try Self.agree("""
            model division
            var x: -3..3 = -3
            var q: -3..3 = 0
            var r: -3..3 = 0
            action step when x < 3 {
                q := 7 / (x - 0) % 4
                r := -7 % (if x == 0 then 2 else x)
                x := x + 1
            }
            invariant Signs: x > 0 -> r <= 0
            terminal x == 3
            """)
        #expect(Self.verdict(smt, "bounds") == .violated)
    }

    @Test func firstFailureInExecutionOrderDecidesTheProperty() throws {
        // Alternative false fails `bounds` before alternative true reaches the assertion: the machine stops at the
        // first failure, so the assertion is never violated.
        let (explicit, smt) = try Self.agree("""
            model order
            var a: [0..1] 0..1 = 0
            var i: 0..3 = 2
            action go {
                choose c: bool {
                    if !c { a[i] := 1 }
                    assert Never: c -> false
                }
            }
            action other when i == 3 { i := 2 }
            """)
        #expect(Self.verdict(explicit, "Never") == .holds)
        #expect(Self.verdict(smt, "Never") == .holds)
        #expect(Self.verdict(smt, "bounds") == .violated)
    }

    @Test func failingActionsHaveNoSuccessorsButAreEnabled() throws {
        let (_, smt) = try Self.agree("""
            model failing
            var n: 0..3 = 0
            action up { n := n + 1 }
            invariant Small: n <= 2
            reachable Three: n == 3
            """)
        #expect(Self.verdict(smt, "bounds") == .violated)
        #expect(Self.verdict(smt, "deadlock") == .holds)
        let trace = try #require(smt?.properties.first { $0.name == "bounds" }?.trace)
        #expect(trace.length == 4)
        #expect(trace.failure?.message == "value 4 is outside 0..3")
        #expect(trace.failure?.line == 3)
    }

    @Test func dynamicCellsAndGuardsThatFail() throws {
        try Self.agree("""
            model dynamic
            type Dev = scalarset(2)
            var idx: 0..2 = 0
            var cell: [0..1] 0..2 = 0
            var owner: [Dev] bool = false
            action bump when cell[idx] < 2 { cell[idx] := cell[idx] + 1 }
            action move when idx < 2 { idx := idx + 1 }
            action claim(d: Dev) when !owner[d] && cell[0] == 2 { owner[d] := true }
            invariant NotBoth: !(forall d: Dev. owner[d])
            reachable Full: cell[0] == 2 && cell[1] == 2
            """)
    }

    @Test func deadlockAndTerminal() throws {
        let (_, smt) = try Self.agree("""
            model deadlocks
            type S = enum { A, B, C }
            var s: S = A
            var k: 0..3 in { 0, 1 }
            action ab when s == A { s := B }
            action bc when s == B && k == 0 { s := C }
            terminal s == C
            """)
        #expect(Self.verdict(smt, "deadlock") == .violated)
        let trace = try #require(smt?.properties.first { $0.name == "deadlock" }?.trace)
        #expect(trace.length == 1)
    }

    @Test func boundReachedIsUnknownNeverHolds() throws {
        // A counter whose invariant fails only after 30 steps and is not inductive below that depth.
        let system = try Differential.system("""
            model deep
            var n: 0..40 = 0
            var m: 0..40 = 0
            action step when n < 40 { n := n + 1  m := if n % 2 == 0 then m + 1 else m }
            invariant Late: n < 30 || m > 0
            invariant Fails: n < 30
            """).get()
        var options = SMTOptions()
        options.maxDepth = 5
        // The bound is that of BMC and k-induction; PDR (in `auto`) has none.
        options.method = .kind
        let result = SMTEngine(system: system, options: options, file: "deep.vmc").check()
        let fails = try #require(result.properties.first { $0.name == "Fails" })
        #expect(fails.verdict == .unknown)
        #expect(fails.note?.contains("no violation within 5 steps") == true)
        #expect(result.hasUnknown)
    }

    @Test func timeLimitStopsTheRun() throws {
        let system = try Differential.system("""
            model slow
            var n: 0..100000 = 0
            action step when n < 100000 { n := n + 1 }
            invariant Fails: n < 90000
            """).get()
        // BMC alone, with a violation 90,000 steps deep: no run can decide it within the limit (under `auto`,
        // PDR sometimes found the 900-step violation of an earlier version of this test within 0.5 s).
        var options = SMTOptions()
        options.method = .bmc
        options.maxDepth = 100_000
        options.budget.timeoutSeconds = 0.5
        let started = ContinuousClock.now
        let result = SMTEngine(system: system, options: options, file: "slow.vmc").check()
        // The bound only separates "stopped by the limit" from "ran the 90,000-step search" (minutes): Swift
        // Testing runs the other solver tests beside this one on two cores, so the run's wall time is loose.
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(30), "the run took \(elapsed) with a 0.5 s limit")
        #expect(result.properties.first { $0.name == "Fails" }?.verdict == .unknown)
        #expect(result.statistics.stopReason != nil)
    }

    @Test func z3ErrorsBecomeSwiftErrors() throws {
        let z3 = try Z3Context(memoryMegabytes: nil)
        let flag = try z3.constant("b", width: nil)
        let vector = try z3.constant("v", width: 8)
        #expect(throws: SMTError.self) { try z3.add(flag, vector) }
        #expect(throws: SMTError.self) { try z3.eq(flag, vector) }
        // The context is still usable afterwards. (No memory cap here: Z3 measures `max_memory` against all of the
        // process's Z3 memory, which the other SMT tests running concurrently share.)
        let solver = try Z3Solver(z3, memoryMegabytes: nil)
        try solver.assert(try z3.eq(vector, try z3.number(5, width: 8)))
        if case .satisfiable = try solver.check(timeoutMilliseconds: 60_000) {} else { Issue.record("expected satisfiable") }
    }
}
