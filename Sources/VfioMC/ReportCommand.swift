import ArgumentParser

/// `vfio-mc report`: check models and write HTML and Markdown reports. (Implementation in progress.)
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Check models and write a self-contained HTML page and a Markdown twin per model, plus an index.")

    @Argument(help: "Model files or directories.")
    var paths: [String]

    @Option(help: "The output directory.")
    var out: String

    @OptionGroup var model: ModelOptions

    func run() throws {
        printError("error: report is not implemented yet")
        throw ExitCode(2)
    }
}
