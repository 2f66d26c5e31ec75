@testable import Checking
import Explorer
import Foundation
import PackedSystem
@testable import SMT
import Testing

/// The two passes over a model's variant combinations (`CombinationQueue`, `SecondPass`): the first in the matrix's
/// order, the second over the runs the first handed on, smallest first, with the time the first left. These assert
/// the order and the pass structure, never durations: the end-to-end test's limit is far longer than its runs.
@Suite struct SecondPassTests {
    /// First runs in the matrix's order; then the handed-on runs smallest first (unknown sizes last, ties in the
    /// matrix's order), each with the second-pass runs per thread still to start; the deferred ones keep their
    /// time in the first pass's lanes.
    @Test func theQueueRunsTheFirstPassInOrderThenTheSmallestFirst() {
        typealias Queue = CombinationQueue<String>
        let queue = Queue(count: 5, workers: 2)
        var firsts: [Int] = []
        for _ in 0..<5 {
            guard case .first(let index)? = queue.take() else {
                Issue.record("a first run expected")
                return
            }
            firsts.append(index)
        }
        #expect(firsts == [0, 1, 2, 3, 4])
        #expect(queue.firstLanes(index: 4) == 1, "the last first run, nothing deferred: all that is left")
        queue.finishedFirst(handing: Queue.Waiting(item: "a", index: 0, size: 500, deferred: true))
        #expect(queue.firstLanes(index: 4) == 1, "one run to start and one deferred: one each on two threads")
        queue.finishedFirst(handing: Queue.Waiting(item: "b", index: 1, size: nil, deferred: false))
        #expect(queue.firstLanes(index: 4) == 1, "a run stopped at its share keeps no time in the first pass")
        queue.finishedFirst(handing: Queue.Waiting(item: "c", index: 2, size: 100, deferred: true))
        #expect(queue.firstLanes(index: 4) == 2, "one to start and two deferred on two threads")
        queue.finishedFirst(handing: Queue.Waiting(item: "d", index: 3, size: 500, deferred: true))
        queue.finishedFirst(handing: nil)
        var seconds: [String] = []
        var lanes: [Int] = []
        while let job = queue.take() {
            guard case .second(let item, _, let lane) = job else {
                Issue.record("only second-pass runs are left")
                return
            }
            seconds.append(item)
            lanes.append(lane)
        }
        #expect(seconds == ["c", "a", "d", "b"])
        #expect(lanes == [2, 2, 1, 1])
    }

    /// A run stopped at its share is repeated only with a longer share than it had; a deferred run always; the
    /// share may stretch to the time left for a certificate only while there is a share.
    @Test func aRunIsRepeatedOnlyWithMoreTime() {
        var made = SMTOptions()
        made.budget.timeoutSeconds = 30
        let stopped = Self.run(stop: .timeShare(seconds: 10, of: 60))
        #expect(SecondPass.options(for: stopped, made: made, lanes: 2)?.timeShare == 15)
        #expect(SecondPass.options(for: stopped, made: made, lanes: 2)?.overShare == .takeTimeLeft)
        #expect(SecondPass.options(for: stopped, made: made, lanes: 4) == nil, "7.5 s is less than the 10 s it had")
        let alone = SecondPass.options(for: stopped, made: made, lanes: 1)
        #expect(alone != nil && alone?.timeShare == nil && alone?.overShare == .keepShare, "all the time left, no share to stretch")
        var deferred = Self.run(stop: nil)
        deferred.deferred = true
        #expect(SecondPass.options(for: deferred, made: made, lanes: 8)?.timeShare == 3.75)
        #expect(SecondPass.handsOn(deferred))
        #expect(SecondPass.handsOn(stopped))
        #expect(!SecondPass.handsOn(Self.run(stop: .timeLimit(seconds: 60))), "the command's limit: no time left")
        #expect(!SecondPass.handsOn(Self.run(stop: .timeShare(seconds: 10, of: 60), decided: true)), "nothing left to decide")
    }

