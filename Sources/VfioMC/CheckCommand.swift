import ArgumentParser
import Checking
import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Reports
import Review
import SMT

/// `vfio-mc check`: explore every model and compare each verdict with its expectation.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check models and compare every verdict with its `expect` line.",
        discussion: """
            PATH is a model file or a directory (searched recursively for *.vmc). A model with variants is checked \
            under every combination it lists (or every combination; --variant pins some), and a verdict matrix is \
            printed. Exit codes: 0 every expectation met; 1 an expectation failed; 2 a usage or model error; \
            3 some verdict missing (a budget ran out, or the SMT engine could not decide it).
            """)

    @Argument(help: "Model files or directories.")
    var paths: [String]

    @OptionGroup var model: ModelOptions

    @OptionGroup(title: "Output") var output: OutputOptions

    @OptionGroup var variants: VariantOptions

    @Flag(help: "Print one JSON document (see docs/cli.md) instead of text.")
    var json = false

    @OptionGroup(title: "Search and budgets") var search: SearchOptions

    @Flag(help: "Also print witnesses for reachable goals.")
    var witnesses = false

    @Option(help: ArgumentHelp("The engine: explicit (breadth-first search), smt (Z3: BMC, k-induction, PDR; lassos and liveness-to-safety for liveness) or both (cross-checked, liveness included). Under --timeout the SMT runs of a model's variant combinations share the time left, so that every combination is started; under --smt-method auto a combination's share is then weighted by the states its simulation saw. A second pass gives the time the first leaves to the combinations still undecided, smallest first (docs/smt.md).", valueName: "ENGINE"))
    var engine: EngineSelection = .explicit

    @Flag(help: ArgumentHelp("Fail (exit 1) when a property that holds is trivial or vacuous and its expect line does not say "
                             + "'holds trivially' or 'holds vacuously', or says so of a property that is not; and when an action "
                             + "is dead (never enabled in a reachable state) without an 'expect dead' line, or has one and fires."))
    var strict = false

    @Flag(help: "Print how often each ground action fired and the new states it found, and the dead actions (explicit engine).")
    var coverage = false

    @OptionGroup(title: "SMT engine") var smt: SMTOptionGroup

    @Option(help: ArgumentHelp("Also write JUnit XML (one test case per property) to this file.", valueName: "FILE"))
    var junit: String?

    func run() throws {
        try output.start()
        var settings = CheckSettings(engines: engine, explorer: try search.start(), smt: smtOptions)
        if !json && isatty(STDERR_FILENO) != 0 {
            settings.progress = { ProgressLine.show($0) }
            settings.explicitFinished = { ProgressLine.clear() }
        }
        if !json { settings.smtFinished = { [smt] details, file in smt.printDetails(details, file: file) } }
        let overrides = try model.overrides()
        let pins = try variants.pins()
        let files = try ModelLoading.modelFilesOrExit(paths)
        var matrices: [MatrixResult] = []
        var failures: [LoadFailure] = []
        var renderer = TextRenderer(showWitnesses: witnesses)
        renderer.showCoverage = coverage
        for file in files {
            // After SIGINT or SIGTERM the models not yet started are skipped; what ran is reported.
            if RunControl.signalExitCode != nil { break }
            switch SystemChecking.checkMatrix(file, overrides: overrides, pins: pins, settings: settings) {
            case .failure(let failure):
                failures.append(failure)
                if !json { printError(failure.messages.joined(separator: "\n")) }
            case .success(let matrix):
                matrices.append(matrix)
                if !json { print(renderer.render(matrix)) }
            }
        }
        if let junit {
            do {
                try AtomicFile.write(JUnitRenderer.render(matrices: matrices, loadFailures: failures.map { ($0.file, $0.messages) }), to: junit)
            } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
        }
        if json {
            print(JSONRenderer.document(matrices: matrices, errors: failures.map { ($0.file, $0.messages) },
                                        peakMemoryBytes: ResourceUsage.peakResidentBytes(),
                                        memoryLimitBytes: settings.explorer.budget.maxMemoryBytes).serialized())
        } else if files.count > 1 {
            print(TextRenderer.closingLine(files: files.count, matrices: matrices, failures: failures.count))
        }
        if let code = RunControl.signalExitCode {
            printError("vfio-mc: \(RunControl.interruption()?.description ?? "interrupted"): the results above are partial")
            throw ExitCode(code)
        }
        var code = ExitStatus.code(results: matrices.flatMap(\.results), loadFailures: failures)
        if strict {
            let unmeant = matrices.flatMap(StrictLines.lines)
            if !json { for line in unmeant { print(line) } }
            if !unmeant.isEmpty, code == 0 || code == 3 { code = 1 }
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// The SMT engine's options for a run with `explorer`'s budget, with the time left of the command's limit.
    private var smtOptions: @Sendable (ExplorerOptions) -> SMTOptions {
        { [smt] explorer in smt.options(explorer: explorer, timeoutSeconds: RunControl.remainingSeconds()) }
    }
}

/// `--engine explicit|smt|both`.
extension EngineSelection: ExpressibleByArgument {}

/// How a run's results map to an exit code.
enum ExitStatus {
    /// The code for `results` and the models that failed to load: a failure a budget stopped counts as a
    /// missing verdict (3), any other as a model error (2).
    static func code(results: [CheckResult], loadFailures failures: [LoadFailure]) -> Int32 {
        code(results: results, loadFailures: failures.count(where: { $0.stopReason == nil }),
             budgetStops: failures.count(where: { $0.stopReason != nil }))
    }

    /// 2 for a model error, else 1 for a missed expectation, else 3 for a missing verdict, else 0.
    /// `budgetStops` counts models whose loading a budget stopped: no verdict, so 3 unless something worse.
    static func code(results: [CheckResult], loadFailures: Int, budgetStops: Int = 0) -> Int32 {
        if loadFailures > 0 { return 2 }
        if results.contains(where: \.disagreement) { return 1 }
        if results.contains(where: { result in result.properties.contains { !$0.meetsExpectation && $0.verdict != .unknown } }) { return 1 }
        if results.contains(where: \.hasUnknown) || budgetStops > 0 { return 3 }
        return 0
    }
}

/// Byte counts with binary suffixes: 512, 64K, 512M, 8G, 1T.
enum ByteCount {
    static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: "IB", with: "").replacingOccurrences(of: "B", with: "")
        guard let last = trimmed.last else { return nil }
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        if let multiplier = multipliers[last] {
            guard let number = Double(trimmed.dropLast()), number > 0, number * Double(multiplier) < 9e18 else { return nil }
            return Int(number * Double(multiplier))
        }
        guard let number = Int(trimmed), number > 0 else { return nil }
        return number
    }
}

/// The progress line on a terminal's standard error.
enum ProgressLine {
    static func show(_ progress: ExplorerProgress) {
        let line = "\r\u{1B}[K\(progress.states) states, depth \(progress.depth), \(Int(progress.statesPerSecond)) states/s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
