import Explorer
import Foundation
import PackedSystem
import SMT
import Testing

/// Differential testing on the model library (Models/*.vmc) and on the examples of docs/language.md.
@Suite struct ModelLibraryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every model in Models/, sorted.
    static var models: [String] {
        let directory = root.appendingPathComponent("Models")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".vmc") }.sorted()
    }

    /// Every `vmc` block of docs/language.md.
    static var documentationExamples: [String] {
        guard let text = try? String(contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8) else { return [] }
        var examples: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```vmc" {
                current = []
            } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                examples.append((current ?? []).joined(separator: "\n") + "\n")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return examples
    }

    /// Options that keep a debug-mode run to a few seconds per model.
    static var smtOptions: SMTOptions {
        var options = SMTOptions()
        options.maxDepth = 8
        options.budget.timeoutSeconds = 3
        return options
    }

    @Test(arguments: models) func enginesAgreeOnLibraryModel(_ name: String) throws {
        let path = Self.root.appendingPathComponent("Models").appendingPathComponent(name).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let system = try Differential.system(text, name: name).get()
        let comparison = Differential.compare(system, smtOptions: Self.smtOptions)
        #expect(comparison.mismatches.isEmpty, "\(name): \(comparison.mismatches)")
    }

    @Test func enginesAgreeOnDocumentationExamples() throws {
        let examples = Self.documentationExamples
        #expect(examples.count >= 5)
        for example in examples {
            let system = try Differential.system(example).get()
            var options = SMTOptions()
            options.maxDepth = 20
            let comparison = Differential.compare(system, smtOptions: options)
            #expect(comparison.mismatches.isEmpty, "\(comparison.mismatches)\n\(example)")
            // Small enough to be decided completely.
            #expect(comparison.bothDecided == comparison.explicitDecided, "\(example)")
        }
    }
}
