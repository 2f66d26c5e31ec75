import Foundation
import PackedSystem
@testable import SMT
import Testing

/// The lasso search has an unrolling of its own. It used to share the safety search's, which may already be
/// deeper than the lasso asked for: every step asserted past frame k forces frame k to have a successor, so a
/// violation that ends in a dead end before that depth was never found. On v1-framing that left
/// `MigrationSucceeds` to PDR, which refuted it, and the search for its lasso past the bound then ran until the
/// time limit, thousands of frames deep and gigabytes large, until a term constructor stalled past the limit and
/// the command's watchdog ended it without any output (docs/smt.md).
@Suite struct LassoUnrollingTests {
    /// `--smt-method bmc` proves nothing, so the safety search unrolls to the bound (8) before the lassos are
    /// asked for; the dead end after 2 steps must still be found, with the explorer's verdict.
    @Test func aDeadEndShorterThanTheSafetyUnrollingIsFound() throws {
        let system = try Differential.system("""
            model deadend
            var x: 0..3 = 0
            fair action inc when x < 2 { x := x + 1 }
            eventually Three: x == 3
            terminal x == 2
            """).get()
        var options = SMTOptions()
        options.method = .bmc
        options.maxDepth = 8
        let run = SMTEngine(system: system, options: options, file: "deadend.vmc").run()
        let three = try #require(run.result.properties.first { $0.name == "Three" })
        #expect(three.verdict == .violated, "\(three.note ?? "")")
        #expect(three.trace?.steps.count == 3)
        #expect(three.note == "the execution ends in a state with no successor and stays there forever")
        // The safety search did go to the bound (deadlock holds, and BMC proves nothing).
        #expect(run.result.properties.first { $0.name == "deadlock" }?.verdict == .unknown)
    }

    /// The default method: k-induction unrolls to depth 4 and the reachable-set invariant then decides the safety
    /// properties, so the safety unrolling is 4 deep when the lassos are asked for; PDR refutes `Three` (the dead
    /// end after 2 steps). Before, no lasso was found at any depth (no path has 3 steps, and frame 2 could not be a
    /// dead end), and the search past the bound ran until the run's share of the time was used up (about 50,000
    /// frames in 10 s in a debug build). Now the dead end is found and the run stops by itself, with no stop
    /// reason; the elapsed-time check is a guard against the old runaway, not a speed measurement.
    @Test func pdrsRefutationGetsItsLassoInsteadOfRunningToTheShare() throws {
        let system = try Differential.system("""
            model runaway
            var x: 0..3 = 0
            var y: 0..15 = 0
            fair action inc when x < 2 { x := x + 1 }
            action up when y > 0 && y < 15 { y := y + 1 }
            invariant NotTop: y != 15
            eventually Three: x == 3
            terminal x == 2
            """).get()
        var options = SMTOptions()
        options.budget.timeoutSeconds = 600
        options.timeShare = 120
        // The explicit graph's lasso would decide `Three` before PDR is asked: this test is about PDR's refutation.
        options.explicitLassoStates = 0
        let started = Date()
        let run = SMTEngine(system: system, options: options, file: "runaway.vmc").run()
        #expect(run.result.statistics.stopReason == nil)
        let verdicts = Dictionary(uniqueKeysWithValues: run.result.properties.map { ($0.name, $0.verdict) })
        #expect(verdicts == ["NotTop": .holds, "Three": .violated, "deadlock": .holds, "bounds": .holds])
        #expect(run.result.properties.first { $0.name == "Three" }?.trace?.steps.count == 3)
        #expect(Date().timeIntervalSince(started) < 60)
    }
}
