@testable import Checking
import Explorer
import Foundation
import ModelLanguage
import PackedSystem
@testable import SMT
import Testing

/// Under a time limit, the combinations of a variant matrix share it: each SMT run gets the time left divided by
/// the runs each worker thread has still to start, so every combination is started (before, the first two
/// combinations of a model used the whole limit and the others had no verdict at all).
@Suite struct TimeShareTests {
    @Test func lanesCountTheRunsEachWorkerHasLeft() {
        #expect(SystemChecking.lanes(index: 0, count: 8, workers: 2) == 4)
        #expect(SystemChecking.lanes(index: 1, count: 8, workers: 2) == 4)
        #expect(SystemChecking.lanes(index: 2, count: 8, workers: 2) == 3)
        #expect(SystemChecking.lanes(index: 6, count: 8, workers: 2) == 1)
        #expect(SystemChecking.lanes(index: 7, count: 8, workers: 2) == 1)
        #expect(SystemChecking.lanes(index: 0, count: 3, workers: 1) == 3)
        #expect(SystemChecking.lanes(index: 0, count: 1, workers: 1) == 1)
    }

    @Test func aShareIsTheTimeLeftOverTheLanes() {
        var options = SMTOptions()
        options.budget.timeoutSeconds = 60
        #expect(SystemChecking.timeShare(options, lanes: 4).timeShare == 15)
        #expect(SystemChecking.timeShare(options, lanes: 1).timeShare == nil)
        options.budget.timeoutSeconds = nil
        #expect(SystemChecking.timeShare(options, lanes: 4).timeShare == nil, "no limit, nothing to share")
    }

