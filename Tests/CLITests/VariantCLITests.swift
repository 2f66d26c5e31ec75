import Foundation
import Testing

/// `check` on models with variants: the verdict matrix in text, JSON and JUnit, pins, qualified expects and
/// exit codes over every cell.
@Suite struct VariantCLITests {
    /// Tests/Examples/load-point.vmc: three combinations, the property violated in the first only.
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/load-point.vmc").path

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func textShowsTheMatrixAndEachViolatedCellsTrace() throws {
        let run = try CLITests.run(["check", Self.example, "--threads", "2"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("(model load_point, engine explicit, 3 combinations)"))
        #expect(run.stdout.contains("  #1 load=ON_EXIT, stream_has_irq=true: 4 states, 3 transitions, depth 3,"))
        #expect(run.stdout.contains("  #3 load=AS_WRITTEN, stream_has_irq=true: 4 states"))
        #expect(run.stdout.contains("  property           kind       #1         #2         #3\n"))
        #expect(run.stdout.contains("  IrqSurvivesResume  invariant  violated   holds      holds\n"))
        #expect(run.stdout.contains("Counterexample for IrqSurvivesResume under #1 load=ON_EXIT, stream_has_irq=true (invariant, 3 steps):"))
        // Only the violated cell has a counterexample.
        #expect(run.stdout.components(separatedBy: "Counterexample for").count == 2)
    }

    @Test func anUnmetQualifiedExpectFailsTheRun() throws {
        let text = try String(contentsOfFile: Self.example, encoding: .utf8)
            .replacingOccurrences(of: "when load == ON_EXIT && stream_has_irq", with: "when load == ON_EXIT")
        let path = try CLITests.write(text, name: "variants/unmet.vmc")
        let run = try CLITests.run(["check", path])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("  IrqSurvivesResume  invariant  violated   holds FAIL (expected violated)  holds\n"))
    }

    @Test func pinsSelectCombinations() throws {
        let run = try CLITests.run(["check", Self.example, "--variant", "load=ON_EXIT", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let model = try #require((try Self.json(run.stdout)["models"] as? [[String: Any]])?.first)
        let variants = try #require(model["variants"] as? [[String: Any]])
        #expect(variants.count == 2)
        let assignments = variants.compactMap { $0["assignment"] as? [String: Any] }
        #expect(assignments.map { $0["load"] as? String } == ["ON_EXIT", "ON_EXIT"])
        #expect(assignments.map { $0["stream_has_irq"] as? Bool } == [true, false])
        let bad = try CLITests.run(["check", Self.example, "--variant", "load=SOMETIMES"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("error: --variant load=SOMETIMES: 'SOMETIMES' is not a value of Load (variant 'load' takes ON_EXIT, AS_WRITTEN)"))
        let twice = try CLITests.run(["check", Self.example, "--variant", "load=ON_EXIT", "--variant", "load=AS_WRITTEN"])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("error: --variant load: the variant is pinned twice"))
        let excluded = try CLITests.run(["check", Self.example, "--variant", "load=AS_WRITTEN", "--variant", "stream_has_irq=false"])
        #expect(excluded.status == 2)
        #expect(excluded.stderr.contains("no combination listed in the model has these values"))
    }

    @Test func jsonHasOneRunPerCombination() throws {
        let run = try CLITests.run(["check", Self.example, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let model = try #require((try Self.json(run.stdout)["models"] as? [[String: Any]])?.first)
        let variants = try #require(model["variants"] as? [[String: Any]])
        #expect(variants.count == 3)
        #expect(variants.map { $0["states"] as? Int } == [4, 4, 4])
        #expect(model["states"] as? Int == 12)
        for key in ["transitions", "depth", "seconds", "properties"] { #expect(variants.allSatisfy { $0[key] != nil }, "\(key)") }
        let first = try #require(variants[0]["properties"] as? [[String: Any]])
        let violated = try #require(first.first { $0["name"] as? String == "IrqSurvivesResume" })
        #expect(violated["verdict"] as? String == "violated")
        #expect(violated["expected"] as? String == "violated")
        #expect((violated["trace"] as? [String: Any])?["length"] as? Int == 3)
        let summary = try #require((model["properties"] as? [[String: Any]])?.first)
        #expect(summary["verdict"] as? String == "varies")
        #expect(summary["met"] as? Bool == true)
        #expect(summary["trace"] == nil)
        #expect(summary["sanity"] as? String == "ok")
        #expect(violated["sanity"] as? String == "ok")
    }

    @Test func aModelWithoutVariantsHasOneRunWithAnEmptyAssignment() throws {
        let path = try CLITests.write(CLITests.passing, name: "variants/plain.vmc")
        let run = try CLITests.run(["check", path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let model = try #require((try Self.json(run.stdout)["models"] as? [[String: Any]])?.first)
        let variants = try #require(model["variants"] as? [[String: Any]])
        #expect(variants.count == 1)
        #expect((variants[0]["assignment"] as? [String: Any])?.isEmpty == true)
        #expect(variants[0]["states"] as? Int == model["states"] as? Int)
        let inRun = try #require(variants[0]["properties"] as? [[String: Any]])
        let atModel = try #require(model["properties"] as? [[String: Any]])
        #expect(inRun.map { $0["name"] as? String } == atModel.map { $0["name"] as? String })
        #expect(inRun.map { $0["verdict"] as? String } == atModel.map { $0["verdict"] as? String })
        // The text is the single-run form: no matrix.
        let text = try CLITests.run(["check", path])
        #expect(!text.stdout.contains("combination"))
        #expect(text.stdout.contains("  property  kind       expected   verdict"))
    }

    @Test func junitHasOneCasePerPropertyAndCombination() throws {
        let file = try CLITests.write("", name: "variants/junit.xml")
        let run = try CLITests.run(["check", Self.example, "--junit", file])
        #expect(run.status == 0, "\(run.stderr)")
        let xml = try String(contentsOfFile: file, encoding: .utf8)
        let names = xml.components(separatedBy: "<testcase name=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
        #expect(names.count == 12)
        #expect(Set(names).count == names.count)
        #expect(names.contains("IrqSurvivesResume [load=ON_EXIT, stream_has_irq=true]"))
        #expect(xml.contains("<testsuites name=\"vfio-mc\" tests=\"12\" failures=\"0\" errors=\"0\">"))
        #expect(xml.contains("<property name=\"combinations\" value=\"3\"/>"))
    }

    @Test func dumpNamesTheCombinationItShows() throws {
        let run = try CLITests.run(["dump", Self.example])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("variants: load=ON_EXIT, stream_has_irq=true (the first of 3 combinations)\nmodel load_point:"))
        let plain = try CLITests.run(["dump", try CLITests.write(CLITests.passing, name: "variants/plain-dump.vmc")])
        #expect(plain.stdout.hasPrefix("model passing:"))
    }

    @Test func aCombinationThatDoesNotCheckIsAModelError() throws {
        let path = try CLITests.write("""
            model broken_under_one
            variant wide: bool in { true, false }
            var x: 0..(if wide then 2 else 1) = 2
            action step { x := x }
            """, name: "variants/broken.vmc")
        let run = try CLITests.run(["check", path])
        #expect(run.status == 2)
        // The first combination checks; the second does not, and the message says which one it is.
        #expect(run.stderr.contains("broken.vmc: in combination wide=false:\n"), "\(run.stderr)")
        #expect(run.stderr.contains("error: value 2 is outside the domain 0..1"), "\(run.stderr)")
    }
}
