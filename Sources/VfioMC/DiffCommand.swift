import ArgumentParser
import Explorer
import Reports
import Review

/// `vfio-mc diff`: compare two versions of a model (see docs/reviewing.md).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two versions of a model: verdicts, new counterexamples, device automata and combination paths.",
        discussion: """
            vfio-mc diff BASE PROPOSED compares two model files; vfio-mc diff MODEL --against REV compares MODEL as of \
            the git revision REV (the base) with MODEL in the working tree (the proposal). Exit codes: 0 no regression; \
            1 a property that held or met its expectation in the base version fails (or is missing) in the proposed \
            one; 2 a usage or model error; 3 no regression, but a budget ran out before some verdict. See docs/reviewing.md.
            """)

    @Argument(help: "The base model file (with --against: the model, compared with its version at REV).")
    var base: String

    @Argument(help: "The proposed model file (omit with --against).")
    var proposed: String?

    @Option(help: ArgumentHelp("Compare MODEL with its version at this git revision.", valueName: "REV"))
    var against: String?

    @OptionGroup var model: ModelOptions

    @OptionGroup(title: "Output") var output: OutputOptions

    @OptionGroup(title: "Combination paths") var paths: PathDefinitionOptions

    @OptionGroup(title: "Budgets") var budget: BudgetOptions

    func validate() throws {
        if against == nil && proposed == nil { throw ValidationError("give two model files, or one model and --against REV") }
        if against != nil && proposed != nil { throw ValidationError("give either a second model file or --against REV, not both") }
    }

    func run() throws {
        try output.start()
        let overrides = try model.overrides()
        let baseInput: ModelInput
        let proposedInput: ModelInput
        if let against {
            baseInput = .revision(path: base, revision: against)
            proposedInput = .file(base)
        } else {
            baseInput = .file(base)
            proposedInput = .file(proposed ?? base)
        }
        let options = try budget.start()
        let outcome: DiffOutcome
        do {
            outcome = try DiffOutcome.compare(base: baseInput, proposed: proposedInput, overrides: overrides, options: options,
                                              paths: paths.definitions)
        } catch let error as ReviewError {
            printError(error.message)
            throw ExitCode(error.exitCode)
        }
        print(DiffTextRenderer.render(outcome), terminator: "")
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