    /// The second run resumes the first run's certificate check: the progress it recorded is in the options.
    @Test func aRepeatedRunResumesTheCertificate() {
        var made = SMTOptions()
        made.budget.timeoutSeconds = 30
        var stopped = Self.run(stop: .timeShare(seconds: 10, of: 60))
        #expect(SecondPass.options(for: stopped, made: made, lanes: 1)?.resumeCertificate == nil)
        var progress = CertificateProgress(identity: .init(cells: [0], rows: [0, 1], unclipped: [0, 1]), ceiling: 1)
        progress.answer(0..<1)
        stopped.certificateProgress = progress
        let options = SecondPass.options(for: stopped, made: made, lanes: 1)
        #expect(options?.resumeCertificate?.identity == progress.identity)
        #expect(options?.resumeCertificate?.answeredCount == 1)
        #expect(stopped.continued(by: Self.run(stop: nil)).certificateProgress == nil, "a merged run is final")
    }

    /// A run stopped at its share with a certificate check under way is repeated with no more time than it had when
    /// the rest of the check is expected to fit (the states not answered, at least an eighth of the set, at the
    /// engine's cost per state); without progress, or with too much left, it is not.
    @Test func aRunWithCertificateProgressIsRepeatedWhenTheRestFits() {
        var made = SMTOptions()
        made.budget.timeoutSeconds = 30
        made.certificateSecondsPerState = 0.001
        var stopped = Self.run(stop: .timeShare(seconds: 20, of: 60))
        stopped.simulatedStates = 16_000
        #expect(SecondPass.options(for: stopped, made: made, lanes: 2) == nil, "15 s is less than the 20 s it had")
        var progress = CertificateProgress(identity: .init(cells: [0], rows: Array(repeating: 0, count: 16_000),
                                                           unclipped: Array(repeating: 0, count: 16_000)), ceiling: 0)
        progress.answer(0..<14_000)
        #expect(progress.statesLeft(of: 16_000) == 2_000)
        #expect(progress.statesLeft(of: 15_000) == 15_000, "progress about other states says nothing")
        stopped.certificateProgress = progress
        #expect(stopped.certificateResumable(within: 15, options: made))
        let repeated = SecondPass.options(for: stopped, made: made, lanes: 2)
        #expect(repeated?.timeShare == 15)
        #expect(repeated?.resumeCertificate?.answeredCount == 14_000)
        var little = CertificateProgress(identity: progress.identity, ceiling: 0)
        little.answer(0..<100)
        stopped.certificateProgress = little
        #expect(!stopped.certificateResumable(within: 15, options: made), "15.9 s of states left")
        #expect(SecondPass.options(for: stopped, made: made, lanes: 2) == nil)
        var nearlyAll = CertificateProgress(identity: progress.identity, ceiling: 0)
        nearlyAll.answer(0..<16_000)
        #expect(nearlyAll.statesLeft(of: 16_000) == 2_000, "at least an eighth: what every check does again")
    }

    /// The merge keeps the first run's verdicts, takes the second's for the rest, and adds the two runs up.
    @Test func aContinuedRunKeepsTheFirstVerdicts() {
        let first = Self.run(stop: .timeShare(seconds: 10, of: 60), verdicts: [.holds, .unknown, .unknown], seconds: 10)
        let second = Self.run(stop: .timeLimit(seconds: 60), verdicts: [.unknown, .reachable, .unknown], seconds: 20)
        let merged = first.continued(by: second)
        #expect(merged.result.properties.map(\.verdict) == [.holds, .reachable, .unknown])
        #expect(merged.result.statistics.seconds == 30)
        #expect(merged.result.statistics.stopReason == .timeLimit(seconds: 60))
        #expect(!merged.result.statistics.complete)
        #expect(merged.passes == 2)
        #expect(merged.queries.entries.first?.queries == 2, "one query in each run")
    }

