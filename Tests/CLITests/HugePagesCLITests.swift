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
        func summary(_ model: [String: Any]) -> [String] {
            ["states", "transitions", "depth"].map { "\($0)=\(model[$0] ?? "-")" }
                + ((model["properties"] as? [[String: Any]]) ?? []).map { "\($0["name"] ?? "-"): \($0["verdict"] ?? "-")" }
        }
        let without = summary(try CLITests.checkedModel([], path: path))
        let with = summary(try CLITests.checkedModel(["--huge-pages"], path: path))
        #expect(with == without)
        #expect(with.first == "states=256")
    }
}
