import Foundation
import ModelLanguage
import Testing

/// A valid model used as test input: a file of Models/ or a ```vmc block of docs/language.md.
struct Sample: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    var testDescription: String { name }
}

enum Samples {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every model of Models/ and every example of the language reference.
    static func all() -> [Sample] { models() + documentationExamples() }

    static func models() -> [Sample] {
        let directory = root.appendingPathComponent("Models")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".vmc") }.sorted().compactMap { name in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { return nil }
            return Sample(name: "Models/" + name, text: text)
        }
    }

    static func documentationExamples() -> [Sample] {
        guard let text = try? String(contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8) else { return [] }
        var samples: [Sample] = []
        var current: [String]?
        var startLine = 0
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line == "```vmc" {
                current = []
                startLine = number + 2
            } else if line == "```", let block = current {
                samples.append(Sample(name: "docs/language.md:\(startLine)", text: block.joined(separator: "\n") + "\n"))
                current = nil
            } else {
                current?.append(String(line))
            }
        }
        return samples
    }
}

/// Parses `text` as a model; nil (with the diagnostics recorded as an issue) when it does not parse.
func parseModel(_ text: String, name: String = "test.vmc") -> ModelSyntax? {
    switch Frontend.parse(SourceFile(name: name, text: text)) {
    case .success(let model): return model
    case .failure(let errors):
        Issue.record("\(name) does not parse:\n\(errors.rendered)\n--- text ---\n\(text)")
        return nil
    }
}

/// The headlines of the diagnostics of checking `source`; empty when it checks.
func headlines(_ source: SourceFile, overrides: [ConstantOverride] = []) -> [String] {
    switch Frontend.check(source, overrides: overrides) {
    case .success: return []
    case .failure(let errors): return errors.diagnostics.map(\.headline)
    }
}

/// A small deterministic generator (SplitMix64), so randomised tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs `body` on its own thread and waits at most `seconds` for it; nil when it did not finish in time
/// (the thread is then abandoned, and the caller records the hang).
func runWithDeadline<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
    let box = DeadlineBox<T>()
    let thread = Thread {
        box.value = body()
        box.done.signal()
    }
    thread.stackSize = 4 << 20
    thread.start()
    guard box.done.wait(timeout: .now() + seconds) == .success else { return nil }
    return box.value
}

/// The result slot of `runWithDeadline`, written by the worker before it signals.
private final class DeadlineBox<T>: @unchecked Sendable {
    var value: T?
    let done = DispatchSemaphore(value: 0)
}
