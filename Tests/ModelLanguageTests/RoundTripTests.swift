import ModelLanguage
import Testing

/// Parse, print, parse again: every model of the repository and every example of the language reference.
@Suite struct RoundTripTests {
    @Test func samplesAreFound() {
        #expect(Samples.models().count >= 10)
        #expect(Samples.documentationExamples().count >= 10)
    }

    @Test(arguments: Samples.all())
    func printingRoundTrips(_ sample: Sample) throws {
        let first = try #require(parseModel(sample.text, name: sample.name))
        let printed = ASTPrinter.print(first)
        let second = try #require(parseModel(printed, name: sample.name + " (printed)"))
        // The printed text parses to the same tree (up to source ranges), parentheses included...
        #expect(Normalizer().model(second) == Normalizer().model(first), "tree changed by printing:\n\(printed)")
        // ...so printing again gives the identical text.
        let reprinted = ASTPrinter.print(second)
        #expect(reprinted == printed, "printing is not a fixpoint:\n--- first ---\n\(printed)\n--- second ---\n\(reprinted)")

        // Both texts check to models of the same shape.
        let original = try checked(sample.text, sample.name)
        let copy = try checked(printed, sample.name + " (printed)")
        #expect(copy.variables.count == original.variables.count)
        #expect(copy.actions.count == original.actions.count)
        #expect(copy.properties.count == original.properties.count)
        #expect(copy.variables.map(\.name) == original.variables.map(\.name))
        #expect(copy.actions.map(\.name) == original.actions.map(\.name))
        // Unnamed assertions are named after their line, which printing changes.
        func names(_ model: CheckedModel) -> [String] {
            model.properties.map { $0.name.hasPrefix("assert@") ? "assert@" : $0.name }
        }
        #expect(names(copy) == names(original))
        #expect(copy.properties.map(\.kind) == original.properties.map(\.kind))
        #expect(copy.properties.map(\.expected) == original.properties.map(\.expected))
        #expect(copy.tables.map(\.entries) == original.tables.map(\.entries))
        #expect(copy.constants.map(\.value) == original.constants.map(\.value))
        #expect(copy.definitions.count == original.definitions.count)
        #expect(copy.terminals.count == original.terminals.count)
    }

    private func checked(_ text: String, _ name: String) throws -> CheckedModel {
        switch Frontend.check(SourceFile(name: name, text: text)) {
        case .success(let model): return model
        case .failure(let errors):
            Issue.record("\(name) does not check:\n\(errors.rendered)")
            throw errors
        }
    }
}
