import ArgumentParser

/// `vfio-mc diff` (implementation in progress).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "(in progress)")

    func run() throws {
        printError("error: diff is not implemented yet")
        throw ExitCode(2)
    }
}