    /// Four combinations on one thread whose certificates are taken to need more than a first-pass share but less
    /// than the command's limit (the cost per state set high, a whole core assumed): each first run stops after
    /// k-induction and hands its certificate on, and the second pass runs them smallest first with the time left,
    /// deciding every property; the report keeps the matrix's order. Without a limit there is one pass.
    @Test func aDeferredCertificateRunsInTheSecondPassSmallestFirst() throws {
        let model = """
            model deferral
            variant wrapAt: 0..100 in { 36, 30, 34, 32 }
            var x: 0..100 = 0
            action climb when x < wrapAt { x := x + 1 }
            action wrap when x == wrapAt { x := 0 }
            invariant Below: x <= wrapAt
            reachable Top: x == wrapAt
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secondpass-\(getpid()).vmc").path
        try model.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for limit in [600.0, nil] {
            let finished = Finished()
            var explorer = ExplorerOptions()
            explorer.threads = 1
            let started = Date()
            var settings = CheckSettings(engines: .smt, explorer: explorer, smt: { _ in
                var options = SMTOptions()
                // 37 states at 10 s each is 370 s: more than a first share (600 s over 4 runs), less than the limit.
                options.certificateSecondsPerState = 10
                options.coreFraction = 1
                options.budget.timeoutSeconds = limit.map { max(0.001, $0 - Date().timeIntervalSince(started)) }
                options.budget.statedTimeoutSeconds = limit
                return options
            })
            settings.smtFinished = { run, _ in finished.append(run) }
            let matrix = try SystemChecking.checkMatrix(path, overrides: [], pins: [], settings: settings).get()
            #expect(matrix.runs.map { $0.assignment.entries.first?.value } == ["36", "30", "34", "32"])
            for run in matrix.runs {
                #expect(!run.result.hasUnknown, "\(run.assignment): \(run.result.properties.map { ($0.name, $0.verdict) })")
                // The trace's steps begin with the initial state: wrapAt transitions, wrapAt + 1 steps.
                #expect(run.result.properties.first { $0.name == "Top" }?.trace?.steps.count == Int(run.assignment.entries.first?.value ?? "").map { $0 + 1 })
            }
            let runs = finished.runs
            if limit != nil {
                #expect(runs.map(\.passes) == [2, 2, 2, 2])
                #expect(runs.map(\.simulatedStates) == [31, 33, 35, 37], "the second pass runs the smallest first")
            } else {
                #expect(runs.map(\.passes) == [1, 1, 1, 1])
                #expect(runs.map(\.simulatedStates) == [37, 31, 35, 33], "one pass, the matrix's order")
            }
        }
    }

    /// The SMT runs `smtFinished` reported, in order.
    private final class Finished: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [SMTRun] = []
        func append(_ run: SMTRun) {
            lock.lock()
            list.append(run)
            lock.unlock()
        }
        var runs: [SMTRun] {
            lock.lock()
            defer { lock.unlock() }
            return list
        }
    }

    /// An SMT run with `verdicts` (one invariant each), stopped by `stop`, with one query.
    private static func run(stop: StopReason?, verdicts: [Verdict] = [.unknown], decided: Bool = false, seconds: Double = 1) -> SMTRun {
        let properties = verdicts.enumerated().map { index, verdict in
            PropertyResult(name: "P\(index)", kind: .invariant, expected: .holds, verdict: decided ? .holds : verdict, engine: .smt)
        }
        var statistics = RunStatistics()
        statistics.stopReason = stop
        statistics.seconds = seconds
        let result = CheckResult(file: "m.vmc", model: "m", cellNames: [], cellTypes: [], properties: properties,
                                 statistics: statistics, engine: .smt)
        var queries = SMTQueryStatistics()
        queries.record(method: "bmc", property: "(all undecided)", seconds: seconds)
        return SMTRun(result: result, queries: queries, invariants: [])
    }
}
