import Foundation
import Testing

/// Liveness through the command line with the SMT engine: `--engine both` compares the liveness verdicts (each
/// property decided by both engines says so), and `--engine smt` prints its lassos like the explorer's.
@Suite struct SMTLivenessCLITests {
    static let model = """
        model live
        var x: 0..3 = 0
        var b: bool = false
        fair action inc when x < 3 { x := x + 1 }
        action toggle { b := !b }
        action reset when x == 3 { x := 0 }
        eventually ReachesThree: x == 3
        eventually BTrue: b
        leadsto ResetsBack: x == 3 ~> x == 0
        expect ReachesThree holds
        expect BTrue violated
        expect ResetsBack violated
        """

    @Test func bothEnginesDecideAndCompareLiveness() throws {
        let path = try CLITests.write(Self.model, name: "smt-liveness/live.vmc")
        let run = try CLITests.run(["check", path, "--engine", "both", "--json"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let model = try #require((document["models"] as? [[String: Any]])?.first)
        let properties = try #require(model["properties"] as? [[String: Any]])
        for name in ["ReachesThree", "BTrue", "ResetsBack"] {
            let property = try #require(properties.first { $0["name"] as? String == name })
            #expect(property["engine"] as? String == "both", "\(name) was not decided by both engines")
        }
    }

    @Test func smtLassosPrintLikeTheExplorers() throws {
        let path = try CLITests.write(Self.model, name: "smt-liveness/print.vmc")
        let run = try CLITests.run(["check", path, "--engine", "smt"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Counterexample for BTrue (eventually, lasso):"))
        #expect(run.stdout.contains("Counterexample for ResetsBack (leadsto, lasso):"))
        #expect(run.stdout.contains("<- loop starts here"))
        #expect(run.stdout.contains("ReachesThree: proved by a ranking from the explicit graph (6 region states, checked by Z3)"))
        let pdr = try CLITests.run(["check", path, "--engine", "smt", "--smt-method", "pdr"])
        #expect(pdr.status == 0, "\(pdr.stdout)\(pdr.stderr)")
        #expect(pdr.stdout.contains("ReachesThree: proved by liveness-to-safety under PDR (inductive invariant checked)"))
    }
}
