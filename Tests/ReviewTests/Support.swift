import Foundation
import ModelLanguage
import PackedSystem
import Review
import Testing

/// The repository's root (this file is Tests/ReviewTests/Support.swift).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The path of a model in Models/.
func modelPath(_ name: String) -> String { repositoryRoot.appendingPathComponent("Models/\(name)").path }

/// The text of a model in Models/.
func modelText(_ name: String) throws -> String {
    try String(contentsOfFile: modelPath(name), encoding: .utf8)
}

/// Builds a system from model text.
func system(_ text: String, name: String = "test.vmc", overrides: [String: String] = [:]) throws -> TransitionSystem {
    try ModelLoader.load(text: text, name: name, overrides: overrides.sorted { $0.key < $1.key }.map {
        ConstantOverride(name: $0.key, value: $0.value)
    })
}

/// Builds a system from a model in Models/.
func modelSystem(_ name: String, overrides: [String: String] = [:]) throws -> TransitionSystem {
    try ModelLoader.load(.file(modelPath(name)), overrides: overrides.sorted { $0.key < $1.key }.map {
        ConstantOverride(name: $0.key, value: $0.value)
    })
}

/// `text` with `old` replaced by `new`; records an issue when `old` does not occur (the model changed under the test).
func patched(_ text: String, _ old: String, _ new: String) -> String {
    if !text.contains(old) { Issue.record("the text to patch is missing: \(old)") }
    return text.replacingOccurrences(of: old, with: new)
}

/// A fresh temporary directory, removed by the caller with `removeItem`.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("vfio-mc-review-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a program (found on PATH) in a directory; returns the exit status and the combined output.
@discardableResult
func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Whether a program is on PATH.
func installed(_ program: String) -> Bool {
    (try? run(["which", program]).status) == 0
}