    @Test func theStopNamesTheShareOnlyWhenItIsShorter() {
        var options = SMTOptions()
        options.budget.timeoutSeconds = 50
        options.budget.statedTimeoutSeconds = 60
        options.timeShare = 15
        #expect(options.runSeconds == 15)
        #expect(options.timeStopReason == .timeShare(seconds: 15, of: 60))
        options.timeShare = 50
        #expect(options.runSeconds == 50)
        #expect(options.timeStopReason == .timeLimit(seconds: 60))
        #expect(StopReason.timeShare(seconds: 14.96, of: 60).description
            == "this combination's share of the time limit used up: 15 s of 60 s")
        #expect(StopReason.timeShare(seconds: 0.123, of: 1).description
            == "this combination's share of the time limit used up: 0.12 s of 1 s")
    }

    /// A Spacer query that would not end (the 16-bit wide counter) stops at the run's share, with its reason.
    @Test func theShareStopsASpacerQuery() throws {
        let (run, elapsed) = try InterruptionTests.run {
            $0.budget.timeoutSeconds = 300
            $0.timeShare = 2
        }
        #expect(run.result.statistics.stopReason == .timeShare(seconds: 2, of: 300))
        #expect(run.result.properties.first { $0.name == "NeverTop" }?.verdict == .unknown)
        #expect(elapsed < .seconds(30), "the run took \(elapsed) with a 2 s share")
    }

    /// A query stopped at the run's share, whoever stopped it (Z3's own timer: "timeout", the watch: "interrupted",
    /// Spacer: the error "canceled") and whether it answered just before (`Z3WatchTests`): the note of each safety
    /// property left open names the share, never Z3's word or an engine error. The 16-bit wide counter keeps BMC,
    /// k-induction and Spacer busy past any share.
    @Test(arguments: [SMTMethod.pdr, .bmc, .kind])
    func theNoteOfAQueryStoppedByTheShareNamesTheShare(method: SMTMethod) throws {
        let (run, elapsed) = try InterruptionTests.run {
            $0.method = method
            $0.maxDepth = 100_000
            $0.budget.timeoutSeconds = 300
            $0.timeShare = 2
        }
        let share = StopReason.timeShare(seconds: 2, of: 300)
        #expect(run.result.statistics.stopReason == share)
        let never = try #require(run.result.properties.first { $0.name == "NeverTop" })
        #expect(never.verdict == .unknown)
        #expect(never.note?.contains("(\(share))") == true, "\(never.note ?? "")")
        #expect(never.note?.contains("Z3") == false, "\(never.note ?? "")")
        #expect(elapsed < .seconds(60), "the run took \(elapsed) with a 2 s share")
    }

    /// Four combinations whose `NeverTop` keeps a Spacer query busy past any limit, two worker threads, at least
    /// 8 s: every combination is started and decides `deadlock` (0-induction), the first two stop at their share.
    /// The limit follows the machine's speed at the time: at least 20 times what one combination's first round
    /// (loading, building, encoding, BMC and k-induction at depth 0) takes alone just before, so that each share
    /// is ten such rounds however loaded the machine is (with a fixed 8 s, one run at load 30 left `deadlock`
    /// unknown: a 4 s share was not one round there). The test's duration is the limit: the last run of each
    /// thread spends what is left on `NeverTop`.
    @Test func everyCombinationIsStarted() throws {
        let model = """
            model shared16
            variant wrapAt: 0..300 in { 200, 201, 202, 203 }
            var x: 0..65535 = 0
            action climb when x != wrapAt { x := x + 1 }
            action wrap when x == wrapAt { x := 0 }
            invariant NeverTop: x != 65535
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("timeshare-\(getpid()).vmc").path
        try model.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var explorer = ExplorerOptions()
        explorer.threads = 2
        let round = CheckSettings(engines: .smt, explorer: explorer, smt: { _ in
            var options = SMTOptions()
            options.houdiniSeconds = 0
            options.method = .kind
            options.maxDepth = 0
            return options
        })
        let roundStarted = Date()
        let alone = try SystemChecking.checkMatrix(path, overrides: [], pins: [VariantPin(name: "wrapAt", value: "200")], settings: round).get()
        #expect(alone.runs.first?.result.properties.first { $0.name == "deadlock" }?.verdict == .holds)
        let limit = min(300, max(8, 20 * Date().timeIntervalSince(roundStarted)))
        let started = Date()
        let settings = CheckSettings(engines: .smt, explorer: explorer, smt: { _ in
            var options = SMTOptions()
            // The invariant finder would prove this counter at once (the reachable set has 201 to 204 states);
            // the test needs a property nothing proves within a combination's share, so it is switched off.
            options.houdiniSeconds = 0
            // Likewise Spacer, not the own IC3, which proves the counter in seconds (IC3Tests).
            options.pdrEngine = .spacer
            options.budget.timeoutSeconds = max(0.001, limit - Date().timeIntervalSince(started))
            options.budget.statedTimeoutSeconds = limit
            return options
        })
        let matrix = try SystemChecking.checkMatrix(path, overrides: [], pins: [], settings: settings).get()
        #expect(matrix.runs.count == 4)
        for run in matrix.runs {
            let verdicts = Dictionary(uniqueKeysWithValues: run.result.properties.map { ($0.name, $0.verdict) })
            #expect(verdicts["deadlock"] == .holds, "\(run.assignment): \(verdicts)")
            #expect(verdicts["NeverTop"] == .unknown, "\(run.assignment): \(verdicts)")
        }
        for run in matrix.runs.prefix(2) {
            guard case .timeShare(_, let of)? = run.result.statistics.stopReason else {
                Issue.record("\(run.assignment): \(String(describing: run.result.statistics.stopReason))")
                continue
            }
            #expect(of == limit)
        }
        // A guard against a hang, not a speed measurement.
        #expect(Date().timeIntervalSince(started) < limit + 60)
    }

    /// The share follows the states: a run weighed first keeps its equal share (it is the mean), a larger one
    /// after it gets more, a smaller one less but never under the floor, and none more than the time left.
    @Test func aShareIsWeightedByTheStatesTheSimulationSaw() {
        let weights = ShareWeights(floor: 0.5)
        #expect(weights.weighted(15, states: 10_000, limit: 60) == 15)
        #expect(weights.weighted(15, states: 30_000, limit: 60) == 22.5, "30,000 over the mean 20,000")
        #expect(weights.weighted(15, states: 1_000, limit: 60) == 7.5, "the floor: half the equal share")
        #expect(weights.weighted(15, states: 1_000_000, limit: 40) == 40, "never more than the time left")
        var options = SMTOptions()
        options.budget.timeoutSeconds = 60
        #expect(SystemChecking.timeShare(options, lanes: 4, weights: weights).shareWeights === weights)
        #expect(SystemChecking.timeShare(options, lanes: 1, weights: weights).shareWeights == nil, "alone: all the limit")
    }
}
