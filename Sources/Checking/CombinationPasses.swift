import Dispatch
import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import SMT

/// One combination after its first run: the run as the report shows it, and the built system and engines' results
/// the second pass needs to continue its SMT run.
struct FirstRun: Sendable {
    /// The run, with the first run's verdicts.
    let run: VariantRun
    /// The system the engines checked (nil when building it failed).
    let system: TransitionSystem?
    /// The engines' results (nil when building the system failed).
    let check: SystemCheck?
}

/// The order in which the worker threads run a model's variant combinations: first every combination in the
/// matrix's order (the first pass, each SMT run with its share of the time left when it starts), then, as threads
/// come free, the runs the first pass handed on (the second pass, `SecondPass`), smallest first. A thread with no
/// first-pass combination left and nothing handed on waits while the others may still hand one on, so the time
/// one thread leaves is used by another. Shared by the worker threads; `Item` is what the second pass runs.
final class CombinationQueue<Item: Sendable>: @unchecked Sendable {
    /// A run handed on to the second pass.
    struct Waiting: Sendable {
        let item: Item
        /// Its combination's index (the report's order; the second pass's tie-break).
        let index: Int
        /// What it is ordered by, smallest first: the states its simulation saw (nil: last).
        let size: Int?
        /// Whether its first run left its certificate to the second pass (`SMTRun.deferred`): its time is kept
        /// for it in the first pass's shares (`firstLanes`).
        let deferred: Bool
    }

    /// What a worker thread does next.
    enum Job {
        /// The first run of combination `index`.
        case first(Int)
        /// A second-pass run, with `lanes` second-pass runs per thread still to start (this one included).
        case second(Item, index: Int, lanes: Int)
    }

    private let condition = NSCondition()
    private let count: Int
    private let workers: Int
    private var next = 0
    private var running = 0
    private var waiting: [Waiting] = []

    /// A queue of `count` combinations for `workers` threads.
    init(count: Int, workers: Int) {
        self.count = count
        self.workers = max(1, workers)
    }

    /// The next job, waiting while a first run in progress may still hand one on; nil when nothing is left.
    func take() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if next < count {
                next += 1
                running += 1
                return .first(next - 1)
            }
            if let position = waiting.indices.min(by: { Self.before(waiting[$0], waiting[$1]) }) {
                let lanes = (waiting.count + workers - 1) / workers
                let chosen = waiting.remove(at: position)
                return .second(chosen.item, index: chosen.index, lanes: lanes)
            }
            if running == 0 { return nil }
            condition.wait()
        }
    }

    /// Records the end of a first run, with what it hands on to the second pass.
    func finishedFirst(handing waiting: Waiting?) {
        condition.lock()
        running -= 1
        if let waiting { self.waiting.append(waiting) }
        condition.broadcast()
        condition.unlock()
    }

    /// The lanes of combination `index`'s first run when its SMT run starts (`SystemChecking.lanes`): the first
    /// runs still to start, this one included, and the deferred runs waiting for the second pass, whose time is
    /// kept for them (without them the last first runs would take all that is left).
    func firstLanes(index: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        return SystemChecking.lanes(index: index, count: count + waiting.count { $0.deferred }, workers: workers)
    }

    /// The second pass's order: smallest first, sizes unknown last, then the combinations' order.
    static func before(_ a: Waiting, _ b: Waiting) -> Bool {
        (a.size ?? Int.max, a.index) < (b.size ?? Int.max, b.index)
    }
}

extension CombinationQueue where Item == SecondPass.Revisit {
    /// Runs every combination on `workers` threads: `first(index, lanes)` for each (its result, and its lanes
    /// asked when its SMT run starts), then `second(revisit, lanes)` for each SMT run the first pass hands on
    /// (`SecondPass.handsOn`), merged into its combination's run. `finished` is called once per SMT run that
    /// ends for good (merged with its continuation). Results in the combinations' order.
    func run(first: @escaping @Sendable (Int, @escaping @Sendable () -> Int) -> Result<FirstRun, LoadFailure>,
             second: @escaping @Sendable (SecondPass.Revisit, Int) -> SMTRun?,
             finished: @escaping @Sendable (SMTRun) -> Void) -> [Result<VariantRun, LoadFailure>] {
        let results = Results(count: count)
        ThreadLauncher.perform(workers: max(1, min(workers, count))) { [self] _ in
            while let job = take() {
                switch job {
                case .first(let index):
                    var handed: Waiting?
                    switch first(index, { self.firstLanes(index: index) }) {
                    case .failure(let failure): results.store(.failure(failure), at: index)
                    case .success(let firstRun):
                        results.store(.success(firstRun.run), at: index)
                        if let system = firstRun.system, let check = firstRun.check, let smt = check.smt {
                            if SecondPass.handsOn(smt) {
                                let revisit = SecondPass.Revisit(system: system, explicit: check.explicit, smt: smt)
                                handed = Waiting(item: revisit, index: index, size: smt.simulatedStates, deferred: smt.deferred)
                            } else {
                                finished(smt)
                            }
                        }
                    }
                    finishedFirst(handing: handed)
                case .second(let revisit, let index, let lanes):
                    let continuation = second(revisit, lanes)
                    let merged = continuation.map { revisit.smt.continued(by: $0) } ?? revisit.smt
                    finished(merged)
                    if continuation != nil, case .success(let run)? = results.value(at: index) {
                        let result = revisit.explicit.map { CrossCheck.merge(explicit: $0, smt: merged.result) } ?? merged.result
                        results.store(.success(VariantRun(assignment: run.assignment, result: result, sanity: run.sanity, meant: run.meant,
                                                          meantDead: run.meantDead)), at: index)
                    }
                }
            }
        }
        return results.values()
    }

