import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Testing

/// Every ```vmc example in docs/language.md and README.md checks, lowers and meets its expectations.
@Suite struct DocumentationExamplesTests {
    static func examples(in file: String = "docs/language.md") throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        var examples: [String] = []
        var current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```vmc" {
                current = []
            } else if line == "```", let block = current {
                examples.append(block.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(String(line))
            }
        }
        return examples
    }

    @Test func everyExampleMeetsItsExpectations() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 10)
        for example in examples {
            // An example with variants meets its expectations under every combination.
            let matrix = try Frontend.matrix(SourceFile(name: "example.vmc", text: example)).get()
            for combination in matrix.combinations {
                let system = try SystemBuilder.build(try matrix.check(combination).get()).get()
                let result = ExplicitExplorer(system: system, options: ExplorerOptions(), file: "example.vmc").check()
                #expect(result.expectationsMet,
                        "example failed under \(combination):\n\(example)\n\(result.properties.filter { !$0.meetsExpectation })")
                #expect(result.statistics.complete)
            }
        }
    }

    @Test func readmeExampleFindsTheThreeStepCounterexample() throws {
        let example = try #require(try Self.examples(in: "README.md").first)
        let result = try explore(example)
        #expect(result.expectationsMet)
        let trace = try #require(try result.property("NoDmaToStopped").trace)
        #expect(trace.length == 3)
        #expect(trace.failure?.action == "dma_lands")
    }
}
