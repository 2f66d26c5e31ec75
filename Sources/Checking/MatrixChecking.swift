import Dispatch
import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import SMT

/// How the commands check a system: the engines, the explorer's options (with the command's budget), the SMT
/// engine's options made when it starts, and what to call as the search goes. One value the combinations' worker
/// threads share; the executable fills it from its arguments.
public struct CheckSettings: Sendable {
    /// The engines to run (`--engine`).
    public var engines: EngineSelection
    /// The explicit engine's options; each combination's search gets its share of `threads`.
    public var explorer: ExplorerOptions
    /// The SMT engine's options, made from the explorer options of the run when the SMT engine starts (so a
    /// command's deadline can give it the time left).
    public var smt: @Sendable (ExplorerOptions) -> SMTOptions
    /// Called about once per progress interval by the explicit engine, when only one search runs at a time.
    public var progress: (@Sendable (ExplorerProgress) -> Void)?
    /// Called when the explicit engine ends, when `progress` is set.
    public var explicitFinished: (@Sendable () -> Void)?
    /// Called with each SMT run and its model file (the details the command prints).
    public var smtFinished: (@Sendable (SMTRun, String) -> Void)?

    /// Settings for `engines` with `explorer`; the SMT engine (when selected) gets default options with the
    /// explorer's budget.
    public init(engines: EngineSelection, explorer: ExplorerOptions,
                smt: @escaping @Sendable (ExplorerOptions) -> SMTOptions = { explorer in
                    var options = SMTOptions()
                    options.budget = explorer.budget
                    return options
                }) {
        self.engines = engines
        self.explorer = explorer
        self.smt = smt
    }
}

extension SystemChecking {
    /// Runs the selected engines on one system with `settings`, the explorer with `explorer` (a combination's
    /// share of the threads), with progress reported only when `showProgress`. The SMT engine gets `1 / lanes`
    /// of the time left when it starts (see `timeShare`).
    static func check(_ system: TransitionSystem, file: String, settings: CheckSettings, explorer: ExplorerOptions,
                      showProgress: Bool, lanes: Int = 1, weights: ShareWeights? = nil) -> CheckResult {
        var progress: ((ExplorerProgress) -> Void)?
        var finished: (() -> Void)?
        if showProgress, let show = settings.progress {
            progress = { show($0) }
            finished = settings.explicitFinished.map { end in { end() } }
        }
        let checked = check(system, file: file, engines: settings.engines, explorer: explorer, smt: { timeShare(settings.smt(explorer), lanes: lanes, weights: weights) },
                            progress: progress, explicitFinished: finished)
        if let details = checked.smt { settings.smtFinished?(details, file) }
        return checked.result
    }

    /// The SMT options of a combination that shares the time left with others: `lanes` is how many runs each
    /// worker thread still has to start, this one included, so the combination gets that fraction of the time
    /// left and every combination is started before the limit. Measured on the library (docs/smt.md): without a
    /// share, the first two combinations of a model used the whole minute in deep BMC and PDR queries while
    /// most verdicts of the others are decided in their first seconds (k-induction at small k, shallow BMC).
    /// What a combination leaves unused goes to the ones after it (their share is taken when they start). Under
    /// `auto` the share is then weighted by the states the combination's simulation saw (`weights`, one record
    /// per model: `ShareWeights`). What the first pass leaves goes to a second (`SecondPass`).
    static func timeShare(_ options: SMTOptions, lanes: Int, weights: ShareWeights? = nil) -> SMTOptions {
        guard lanes > 1, let left = options.budget.timeoutSeconds else { return options }
        var shared = options
        shared.timeShare = left / Double(lanes)
        shared.shareWeights = weights
        return shared
    }

    /// The first pass's run of one combination: the SMT options with its share of the time left (`lanes`, asked
    /// when the SMT engine starts: `FirstPassLanes`), weighted by `weights`, and allowed to leave a certificate that
    /// does not fit its share to the second pass (`CertificateOverShare.deferToSecondPass`). Unlike `check`, the
    /// SMT run's details are not reported here: the second pass may continue the run (`SecondPass`).
    static func firstCheck(_ system: TransitionSystem, file: String, settings: CheckSettings, explorer: ExplorerOptions,
                           showProgress: Bool, lanes: @escaping @Sendable () -> Int, weights: ShareWeights) -> SystemCheck {
        var progress: ((ExplorerProgress) -> Void)?
        var finished: (() -> Void)?
        if showProgress, let show = settings.progress {
            progress = { show($0) }
            finished = settings.explicitFinished.map { end in { end() } }
        }
        return check(system, file: file, engines: settings.engines, explorer: explorer, smt: {
            var options = timeShare(settings.smt(explorer), lanes: lanes(), weights: weights)
            if options.timeShare != nil { options.overShare = .deferToSecondPass }
            return options
        }, progress: progress, explicitFinished: finished)
    }

