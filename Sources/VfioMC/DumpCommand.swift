import ArgumentParser
import PackedSystem

/// `vfio-mc dump`: show the layout and the ground actions the checker builds from a model.
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print a model's bit layout (cell, word, offset, width) and its ground actions.")

    @Argument(help: "A model file.")
    var file: String

    @OptionGroup var model: ModelOptions

    @OptionGroup(title: "Output") var output: OutputOptions

    func run() throws {
        try output.start()
        let system = try ModelLoading.systemOrExit(file, overrides: try model.overrides())
        print(SystemDescription(system).text, terminator: "")
    }
}
