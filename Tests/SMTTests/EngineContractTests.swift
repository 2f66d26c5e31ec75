import Explorer
import ModelLanguage
import PackedSystem
import SMT
import Testing

/// Both engines behind the one contract: the same generic call runs either, results carry the engine's
/// identifier, stop reasons render to the words the outputs have always shown, and the SMT engine's methods stay
/// out of the explicit engine's reductions.
@Suite struct EngineContractTests {
    static let counter = """
        model counter
        var n: 0..5 = 0
        action inc when n < 5 { n := n + 1 }
        invariant Small: n <= 5
        reachable Top: n == 5
        """

    /// What a caller written against the contract alone can do.
    static func verdicts<Engine: CheckingEngine>(_ engine: Engine) -> (id: EngineID, verdicts: [String: Verdict], engines: Set<EngineID>) {
        let result = engine.check()
        let verdicts = Dictionary(uniqueKeysWithValues: result.properties.map { ($0.name, $0.verdict) })
        return (result.engine, verdicts, Set(result.properties.map(\.engine)))
    }

    @Test func bothEnginesRunThroughTheContract() throws {
        let system = try Differential.system(Self.counter).get()
        let explicit = Self.verdicts(ExplicitExplorer(system: system, file: "counter.vmc"))
        let smt = Self.verdicts(SMTEngine(system: system, file: "counter.vmc"))
        #expect(explicit.id == .explicit && explicit.engines == [.explicit])
        #expect(smt.id == .smt && smt.engines == [.smt])
        #expect(explicit.verdicts["Small"] == .holds && explicit.verdicts["Top"] == .reachable)
        #expect(smt.verdicts == explicit.verdicts)
    }

    @Test func smtMethodsAreNotReductions() throws {
        let system = try Differential.system(Self.counter).get()
        let statistics = SMTEngine(system: system, file: "counter.vmc").check().statistics
        #expect(statistics.reductions.isEmpty)
        #expect(statistics.methods == ["bmc", "k-induction", "houdini", "pdr"])
        #expect(statistics.peakMemoryBytes > 0)
        let explicit = ExplicitExplorer(system: system, file: "counter.vmc").check().statistics
        #expect(explicit.methods.isEmpty)
        #expect(explicit.peakMemoryBytes > 0)
    }

    @Test func explicitRunReturnsItsGraph() throws {
        let system = try Differential.system(Self.counter).get()
        let run = ExplicitExplorer(system: system, file: "counter.vmc").run()
        #expect(run.graph.stateCount == run.result.statistics.states)
        #expect(run.graph.edges().count == 5)
        #expect((0..<run.graph.stateCount).filter(run.graph.isInitialState) == [0])
    }

    @Test func stopReasonsRenderAsBefore() {
        #expect(StopReason.stateLimit(500).description == "state limit of 500 reached")
        #expect(StopReason.storeCapacity(7).description == "the explorer's limit of 7 states reached")
        #expect(StopReason.memoryLimit(bytes: 1024).description == "memory limit of 1024 bytes reached")
        #expect(StopReason.timeLimit(seconds: 5).description == "time limit of 5 s reached")
        #expect(StopReason.timeLimit(seconds: 0.5).description == "time limit of 0.5 s reached")
        #expect(StopReason.timeLimit(seconds: 1e-6).description == "time limit of 1e-06 s reached")
        #expect(StopReason.timeLimit(seconds: 1e300).description == "time limit of 1e+300 s reached")
        #expect(StopReason.signal(name: "SIGINT").description == "interrupted by SIGINT")
        #expect(StopReason.solver("Z3 reached the time limit").description == "Z3 reached the time limit")
        #expect(EngineID.allCases.map(\.description) == ["explicit", "smt", "both"])
    }

    @Test func oneBudgetReachesTheSMTEngine() throws {
        let system = try Differential.system(Self.counter).get()
        var options = SMTOptions()
        options.budget.interruption = { .signal(name: "SIGINT") }
        let result = SMTEngine(system: system, options: options, file: "counter.vmc").check()
        #expect(result.statistics.stopReason == .signal(name: "SIGINT"))
        #expect(result.properties.allSatisfy { $0.verdict == .unknown })
    }
}
