import ArgumentParser
import Foundation
import CProcessSupport
import Reports

/// The `vfio-mc` command: argument parsing and wiring only.
@main
struct VfioMC: ParsableCommand {
    /// The release this build belongs to (`--version`).
    static let version = "0.4.0-dev"

    static let configuration = CommandConfiguration(
        commandName: "vfio-mc",
        abstract: "A model checker for the Linux VFIO device-migration protocols.",
        discussion: """
            Exit codes: 0 every expectation met; 1 an expectation failed; 2 a usage or model error, or output that \
            could not be written; 3 a budget ran out before a verdict. A path of `-` reads standard input. Shell \
            completion: `vfio-mc --generate-completion-script bash|zsh|fish`.
            """,
        version: version,
        subcommands: [CheckCommand.self, DumpCommand.self, PathsCommand.self, ReportCommand.self, DiffCommand.self, ReplayCommand.self, ExportCommand.self, KernelCommand.self])

    /// Parses the arguments and runs the command; usage errors exit with 2, not ArgumentParser's 64. Standard
    /// output is flushed and checked before every exit, so a full disk or a closed pipe is an error, not exit 0.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.isEmpty {
            // No arguments is a usage error: the help goes to standard error and the exit code is 2.
            printError(helpMessage())
            StandardOutput.exit(2)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            StandardOutput.exit(0)
        } catch let problem as UsageProblem {
            reportUsage(problem.message, file: problem.file, arguments: arguments)
            StandardOutput.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version print to stdout.
                print(fullMessage(for: error))
                StandardOutput.exit(0)
            }
            if let exit = error as? ExitCode { StandardOutput.exit(exit.rawValue) }
            let status: Int32 = code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue
            let message = fullMessage(for: error)
            if status == 2 {
                reportUsage(message, file: nil, arguments: arguments)
            } else if !message.isEmpty {
                printError(message)
            }
            StandardOutput.exit(status)
        }
    }

    /// A usage error on standard error; when the command asked for JSON, also a JSON document on standard output
    /// carrying it, so a consumer that parses the output is not handed an empty file.
    private static func reportUsage(_ message: String, file: String?, arguments: [String]) {
        if !message.isEmpty { printError(message) }
        if arguments.first == "check", arguments.contains("--json") {
            print(JSONRenderer.document(results: [], errors: [(file: file ?? "", messages: [message])]).serialized())
        }
    }
}

/// Standard output, checked: Swift's `print` buffers in the C library and drops write errors, so before exiting
/// the buffer is flushed and the stream's error flag read.
enum StandardOutput {
    /// Flushes standard output and exits with `code`, or with 2 and a message when anything written was lost.
    static func exit(_ code: Int32) -> Never {
        let failure = vmc_flush_stdout()
        if let message = finishRedirect(written: failure == 0) {
            printError(message)
            Foundation.exit(2)
        }
        if failure != 0 {
            printError("error: cannot write to standard output: \(String(cString: strerror(failure)))")
            Foundation.exit(2)
        }
        Foundation.exit(code)
    }
}

/// Flushes what `print` buffered, before standard output is redirected.
func fflushStandardOutput() {
    _ = vmc_flush_stdout()
}
