import ArgumentParser
import Foundation

/// The `vfio-mc` command: argument parsing and wiring only.
@main
struct VfioMC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vfio-mc",
        abstract: "A model checker for the Linux VFIO device-migration protocols.",
        discussion: """
            Exit codes: 0 every expectation met; 1 an expectation failed; 2 a usage or model error; \
            3 a budget ran out before a verdict.
            """,
        subcommands: [CheckCommand.self, DumpCommand.self, PathsCommand.self, ReportCommand.self, DiffCommand.self, ReplayCommand.self, ExportCommand.self])

    /// Parses the arguments and runs the command; usage errors exit with 2, not ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version print to stdout.
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
        }
    }
}
