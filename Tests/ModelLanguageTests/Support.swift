import Foundation
import ModelLanguage
import TestSupport
import Testing

/// A valid model used as test input: a file of Models/ or a ```vmc block of docs/language.md.
struct Sample: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    var testDescription: String { name }
}

/// The shared sample set (see TestSupport's `Repository`), as test arguments.
enum Samples {
    /// Every model of Models/ and every example of the language reference.
    static func all() -> [Sample] { models() + documentationExamples() }

    static func models() -> [Sample] { Repository.models().map { Sample(name: $0.name, text: $0.text) } }

    static func documentationExamples() -> [Sample] {
        Repository.documentationExamples().map { Sample(name: $0.name, text: $0.text) }
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
