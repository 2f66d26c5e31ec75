import Foundation
import Testing

/// `check --engine both` through the command line on a model with variants: each combination's properties carry
/// both engines' own verdicts (`explicit`, `smt`), and the text says per combination why the SMT engine left a
/// property open, which the merged verdict (the explorer's) does not show.
@Suite struct CrossCheckCLITests {
    static let model = """
        model open_in_smt
        variant fast: bool in { true, false }
        var n: 0..7 = 0
        action inc when n < 5 { n := n + 1 }
        action jump when fast && n < 4 { n := n + 2 }
        action reset when n == 5 { n := 0 }
        invariant Bounded: n <= 5
        reachable Top: n == 5
        expect Bounded holds
        expect Top reachable
        """

    @Test func eachCombinationKeepsTheSMTEnginesVerdictAndNote() throws {
        let path = try CLITests.write(Self.model, name: "cross-check/open.vmc")
        let arguments = ["check", path, "--engine", "both", "--smt-method", "bmc", "--smt-depth", "6"]
        let run = try CLITests.run(arguments + ["--json"])
        // bmc proves nothing: the explorer's `holds` stands and the run meets every expectation.
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let model = try #require((document["models"] as? [[String: Any]])?.first)
        let variants = try #require(model["variants"] as? [[String: Any]])
        #expect(variants.count == 2)
        for variant in variants {
            let properties = try #require(variant["properties"] as? [[String: Any]])
            let bounded = try #require(properties.first { $0["name"] as? String == "Bounded" })
            #expect(bounded["verdict"] as? String == "holds" && bounded["engine"] as? String == "explicit")
            let smt = try #require(bounded["smt"] as? [String: Any])
            #expect(smt["verdict"] as? String == "unknown")
            #expect((smt["note"] as? String)?.hasPrefix("no violation within 6 steps") == true, "\(smt)")
            #expect((bounded["explicit"] as? [String: Any])?["verdict"] as? String == "holds")
            let top = try #require(properties.first { $0["name"] as? String == "Top" })
            #expect((top["smt"] as? [String: Any])?["verdict"] as? String == "reachable")
            #expect(top["engine"] as? String == "both")
        }
        let text = try CLITests.run(arguments)
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        for column in ["#1", "#2"] {
            // One line per combination and reason, naming each property bmc left open there.
            #expect(text.stdout.contains("  Bounded, deadlock, bounds \(column): left open by the SMT engine: no violation within 6 steps"),
                    "\(text.stdout)")
        }
        #expect(!text.stdout.split(separator: "\n").contains { $0.contains("left open") && $0.contains("Top") })
    }
}
