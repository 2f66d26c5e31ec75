import Analysis
import ArgumentParser
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

    @Option(help: "The output directory.")
    var out: String

    @OptionGroup var model: ModelOptions

    @Flag(help: "Include run times, rates and memory figures (the output then differs from run to run).")
    var timings = false

    @OptionGroup(title: "Budgets") var budget: BudgetOptions

    @Flag(help: "Do not reduce by symmetry over scalarsets (on by default when a model declares one).")
    var noSymmetry = false

    func validate() throws {
        _ = try model.overrides()
    }

    func run() throws {
        let overrides = try model.overrides()
        var explorerOptions = try budget.start()
        explorerOptions.symmetry = !noSymmetry
        let files = try ModelLoading.modelFilesOrExit(paths)
        // The verdict matrix, sanity and coverage come from the same variant loop as `check` (explicit engine).
        let runner = EngineRunner(engine: .explicit, smtDepth: 40, smt: try SMTOptionGroup.parse([]), printSMTDetails: false)
        let shown = files.map(Self.displayPath)
        let slugs = ReportGenerator.slugs(forFiles: shown)
        var reports: [ModelReport] = []
        var failures: [LoadFailure] = []
        var budgetStops = 0
        for (index, file) in files.enumerated() {
            // A report is written complete or not at all: after SIGINT or SIGTERM the directory is left untouched.
            if let code = RunControl.signalExitCode {
                printError("vfio-mc: \(RunControl.interruption()?.description ?? "interrupted"); \(out) is left as it was")
                throw ExitCode(code)
            }
            switch ModelLoading.load(file, overrides: overrides, budget: explorerOptions.budget.buildBudget) {
            case .failure(let failure):
                let messages = failure.messages.map { $0.replacingOccurrences(of: file, with: shown[index]) }
                printError(messages.joined(separator: "\n"))
                failures.append(LoadFailure(file: shown[index], messages: messages))
                if failure.stopReason != nil { budgetStops += 1 }
            case .success(let system):
                var report = Self.report(system: system, file: shown[index], slug: slugs[index], options: explorerOptions)
                if case .success(let matrix) = runner.checkMatrix(file, overrides: overrides, pins: [], options: explorerOptions,
                                                                  showProgress: false) {
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
        let code = ExitStatus.code(results: reports.flatMap { $0.matrix?.results ?? [$0.result] }, loadFailures: failures.count - budgetStops, budgetStops: budgetStops)
        if code != 0 { throw ExitCode(code) }
    }

    /// Checks one system with the explicit engine and projects its reachable graph on the device state variables
    /// (Review's `ModelAnalysis`, the same analysis `diff` and `export` use), with a note when the graphs are partial.
    static func report(system: TransitionSystem, file: String, slug: String, options: ExplorerOptions) -> ModelReport {
        let analysis = ModelAnalysis(system: system, name: file, options: options)
        let result = analysis.result
        var note: String?
        if !analysis.projection.stateVariables.isEmpty {
            if !result.statistics.complete && analysis.graphs.isEmpty {
                note = "The search stopped early (\(result.statistics.stopReason?.description ?? "budget")) and the command's budget was spent: "
                    + "no graphs are drawn."
            } else if !result.statistics.complete {
                note = "The search stopped early (\(result.statistics.stopReason?.description ?? "budget")): the graphs show the transitions "
                    + "from the states it explored."
            } else if !result.statistics.reductions.isEmpty {
                note = "The search stored one representative per class of symmetric states; the graphs show the transitions "
                    + "from those representatives, which cover every change up to a permutation of the devices."
            }
        }
        return ModelReport(slug: slug, result: result, system: system, projection: analysis.projection,
                           stateGraphs: analysis.graphs, graphNote: note)
    }

    /// A path as shown in reports: relative to the current directory when below it, else the file name alone, so
    /// that no absolute path reaches committed output.
    static func displayPath(_ file: String) -> String {
        var path = file
        while path.hasPrefix("./") { path.removeFirst(2) }
        guard path.hasPrefix("/") else { return path.replacingOccurrences(of: "//", with: "/") }
        let current = FileManager.default.currentDirectoryPath
        let prefix = current.hasSuffix("/") ? current : current + "/"
        if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        return URL(fileURLWithPath: path).lastPathComponent
    }
}
