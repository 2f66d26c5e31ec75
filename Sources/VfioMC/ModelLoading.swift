import ArgumentParser
import Foundation
import ModelLanguage
import PackedSystem

/// Loading models from paths: files and directories (recursively, `*.vmc`, in sorted order).
enum ModelLoading {
    /// The model files named by `paths`; a path that does not exist is an error.
    static func modelFiles(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw FileProblem(message: "\(path): no such file or directory")
            }
            if isDirectory.boolValue {
                guard let entries = FileManager.default.enumerator(atPath: path) else {
                    throw FileProblem(message: "\(path): cannot read the directory")
                }
                var found: [String] = []
                while let entry = entries.nextObject() as? String {
                    if entry.hasSuffix(".vmc") { found.append(path.hasSuffix("/") ? path + entry : path + "/" + entry) }
                }
                files += found.sorted()
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// The model files named by `paths`, or exit 2 with a message when a path is missing or names no model.
    static func modelFilesOrExit(_ paths: [String]) throws -> [String] {
        let files: [String]
        do {
            files = try modelFiles(paths)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        if files.isEmpty {
            printError("error: no *.vmc models found in \(paths.joined(separator: " "))")
            throw ExitCode(2)
        }
        return files
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
    static func load(_ path: String, overrides: [ConstantOverride]) -> Result<TransitionSystem, LoadFailure> {
        let source: SourceFile
        do {
            source = try Frontend.load(path: path)
        } catch {
            return .failure(LoadFailure(file: path, messages: ["\(error)"]))
        }
        switch Frontend.check(source, overrides: overrides) {
        case .failure(let errors):
            return .failure(LoadFailure(file: path, messages: errors.diagnostics.map(\.rendered)))
        case .success(let model):
            switch SystemBuilder.build(model) {
            case .failure(let errors): return .failure(LoadFailure(file: path, messages: errors.diagnostics.map(\.rendered)))
            case .success(let system): return .success(system)
            }
        }
    }
}

/// A model that could not be loaded: its file and the rendered diagnostics.
struct LoadFailure: Error {
    let file: String
    let messages: [String]
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
