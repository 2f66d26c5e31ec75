import Foundation
import Testing

/// `--huge-pages` on the command line: accepted by the commands that search, and the same counts and verdicts as
/// without it.
@Suite struct HugePagesCLITests {
    @Test func hugePagesGiveTheSameCountsAndVerdicts() throws {
        let path = try CLITests.write("""
            model counters
            var a: 0..15 = 0
            var b: 0..15 = 0
            action incA when a < 15 { a := a + 1 }
            action incB when b < 15 { b := b + 1 }
            invariant Low: a + b < 30
            terminal a == 15 && b == 15
            expect Low violated
            """, name: "counters.vmc")
        let without = try CLITests.run(["check", "--json", path])
        let with = try CLITests.run(["check", "--json", "--huge-pages", path])
        #expect(without.status == 0, "\(without.stderr)")
        #expect(with.status == 0, "\(with.stderr)")
        func summary(_ stdout: String) throws -> [String] {
            let document = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
            let model = try #require((document?["models"] as? [[String: Any]])?.first)
            return ["states", "transitions", "depth"].map { "\($0)=\(model[$0] ?? "-")" }
                + ((model["properties"] as? [[String: Any]]) ?? []).map { "\($0["name"] ?? "-"): \($0["verdict"] ?? "-")" }
        }
        #expect(try summary(with.stdout) == summary(without.stdout))
        #expect(try summary(with.stdout).first == "states=256")
    }
}
