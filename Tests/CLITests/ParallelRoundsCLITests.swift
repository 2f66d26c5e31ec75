import Foundation
import Testing

/// `--parallel-rounds` on the command line: both modes give the one-thread search's counts and verdicts, the JSON
/// says how many rounds ran and how many on one thread, and a bad mode is a usage error.
@Suite struct ParallelRoundsCLITests {
    /// 32,768 states in 36 levels, the largest under 3,000 states: one round per level on two threads.
    static let grid = """
        model grid
        var a: 0..7 = 0
        var b: 0..7 = 0
        var c: 0..7 = 0
        var d: 0..7 = 0
        var e: 0..7 = 0
        action incA when a < 7 { a := a + 1 }
        action incB when b < 7 { b := b + 1 }
        action incC when c < 7 { c := c + 1 }
        action incD when d < 7 { d := d + 1 }
        action incE when e < 7 { e := e + 1 }
        invariant NotAllHigh: a + b + c + d + e < 30
        terminal a == 7 && b == 7 && c == 7 && d == 7 && e == 7
        expect NotAllHigh violated
        """

    @Test func everyModeGivesTheOneThreadCountsAndSaysWhereItsRoundsRan() throws {
        let path = try CLITests.write(Self.grid, name: "grid.vmc")
        let one = try CLITests.checkedModel(["--threads", "1"], path: path)
        #expect(one["states"] as? Int == 32_768)
        #expect(one["rounds"] as? Int == 0)
        #expect(one["roundsOnOneThread"] as? Int == 0)
        for mode in ["adaptive", "always"] {
            let many = try CLITests.checkedModel(["--threads", "2", "--parallel-rounds", mode], path: path)
            for key in ["states", "transitions", "depth"] {
                #expect(many[key] as? Int == one[key] as? Int, "\(mode) \(key)")
            }
            let properties = { (model: [String: Any]) in
                (model["properties"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "") \($0["verdict"] ?? "")" }
            }
            #expect(properties(many) == properties(one), "\(mode)")
            let rounds = try #require(many["rounds"] as? Int)
            let onOne = try #require(many["roundsOnOneThread"] as? Int)
            #expect(rounds >= 35, "\(mode): \(rounds) rounds")
            #expect(onOne >= 0 && onOne <= rounds)
            if mode == "always" { #expect(onOne == 0) }
        }
    }

    @Test func aBadModeIsAUsageError() throws {
        let path = try CLITests.write(Self.grid, name: "grid.vmc")
        let run = try CLITests.run(["check", "--threads", "2", "--parallel-rounds", "sometimes", path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("'sometimes' is invalid for '--parallel-rounds <MODE>'"))
        #expect(run.stdout.isEmpty)
    }
}