    /// How many runs each of `workers` threads has still to start when combination `index` of `count` starts
    /// (combinations are started in order): its share of the time left is one over this.
    static func lanes(index: Int, count: Int, workers: Int) -> Int {
        let unstarted = max(1, count - index)
        let threads = max(1, workers)
        return (unstarted + threads - 1) / threads
    }

    /// Every combination of one model file checked with its sanity (the variant loop of `check` and of `report`'s
    /// verdict matrix), or why it could not be loaded. The model is parsed once, then each combination is checked,
    /// lowered and explored, up to `threads` combinations at a time. The threads are shared out: with W
    /// combinations running at once, each search gets `threads / W` (at least one), so the machine is never
    /// oversubscribed; the thread count does not change any result. Progress is reported when one search runs at
    /// a time. Under a time limit the SMT runs take two passes (`CombinationQueue`, `SecondPass`); the results
    /// keep the combinations' order.
    public static func checkMatrix(_ file: String, overrides: [ConstantOverride], pins: [VariantPin],
                                   settings: CheckSettings) -> Result<MatrixResult, LoadFailure> {
        let options = settings.explorer
        let start = DispatchTime.now()
        let source: SourceFile
        do {
            source = try Frontend.load(path: file)
        } catch {
            return .failure(LoadFailure(file: file, problems: [.unreadable(error as? FileProblem ?? FileProblem(message: "\(error)"))]))
        }
        let matrix: ModelMatrix
        switch Frontend.matrix(source, overrides: overrides, pins: pins) {
        case .failure(let errors):
            return .failure(LoadFailure(file: file, errors: errors))
        case .success(let value): matrix = value
        }
        guard matrix.hasVariants else {
            switch checkWithSanity(matrix.first, engines: settings.engines, budget: options.budget.buildBudget,
                                   check: { check($0, file: file, settings: settings, explorer: options, showProgress: true) }) {
            case .failure(let errors):
                return .failure(LoadFailure(file: file, errors: errors))
            case .success(let run):
                return .success(MatrixResult(single: run.result, sanity: run.sanity, meant: run.meant, meantDead: run.meantDead))
            }
        }
        let combinations = matrix.combinations
        let workers = max(1, min(combinations.count, options.threads))
        var shared = options
        shared.threads = max(1, options.threads / workers)
        let runOptions = shared
        let progress = workers == 1
        let weights = ShareWeights()
        let queue = CombinationQueue<SecondPass.Revisit>(count: combinations.count, workers: workers)
        let outcomes = queue.run(first: { index, lanes -> Result<FirstRun, LoadFailure> in
            let combination = combinations[index]
            let failure = { (errors: ModelErrors) in
                LoadFailure(file: file, problems: [.combination(file: file, combination)] + errors.diagnostics.map(LoadProblem.diagnostic),
                            stopReason: errors.stopReason)
            }
            switch matrix.check(combination) {
            case .failure(let errors): return .failure(failure(errors))
            case .success(let model):
                var kept: (system: TransitionSystem, check: SystemCheck)?
                switch checkWithSanity(model, engines: settings.engines, budget: runOptions.budget.buildBudget, check: { system in
                    let checked = firstCheck(system, file: file, settings: settings, explorer: runOptions, showProgress: progress,
                                             lanes: lanes, weights: weights)
                    kept = (system, checked)
                    return checked.result
                }) {
                case .failure(let errors): return .failure(failure(errors))
                case .success(let run):
                    let variant = VariantRun(assignment: combination, result: run.result, sanity: run.sanity, meant: run.meant,
                                             meantDead: run.meantDead)
                    return .success(FirstRun(run: variant, system: kept?.system, check: kept?.check))
                }
            }
        }, second: { revisit, lanes in
            SecondPass.continueRun(revisit, file: file, settings: settings, explorer: runOptions, lanes: lanes)
        }, finished: { smt in settings.smtFinished?(smt, file) })
        var runs: [VariantRun] = []
        var problems: [LoadProblem] = []
        var stopReason: String?
        for outcome in outcomes {
            switch outcome {
            case .success(let run): runs.append(run)
            case .failure(let failure):
                problems += failure.problems
                stopReason = stopReason ?? failure.stopReason
            }
        }
        if !problems.isEmpty { return .failure(LoadFailure(file: file, problems: problems, stopReason: stopReason)) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return .success(MatrixResult(file: file, model: matrix.first.name, hasVariants: true, runs: runs, seconds: seconds))
    }
}
