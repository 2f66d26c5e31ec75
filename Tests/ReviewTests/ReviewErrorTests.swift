import Review
import Testing

/// The exit status a reviewer's command takes from its error: a problem in the input is 2, a budget that stopped
/// the model's lowering is 3 (no verdict), as for `check`.
@Suite struct ReviewErrorTests {
    @Test func aBudgetStopExitsThreeAndAProblemTwo() {
        let problem = ReviewError(.failure("no such revision"))
        #expect(problem.exitCode == 2)
        let stopped = ReviewError([.failure("stopped while grounding the actions")], stopReason: "memory limit reached")
        #expect(stopped.exitCode == 3)
    }
}
