import ArgumentParser

/// `vfio-mc export` (implementation in progress).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "(in progress)")

    func run() throws {
        printError("error: export is not implemented yet")
        throw ExitCode(2)
    }
}
