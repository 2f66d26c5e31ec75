import ArgumentParser
import Checking
import Explorer
import Foundation
import PackedSystem
import Reports
import Review

/// `vfio-mc report`: check models and write HTML and Markdown reports, ITF traces and SVG pictures.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Check models and write a self-contained HTML page and a Markdown twin per model, plus an index.",
        discussion: """
            Writes DIR/index.html and DIR/README.md, DIR/MODEL.html and DIR/MODEL.md per model, every trace as \
            DIR/itf/MODEL.PROPERTY.itf.json, the pictures of the Markdown pages under DIR/svg/, and DIR/FINDINGS.md \
            (one section per discussion point and dispute, prose from the models' /// doc comments, verdicts and \
            traces from the checker; see docs/reports.md). \
            Each page shows the verdict matrix of a model with variants (every combination is checked), the sanity of \
            each property and the coverage of each action. \
            Only files the generator wrote are replaced or removed. The output is deterministic unless --timings is given. \
            Exit codes as for check.
            """)

    @Argument(help: "Model files or directories.")
    var paths: [String]

    @Option(help: ArgumentHelp("The output directory.", valueName: "DIR"))
    var out: String

    @OptionGroup var model: ModelOptions

    @Flag(help: "Include run times, rates and memory figures (the output then differs from run to run).")
    var timings = false

    @OptionGroup(title: "Search and budgets") var search: SearchOptions

    func run() throws {
        let overrides = try model.overrides()
        let explorerOptions = try search.start()
        let files = try ModelLoading.modelFilesOrExit(paths)
        // The verdict matrix, sanity and coverage come from the same variant loop as `check` (explicit engine).
        let settings = CheckSettings(engines: .explicit, explorer: explorerOptions)
        let shown = files.map(ReportGenerator.displayPath)
        let slugs = ReportGenerator.slugs(forFiles: shown)
        var reports: [ModelReport] = []
        var failures: [LoadFailure] = []
        for (index, file) in files.enumerated() {
            // A report is written complete or not at all: after SIGINT or SIGTERM the directory is left untouched.
            if let code = RunControl.signalExitCode {
                printError("vfio-mc: \(RunControl.interruption()?.description ?? "interrupted"); \(out) is left as it was")
                throw ExitCode(code)
            }
            switch ModelLoading.load(file, overrides: overrides, budget: explorerOptions.budget.buildBudget) {
            case .failure(let failure):
                let failure = failure.shown(as: shown[index])
                printError(failure.messages.joined(separator: "\n"))
                failures.append(failure)
            case .success(let system):
                var report = ModelReport(analysing: system, file: shown[index], slug: slugs[index], options: explorerOptions)
                if case .success(let matrix) = SystemChecking.checkMatrix(file, overrides: overrides, pins: [], settings: settings) {
                    report.matrix = matrix
                }
                reports.append(report)
            }
        }
        var reportOptions = ReportOptions()
        reportOptions.timings = timings
        if let code = RunControl.signalExitCode {
            printError("vfio-mc: \(RunControl.interruption()?.description ?? "interrupted"); \(out) is left as it was")
            throw ExitCode(code)
        }
        let outputs = ReportGenerator.files(models: reports, failures: failures, options: reportOptions)
        do {
            let written = try ReportGenerator.write(outputs, to: out)
            print("\(out): \(outputs.count) files, \(written.count) changed; \(reports.count) models reported, \(failures.count) failed to load")
        } catch {
            printError("error: cannot write the report to \(out), which is left as it was: \(error)")
            throw ExitCode(2)
        }
        // Every combination's verdicts count, as for `check`.
        let code = ExitStatus.code(results: reports.flatMap { $0.matrix?.results ?? [$0.result] }, loadFailures: failures)
        if code != 0 { throw ExitCode(code) }
    }
}
