import Checking
import Dispatch
import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Reports
import Review

/// The variant loop of `check` (and of `report`'s verdict matrix): a model is parsed once, then each combination
/// is checked, lowered and explored, up to `--threads` combinations at a time. The threads are shared out: with W
/// combinations running at once, each search gets `--threads / W` (at least one), so the machine is never
/// oversubscribed; the thread count does not change any result.
extension EngineRunner {
    /// Every combination of one model file, or why it could not be loaded.
    func checkMatrix(_ file: String, overrides: [ConstantOverride], pins: [VariantPin], options: ExplorerOptions,
                     showProgress: Bool) -> Result<MatrixResult, LoadFailure> {
        let start = DispatchTime.now()
        let source: SourceFile
        do {
            source = try Frontend.load(path: file)
        } catch {
            return .failure(LoadFailure(file: file, messages: ["error: \(error)"]))
        }
        let matrix: ModelMatrix
        switch Frontend.matrix(source, overrides: overrides, pins: pins) {
        case .failure(let errors):
            return .failure(LoadFailure(file: file, messages: errors.diagnostics.map(\.rendered), stopReason: errors.stopReason))
        case .success(let value): matrix = value
        }
        let runner = self
        guard matrix.hasVariants else {
            switch SystemChecking.checkWithSanity(matrix.first, engines: runner.engine, budget: options.budget.buildBudget,
                                                  check: { runner.run($0, file: file, options: options, showProgress: showProgress) }) {
            case .failure(let errors):
                return .failure(LoadFailure(file: file, messages: errors.diagnostics.map(\.rendered), stopReason: errors.stopReason))
            case .success(let run):
                return .success(MatrixResult(single: run.result, sanity: run.sanity, meant: run.meant, meantDead: run.meantDead))
            }
        }
        let combinations = matrix.combinations
        let workers = max(1, min(combinations.count, options.threads))
        var shared = options
        shared.threads = max(1, options.threads / workers)
        let runOptions = shared
        let progress = showProgress && workers == 1
        let outcomes = ParallelJobs.run(count: combinations.count, workers: workers) { index -> Result<VariantRun, LoadFailure> in
            let combination = combinations[index]
            let failure = { (errors: ModelErrors) in
                LoadFailure(file: file, messages: ["\(file): in combination \(combination):"] + errors.diagnostics.map(\.rendered),
                            stopReason: errors.stopReason)
            }
            switch matrix.check(combination) {
            case .failure(let errors): return .failure(failure(errors))
            case .success(let model):
                switch SystemChecking.checkWithSanity(model, engines: runner.engine, budget: runOptions.budget.buildBudget,
                                                      check: { runner.run($0, file: file, options: runOptions, showProgress: progress) }) {
                case .failure(let errors): return .failure(failure(errors))
                case .success(let run):
                    return .success(VariantRun(assignment: combination, result: run.result, sanity: run.sanity, meant: run.meant,
                                               meantDead: run.meantDead))
                }
            }
        }
        var runs: [VariantRun] = []
        var messages: [String] = []
        var stopReason: String?
        for outcome in outcomes {
            switch outcome {
            case .success(let run): runs.append(run)
            case .failure(let failure):
                messages += failure.messages
                stopReason = stopReason ?? failure.stopReason
            }
        }
        if !messages.isEmpty { return .failure(LoadFailure(file: file, messages: messages, stopReason: stopReason)) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return .success(MatrixResult(file: file, model: matrix.first.name, hasVariants: true, runs: runs, seconds: seconds))
    }
}

/// Runs independent jobs on a fixed number of threads and returns their results in job order.
enum ParallelJobs {
    /// Results of `job(0)` ... `job(count - 1)`, computed by up to `workers` threads that each take the next
    /// unclaimed index.
    static func run<T: Sendable>(count: Int, workers: Int, _ job: @escaping @Sendable (Int) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
            while let index = slots.claim() {
                slots.store(job(index), at: index)
            }
        }
        return slots.values()
    }

    /// The next job index and the results, behind one lock.
    private final class Slots<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var results: [T?]

        init(count: Int) { results = Array(repeating: nil, count: count) }

        func claim() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < results.count else { return nil }
            next += 1
            return next - 1
        }

        func store(_ value: T, at index: Int) {
            lock.lock()
            results[index] = value
            lock.unlock()
        }

        func values() -> [T] {
            lock.lock()
            defer { lock.unlock() }
            return results.compactMap { $0 }
        }
    }
}
