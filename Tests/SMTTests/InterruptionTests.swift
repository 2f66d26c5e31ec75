import PackedSystem
@testable import SMT
import Testing

/// A Spacer query stops when the run's time limit passes, when the run's interruption answers (SIGINT), and at
/// its own per-query limit, without waiting for Spacer to look at its `timeout` parameter (`Z3Watch`). The model
/// is the 16-bit wide counter, which Spacer did not prove in 600 s. Wall-clock bounds here are generous: they
/// separate "stopped by the watch" from "ran until Spacer gave up on its own", not fast from slow.
@Suite struct InterruptionTests {
    static let system = Result { try Differential.system(PDRTests.wideCounter(bits: 16)).get() }

    static func run(_ configure: (inout SMTOptions) -> Void) throws -> (SMTRun, Duration) {
        var options = SMTOptions()
        options.method = .pdr
        options.pdrQuerySeconds = nil
        // Spacer: the own IC3 proves this counter in seconds (IC3Tests); Spacer does not end on it.
        options.pdrEngine = .spacer
        configure(&options)
        let started = ContinuousClock.now
        let run = SMTEngine(system: try system.get(), options: options, file: "wide16.vmc").run()
        return (run, ContinuousClock.now - started)
    }

    @Test func theTimeLimitStopsASpacerQuery() throws {
        let (run, elapsed) = try Self.run { $0.budget.timeoutSeconds = 2 }
        #expect(run.result.statistics.stopReason == .timeLimit(seconds: 2))
        #expect(run.result.properties.first { $0.name == "NeverTop" }?.verdict == .unknown)
        #expect(elapsed < .seconds(30), "the run took \(elapsed) with a 2 s limit")
    }

    @Test func theInterruptionStopsASpacerQuery() throws {
        let start = ContinuousClock.now
        let (run, elapsed) = try Self.run {
            $0.budget.interruption = { ContinuousClock.now - start > .seconds(1) ? .signal(name: "SIGINT") : nil }
        }
        #expect(run.result.statistics.stopReason == .signal(name: "SIGINT"))
        #expect(run.result.properties.first { $0.name == "NeverTop" }?.verdict == .unknown)
        #expect(elapsed < .seconds(30), "the run took \(elapsed) after an interruption at 1 s")
    }

    /// A query stopped at its own limit leaves its property to BMC, and the queries after it still run: the
    /// interrupted context is the query's own (an interrupt leaves a Z3 context cancelled for good).
    @Test func aQueryLimitLeavesTheNextQueriesWorking() throws {
        let (run, _) = try Self.run {
            $0.pdrQuerySeconds = 1
            $0.budget.timeoutSeconds = 300
        }
        let never = try #require(run.result.properties.first { $0.name == "NeverTop" })
        #expect(never.verdict == .unknown)
        #expect(never.note?.contains("PDR: Z3 reached the time limit (1 s per query)") == true, "\(never.note ?? "")")
        #expect(run.result.properties.first { $0.name == "deadlock" }?.verdict == .holds)
        #expect(run.result.statistics.stopReason == nil)
    }

    /// The encoding polls the run's interruption before each ground action (on the v2 QEMU models it takes
    /// seconds and has no query to interrupt): an interruption that answers at once ends the run with its reason,
    /// not with an engine error.
    @Test func theEncodingStopsAtTheInterruption() throws {
        let (run, _) = try Self.run { $0.budget.interruption = { .signal(name: "SIGINT") } }
        #expect(run.result.statistics.stopReason == .signal(name: "SIGINT"))
        #expect(run.result.properties.allSatisfy { $0.verdict == .unknown })
    }
}
