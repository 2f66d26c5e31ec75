import Foundation

/// The repository's files that tests read as input: the models of Models/ and the examples of the language
/// reference. Shared by the test targets so that "every model and every documented example" means the same set
/// everywhere.
public enum Repository {
    /// The repository root, found from this file's path (Tests/TestSupport/Repository.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every `.vmc` file of Models/, sorted by name, as ("Models/NAME", text); unreadable files are left out.
    public static func models() -> [(name: String, text: String)] {
        let directory = root.appendingPathComponent("Models")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".vmc") }.sorted().compactMap { name in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { return nil }
            return ("Models/" + name, text)
        }
    }

    /// Every ```vmc block of docs/language.md as ("docs/language.md:LINE", text), LINE being the block's first line.
    public static func documentationExamples() -> [(name: String, text: String)] {
        guard let text = try? String(contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8) else { return [] }
        var samples: [(name: String, text: String)] = []
        var current: [String]?
        var startLine = 0
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line == "```vmc" {
                current = []
                startLine = number + 2
            } else if line == "```", let block = current {
                samples.append(("docs/language.md:\(startLine)", block.joined(separator: "\n") + "\n"))
                current = nil
            } else {
                current?.append(String(line))
            }
        }
        return samples
    }
}
