import ArgumentParser
import PackedSystem

/// `vfio-mc paths`: the combination paths a model's resolver takes, one line per (current, requested) pair.
struct PathsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paths",
        abstract: "Print the single arcs a model's resolver executes for every flag set and (current, requested) pair.",
        discussion: """
            The model defines NEXT(current, requested), the state of the next arc, and FAILS(current, requested), \
            true when the request is refused; both take two values of one enum type. For every valuation of the \
            cells they read (taken from the initial states) and every pair, the driver loop stops when current \
            equals requested, fails when FAILS holds, and otherwise takes the arc to NEXT. Each line reads \
            `FLAGS CUR -> NEW: A -> B -> C` or `FLAGS CUR -> NEW: EINVAL`.
            """)

    @Argument(help: "A model file.")
    var file: String

    @OptionGroup(title: "Combination paths") var paths: PathDefinitionOptions

    @OptionGroup var model: ModelOptions

    @OptionGroup(title: "Output") var output: OutputOptions

    func run() throws {
        try output.start()
        let system = try ModelLoading.systemOrExit(file, overrides: try model.overrides())
        do {
            for entry in try CombinationPaths.compute(system: system, next: paths.next, fails: paths.fails) { print(entry.line) }
        } catch {
            printError("error: \(file): \(error)")
            throw ExitCode(2)
        }
    }
}
