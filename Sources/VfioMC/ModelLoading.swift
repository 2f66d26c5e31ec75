import ArgumentParser
import Foundation
import ModelLanguage
import PackedSystem
import Review

/// Loading models for the commands: the executable only maps Review's loader onto messages and exit codes.
enum ModelLoading {
    /// The model files named by `paths` (see `ModelFiles.find`), or a usage problem naming the path.
    static func modelFilesOrExit(_ paths: [String]) throws -> [String] {
        do {
            return try ModelFiles.find(paths)
        } catch {
            throw UsageProblem("error: \(error)", file: paths.count == 1 ? paths[0] : nil)
        }
    }

    /// The system of one model file, or exit 2 after printing its diagnostics.
    static func systemOrExit(_ path: String, overrides: [ConstantOverride]) throws -> TransitionSystem {
        switch load(path, overrides: overrides) {
        case .failure(let failure):
            printError(failure.messages.joined(separator: "\n"))
            throw ExitCode(2)
        case .success(let system):
            return system
        }
    }

    /// Loads, checks and lowers one model file.
    static func load(_ path: String, overrides: [ConstantOverride], budget: BuildBudget = BuildBudget()) -> Result<TransitionSystem, LoadFailure> {
        ModelLoader.loadFile(path, overrides: overrides, budget: budget)
    }
}

/// A problem with what the command was given (a missing path, a directory without models): exit 2, and in
/// `--json` mode still a JSON document that carries the message.
struct UsageProblem: Error, CustomStringConvertible {
    let message: String
    /// The path the problem is about, when there is one.
    let file: String?
    init(_ message: String, file: String? = nil) {
        self.message = message
        self.file = file
    }
    var description: String { message }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
