import ArgumentParser
import PackedSystem
import ModelLanguage

/// `vfio-mc dump`: show the layout and the ground actions the checker builds from a model.
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print a model's bit layout (cell, word, offset, width) and its ground actions, or its generated C (--native).")

    @Argument(help: "A model file.")
    var file: String

    @OptionGroup var model: ModelOptions

    @OptionGroup(title: "Output") var output: OutputOptions

    @Flag(help: "Print the C that --native compiles for the model's successor generation instead.")
    var native = false

    func run() throws {
        try output.start()
        let system = try ModelLoading.systemOrExit(file, overrides: try model.overrides())
        if native {
            do {
                print(try system.nativeSource(), terminator: "")
            } catch {
                printError("error: no C for \(file): \(error)")
                throw ExitCode(2)
            }
            return
        }
        let checked = system.model
        if !checked.variants.isEmpty {
            // The system dumped is one combination's: say which.
            print("variants: \(checked.variantAssignment) (the first of \(checked.combinations.count) combinations)")
        }
        print(SystemDescription(system).text, terminator: "")
    }
}
