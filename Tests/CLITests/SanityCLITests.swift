import Foundation
import Testing

/// The sanity field of `check --json` (issue 13, item 3): trivial and vacuous properties, with their notes.
@Suite struct SanityCLITests {
    static let model = """
        model sanity
        var x: 0..3 = 0
        var broken: bool = false
        action up when x < 3 {
          assert BelowTop: x < 3
          x := x + 1
        }
        invariant NeverBrokenAtZero: broken -> x == 0
        invariant ReachesTopOnlyFromBelow: x == 3 -> !broken
        invariant Bounded: x <= 3
        invariant NeverBroken: !broken
        invariant Real: x <= 2
        leadsto BrokenRecovers: broken ~> !broken
        leadsto TopStays: x == 3 ~> x == 3
        terminal x == 3
        expect Real violated
        """

    static func properties(_ stdout: String) throws -> [String: [String: Any]] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let model = try #require((document["models"] as? [[String: Any]])?.first)
        let list = try #require(model["properties"] as? [[String: Any]])
        var result: [String: [String: Any]] = [:]
        for property in list { if let name = property["name"] as? String { result[name] = property } }
        return result
    }

    @Test func strictFailsOnAnUnmarkedTrivialOrVacuousProperty() throws {
        let path = try CLITests.write(Self.model, name: "sanity/strict.vmc")
        let plain = try CLITests.run(["check", path])
        #expect(plain.status == 0)
        let strict = try CLITests.run(["check", path, "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("strict: \(path): BelowTop is trivial (its action's guard implies it); its expect line does not say 'holds trivially'\n"))
        #expect(strict.stdout.contains("strict: \(path): BrokenRecovers is vacuous (no reachable state satisfies its left-hand side); "
                                       + "its expect line does not say 'holds vacuously'\n"))
        // Marking every such property as meant makes the strict run pass; a wrong mark does not count.
        let marked = Self.model + """

            expect BelowTop holds trivially
            expect Bounded holds trivially
            expect NeverBroken holds trivially
            expect NeverBrokenAtZero holds vacuously
            expect BrokenRecovers holds vacuously
            """
        let markedPath = try CLITests.write(marked, name: "sanity/marked.vmc")
        let passing = try CLITests.run(["check", markedPath, "--strict"])
        #expect(passing.status == 0, "\(passing.stdout)")
        let wrong = try CLITests.run(["check", try CLITests.write(marked.replacingOccurrences(of: "expect BrokenRecovers holds vacuously",
                                                                                           with: "expect BrokenRecovers holds trivially"),
                                                                  name: "sanity/wrong.vmc"), "--strict"])
        #expect(wrong.status == 1)
    }

    @Test func eachPropertyGetsItsSanity() throws {
        let path = try CLITests.write(Self.model, name: "sanity/sanity.vmc")
        let run = try CLITests.run(["check", path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let properties = try Self.properties(run.stdout)
        func sanity(_ name: String) -> String? { properties[name]?["sanity"] as? String }
        func note(_ name: String) -> String? { properties[name]?["sanityNote"] as? String }
        #expect(sanity("BelowTop") == "trivial")
        #expect(note("BelowTop") == "its action's guard implies it")
        #expect(sanity("NeverBrokenAtZero") == "vacuous")
        #expect(note("NeverBrokenAtZero") == "no reachable state satisfies the premise of its implication")
        #expect(sanity("NeverBroken") == "trivial")
        #expect(note("NeverBroken") == "it reads only broken, which no action changes")
        #expect(sanity("Bounded") == "trivial")
        #expect(note("Bounded") == "every value of x satisfies it: the domains imply it")
        #expect(sanity("ReachesTopOnlyFromBelow") == "ok")
        #expect(sanity("Real") == "ok")
        #expect(sanity("BrokenRecovers") == "vacuous")
        #expect(note("BrokenRecovers") == "no reachable state satisfies its left-hand side")
        #expect(sanity("TopStays") == "ok")
        #expect(sanity("deadlock") == "ok")
        #expect(properties["BelowTop"]?["verdict"] as? String == "holds")
        let text = try CLITests.run(["check", path])
        #expect(text.stdout.contains("  property                 kind       expected  verdict   sanity\n"), "\(text.stdout)")
        #expect(text.stdout.contains("  BelowTop                 assertion  holds     holds     trivial  ok\n"))
        #expect(text.stdout.contains("  BrokenRecovers is vacuous: no reachable state satisfies its left-hand side\n"))
    }
}
