import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Reports
import Testing
import TestSupport

/// FINDINGS.md is generated from doc comments and typed check results: sections, matrices, quotes with the
/// verdicts written in, traces; and the library's has every section of disputes.md and vfio-migration.md 1.2.
@Suite struct FindingsTests {
    @Test func aSmallModelGivesItsSections() throws {
        let report = try MatrixPageTests.matrixReport()
        let text = FindingsRenderer.render([report])
        // Every section exists, headed as the documents head them; nothing is tagged in the fixture.
        for topic in FindingsTopic.points + FindingsTopic.disputes {
            #expect(text.contains("### \(topic.id). \(topic.heading)\n"))
        }
        #expect(text.contains("No model speaks to D2 yet"))
        #expect(text.contains("| `Models/test.vmc` |  | 2 |"))
        #expect(!text.contains(" s |"), "no wall-clock times")
    }

    static let documented = """
        /// A gate that opens and closes.
        /// dispute: D2
        ///
        /// More about the gate.
        model gate
        type Mode = enum { STRICT, LAX }
        /// STRICT: the gate is checked; LAX: it is not.
        /// dispute: D2
        variant mode: Mode
        var open: bool = false
        var passed: bool = false
        action toggle { open := !open }
        action pass when !passed {
          /// Passing needs an open gate.
          /// point: P1
          /// quote: Passing through a closed gate {OnlyWhenOpen: mode=STRICT} when strict, and {OnlyWhenOpen} over all.
          assert OnlyWhenOpen: open || mode == LAX
          passed := true
        }
        /// Undocumented elsewhere.
        reachable Passed: passed
        expect OnlyWhenOpen violated when mode == STRICT
        """

    static func report(_ text: String) throws -> ModelReport { try Fixtures.matrixReport(text, model: "gate") }

    @Test func taggedPropertiesGiveMatrixQuoteAndTrace() throws {
        let text = FindingsRenderer.render([try Self.report(Self.documented)])
        #expect(text.contains("| `Models/test.vmc` | A gate that opens and closes. | 2 |"))
        #expect(text.contains("More about the gate."))
        #expect(text.contains("Variant `mode` (STRICT, LAX): STRICT: the gate is checked; LAX: it is not."))
        #expect(text.contains("| `OnlyWhenOpen` | **violated** | holds |"))
        #expect(text.contains("> Passing through a closed gate **is violated** when strict, and **is violated under #1 and holds under #2** over all."))
        #expect(text.contains("Counterexample for OnlyWhenOpen under #1 mode=STRICT (assertion, 1 step, the last one fails):"))
        // The D2 section names the model (tagged) but has no property row: OnlyWhenOpen is tagged P1 only.
        let d2 = try #require(text.range(of: "### D2.")).upperBound
        let d3 = try #require(text.range(of: "### D3.")).lowerBound
        #expect(text[d2..<d3].contains("#### `Models/test.vmc`"))
        #expect(!text[d2..<d3].contains("| `OnlyWhenOpen` |"))
        // The untagged documented property is listed at the end.
        #expect(text.contains("## Other documented properties"))
        #expect(text.contains("`Passed`: Undocumented elsewhere."))
    }

    @Test func theReportDirectoryGetsFindings() throws {
        let files = ReportGenerator.files(models: [try Self.report(Self.documented)], failures: [], options: ReportOptions())
        #expect(files.contains { $0.path == "FINDINGS.md" && $0.contents.hasPrefix("# Findings of the protocol models\n") })
    }

    @Test func theLibraryFindingsHaveEverySection() throws {
        let findings = try String(contentsOf: Repository.root.appendingPathComponent("Reports/FINDINGS.md"), encoding: .utf8)
        for topic in FindingsTopic.disputes + FindingsTopic.points {
            #expect(findings.contains("### \(topic.id). \(topic.heading)\n"))
        }
        // Every dispute of disputes.md is one of the catalogue's, headed the same way (where the spec is beside the
        // checkout, as on the development machine).
        let spec = Repository.root.appendingPathComponent("../shared/spec/disputes.md")
        guard let disputes = try? String(contentsOf: spec, encoding: .utf8) else { return }
        for topic in FindingsTopic.disputes {
            #expect(disputes.contains("## \(topic.id). \(topic.heading)\n"))
        }
    }

    /// The bullets of vfio-migration.md section 1.2, each on one line (continuation lines joined).
    static func discussionPoints(_ spec: String) -> [String] {
        guard let start = spec.range(of: "### 1.2 ") else { return [] }
        let section = spec[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            .prefix { !$0.hasPrefix("#") }
        var bullets: [String] = []
        for line in section {
            if line.hasPrefix("- ") {
                bullets.append(String(line.dropFirst(2)))
            } else if line.hasPrefix("  "), !bullets.isEmpty {
                bullets[bullets.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            }
        }
        return bullets
    }

    /// A text with every choice of its ` (...)` remarks left out (a heading may drop a remark the document makes).
    static func withRemarksLeftOut(_ text: String) -> Set<String> {
        var results: Set<String> = [text]
        var search = text.startIndex
        while let open = text.range(of: " (", range: search..<text.endIndex),
              let close = text.range(of: ")", range: open.upperBound..<text.endIndex) {
            let without = String(text[..<open.lowerBound] + text[close.upperBound...])
            results.formUnion(withRemarksLeftOut(without))
            search = open.upperBound
        }
        return results
    }

    @Test func thePointsAreTheDiscussionPointsOfTheSpec() throws {
        // Where the spec is beside the checkout, as on the development machine (as the disputes above).
        let spec = Repository.root.appendingPathComponent("../shared/spec/vfio-migration.md")
        guard let text = try? String(contentsOf: spec, encoding: .utf8) else { return }
        let bullets = Self.discussionPoints(text)
        try #require(bullets.count == FindingsTopic.points.count)
        for (topic, bullet) in zip(FindingsTopic.points, bullets) {
            // The bullet's question: up to its first question mark.
            let question = String(bullet[...(try #require(bullet.firstIndex(of: "?")))])
            #expect(Self.withRemarksLeftOut(question).contains(topic.heading), "\(topic.id): \(question)")
            if topic.id == "P2" {
                // Its question retells the bullet (QEMU's order, the proposal, the counter-argument): the state
                // sequences it quotes are the bullet's.
                for sequence in ["100 -> 001", "000 -> 100 -> 000 -> 001", "0000 -> 1100 -> 1000 -> 1001 -> 0001"] {
                    #expect(bullet.contains(sequence) && topic.question.contains(sequence))
                }
            } else {
                // The others quote the bullet's question, then its answer as the brief gives it.
                #expect(topic.question.hasPrefix(question), "\(topic.id)")
                let answer = bullet.dropFirst(question.count).trimmingCharacters(in: .whitespaces)
                #expect(answer.isEmpty || topic.question.hasSuffix("(the brief: " + answer.dropFirst()), "\(topic.id): \(answer)")
            }
        }
    }
}
