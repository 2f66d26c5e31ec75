import Foundation
import Testing

/// Coverage through the command line (issue 13, item 3): `check --coverage`, the JSON fields, and `--strict`
/// failing on dead actions without `expect dead`, on marked actions that fire, and on `holds trivially` lines
/// whose property is not trivial.
@Suite struct CoverageCLITests {
    static let model = """
        model cov
        var x: 0..3 = 0
        var y: bool = false
        action up when x < 3 && !y { x := x + 1 }
        action flip(v: bool) when x == 3 && y != v { y := v }
        action stuck when y && x < 3 { x := 0 }
        reachable Top: x == 3
        """

    static func variants(_ stdout: String) throws -> [[String: Any]] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        let model = try #require((document["models"] as? [[String: Any]])?.first)
        return try #require(model["variants"] as? [[String: Any]])
    }

    @Test func coverageTableListsEveryGroundActionAndTheDeadOnes() throws {
        let path = try CLITests.write(Self.model, name: "coverage/table.vmc")
        let run = try CLITests.run(["check", path, "--coverage"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Coverage (fired/new states per ground action):\n"))
        #expect(run.stdout.contains("    up           3/3\n"))
        #expect(run.stdout.contains("    flip(false)  1/0\n"))
        #expect(run.stdout.contains("    flip(true)   1/1\n"))
        #expect(run.stdout.contains("    stuck        0/0\n"))
        #expect(run.stdout.contains("  stuck: dead (never enabled in a reachable state)\n"))
        // Without --coverage the table is not printed.
        #expect(!(try CLITests.run(["check", path]).stdout.contains("Coverage")))
    }

    @Test func jsonCarriesCoverageAndDeadActionsPerRun() throws {
        let path = try CLITests.write(Self.model + "\nexpect dead stuck\n", name: "coverage/json.vmc")
        let run = try CLITests.run(["check", path, "--json", "--threads", "2"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let variant = try #require(try Self.variants(run.stdout).first)
        let coverage = try #require(variant["coverage"] as? [[String: Any]])
        #expect(coverage.count == 4)
        let flip = try #require(coverage.first { ($0["action"] as? String) == "flip" && ($0["parameters"] as? [String: String]) == ["v": "true"] })
        #expect(flip["fired"] as? Int == 1)
        #expect(flip["distinctStates"] as? Int == 1)
        #expect(flip["failures"] as? Int == 0)
        #expect(Set(coverage[0].keys) == ["action", "parameters", "fired", "distinctStates", "failures"])
        #expect(variant["deadActions"] as? [String] == ["stuck"])
        #expect(variant["expectDead"] as? [String] == ["stuck"])
        // The existing fields are unchanged.
        for key in ["assignment", "states", "transitions", "depth", "seconds", "complete", "expectationsMet", "properties"] {
            #expect(variant[key] != nil, "\(key)")
        }
    }

    @Test func theSMTEngineAloneHasNoCoverage() throws {
        let path = try CLITests.write(Self.model, name: "coverage/smt.vmc")
        let run = try CLITests.run(["check", path, "--json", "--engine", "smt"])
        let variant = try #require(try Self.variants(run.stdout).first)
        #expect(variant["coverage"] is NSNull)
        #expect(variant["deadActions"] is NSNull)
        // Nothing can be called dead, so --strict does not fail on `stuck`.
        let strict = try CLITests.run(["check", path, "--engine", "smt", "--strict"])
        #expect(!strict.stdout.contains("strict:"), "\(strict.stdout)")
    }

    @Test func aStoppedSearchCallsNothingDead() throws {
        let path = try CLITests.write(Self.model, name: "coverage/stopped.vmc")
        let run = try CLITests.run(["check", path, "--json", "--max-states", "2"])
        #expect(run.status == 3)
        let variant = try #require(try Self.variants(run.stdout).first)
        #expect(variant["deadActions"] is NSNull)
        let strict = try CLITests.run(["check", path, "--max-states", "2", "--strict"])
        #expect(!strict.stdout.contains("is dead"))
        #expect(strict.status == 3)
    }

    @Test func strictFailsOnAnUnmarkedDeadActionAndOnAMarkedLiveOne() throws {
        let path = try CLITests.write(Self.model, name: "coverage/strict.vmc")
        let plain = try CLITests.run(["check", path])
        #expect(plain.status == 0)
        let strict = try CLITests.run(["check", path, "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("strict: \(path): action stuck is dead (never enabled in a reachable state); "
                                       + "mark it 'expect dead stuck' with the reason, or fix the model\n"))
        let marked = try CLITests.run(["check", try CLITests.write(Self.model + "\nexpect dead stuck\n", name: "coverage/marked.vmc"),
                                       "--strict"])
        #expect(marked.status == 0, "\(marked.stdout)")
        let livePath = try CLITests.write(Self.model + "\nexpect dead stuck\nexpect dead up\n", name: "coverage/live.vmc")
        let live = try CLITests.run(["check", livePath, "--strict"])
        #expect(live.status == 1)
        #expect(live.stdout.contains("strict: \(livePath): action up is marked 'expect dead' but fires\n"))
        #expect(!live.stdout.contains("action stuck"))
    }

    @Test func strictNamesTheCombinationOfADeadAction() throws {
        let model = """
            model cov
            variant guarded: bool
            var x: 0..2 = 0
            action up when x < 2 { x := x + 1 }
            action extra when guarded && x == 2 { x := 0 }
            action late when !guarded && x == 2 { x := 1 }
            expect dead extra when !guarded
            """
        let path = try CLITests.write(model, name: "coverage/combinations.vmc")
        let strict = try CLITests.run(["check", path, "--strict", "--coverage"])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("strict: \(path): action late under #2 guarded=true is dead"))
        #expect(!strict.stdout.contains("action extra"))
        #expect(strict.stdout.contains("  extra: dead (never enabled in a reachable state) in #1, marked 'expect dead' in #1\n"))
    }

    @Test func strictRejectsAHoldsTriviallyLineOnAPropertyThatIsNot() throws {
        // x stops at 2: `Meaningful` holds because of the reachable states, not by construction.
        let model = """
            model m
            var x: 0..3 = 0
            action up when x < 2 { x := x + 1 }
            invariant Meaningful: x != 3
            terminal x == 2
            expect Meaningful holds trivially
            """
        let path = try CLITests.write(model, name: "coverage/false-mark.vmc")
        let json = try CLITests.run(["check", path, "--json"])
        let variant = try #require(try Self.variants(json.stdout).first)
        let properties = try #require(variant["properties"] as? [[String: Any]])
        #expect(properties.first { ($0["name"] as? String) == "Meaningful" }?["sanity"] as? String == "ok")
        #expect(json.status == 0)
        let strict = try CLITests.run(["check", path, "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("strict: \(path): Meaningful: its expect line says 'holds trivially', "
                                       + "but the sanity check finds it ok, not trivial\n"))
    }
}
