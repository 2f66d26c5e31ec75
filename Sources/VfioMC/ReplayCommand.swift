import ArgumentParser

/// `vfio-mc replay` (implementation in progress).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "(in progress)")

    func run() throws {
        printError("error: replay is not implemented yet")
        throw ExitCode(2)
    }
}