    /// The combinations' results, behind one lock.
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<VariantRun, LoadFailure>?]

        init(count: Int) { results = Array(repeating: nil, count: count) }

        func store(_ value: Result<VariantRun, LoadFailure>, at index: Int) {
            lock.lock()
            results[index] = value
            lock.unlock()
        }

        func value(at index: Int) -> Result<VariantRun, LoadFailure>? {
            lock.lock()
            defer { lock.unlock() }
            return results[index]
        }

        func values() -> [Result<VariantRun, LoadFailure>] {
            lock.lock()
            defer { lock.unlock() }
            return results.compactMap { $0 }
        }
    }
}

/// The second pass over a model's variant combinations (issue 15: a share is taken when its run starts, in the
/// combinations' order, so a large combination that comes first could not use the time the smaller ones after it
/// leave unused: v2-qemu-p2p ended at 45 s of its minute with its two largest combinations undecided). It continues,
/// smallest simulation first (`SMTRun.simulatedStates`), the SMT runs that
///
/// - left their certificate to it (`SMTRun.deferred`: it did not fit the run's share but is expected to fit in the
///   command's time left), always; or
/// - stopped at their share with properties undecided, when their share now is longer than the one they had (a
///   run repeated with no more time gets no further), or when it resumes a certificate check whose rest is expected
///   to fit the share it would have (`SMTRun.certificateResumable`).
///
/// Each gets the time left over the second-pass runs each thread has still to start, and may take all of it for a
/// certificate expected to fit (`CertificateOverShare.takeTimeLeft`: the runs after it are larger). A continued run
/// skips the properties the first run decided (`SMTOptions.settled`) and resumes the certificate check the first
/// run's time cut (`SMTOptions.resumeCertificate`); the two are merged (`SMTRun.continued(by:)`)
/// and cross-checked again under `--engine both`. The report keeps the combinations' order.
enum SecondPass {
    /// A combination the second pass may continue: its built system and its first runs.
    struct Revisit: Sendable {
        let system: TransitionSystem
        let explicit: CheckResult?
        let smt: SMTRun
    }

    /// Whether the first pass hands an SMT run on: it was deferred, or it stopped at its share undecided.
    static func handsOn(_ smt: SMTRun) -> Bool {
        if smt.deferred { return true }
        guard case .timeShare? = smt.result.statistics.stopReason else { return false }
        return smt.result.hasUnknown
    }

    /// The continuation of `revisit`'s SMT run with `lanes` second-pass runs per thread still to start, or nil when
    /// it is not repeated (`options(for:...)`).
    static func continueRun(_ revisit: Revisit, file: String, settings: CheckSettings, explorer: ExplorerOptions, lanes: Int) -> SMTRun? {
        guard var options = options(for: revisit.smt, made: settings.smt(explorer), lanes: lanes) else { return nil }
        let properties = revisit.smt.result.properties
        options.settled = Set(properties.indices.filter { properties[$0].verdict != .unknown })
        // A deferred run stopped after k-induction to `autoDepth`: what it left, k-induction left.
        options.inductionDone = revisit.smt.deferred
        return SMTEngine(system: revisit.system, options: options, file: file).run()
    }

    /// The options of a second-pass run of `first` from the command's `options` (with the time left) and `lanes`,
    /// or nil when it is not repeated: it was not deferred and its share would be no longer than its first one.
    static func options(for first: SMTRun, made options: SMTOptions, lanes: Int) -> SMTOptions? {
        var options = SystemChecking.timeShare(options, lanes: lanes)
        if !first.deferred {
            // With no more time than it had, a repeated run would get no further, unless it resumes a certificate
            // check whose rest is expected to fit (`CertificateProgress`).
            guard case .timeShare(let had, _)? = first.result.statistics.stopReason,
                  let now = options.timeShare ?? options.budget.timeoutSeconds,
                  now > had || first.certificateResumable(within: now, options: options) else { return nil }
        }
        if options.timeShare != nil { options.overShare = .takeTimeLeft }
        options.resumeCertificate = first.certificateProgress
        return options
    }
}
