import PackedSystem
@testable import SMT
import Testing

/// The note of a safety property the SMT engine leaves unknown says what its method tried
/// (`UndecidedSafetyNote`): before, every method's note said "not proved by k-induction up to k = 0".
@Suite struct UndecidedNoteTests {
    static func note(_ method: SMTMethod, depth: Int = 3, induction: Int = -1, finder: FinderAttempt? = nil, pdr: Bool = false,
                     stop: StopReason? = nil) -> String {
        UndecidedSafetyNote(method: method, depthReached: depth, inductionReached: induction, finder: finder, pdrAsked: pdr,
                            stopReason: stop, maxDepth: 3).text
    }

    @Test func eachMethodSaysWhatItTried() {
        #expect(Self.note(.bmc) == "no violation within 3 steps (bmc proves nothing) (the bound is --smt-depth 3)")
        #expect(Self.note(.kind, induction: 3) == "no violation within 3 steps and not proved by k-induction up to k = 3 (the bound is --smt-depth 3)")
        #expect(Self.note(.houdini, finder: .houdini(lemmas: 1))
            == "no violation within 3 steps and not proved by Houdini's invariant (1 lemma) (the bound is --smt-depth 3)")
        #expect(Self.note(.houdini, finder: .empty).contains("not proved by Houdini (no candidate lemma survived)"))
        #expect(Self.note(.houdini, finder: .certificate(states: 201)).contains("not proved by the reachable set's certificate (201 states)"))
        #expect(Self.note(.pdr, pdr: true) == "no violation within 3 steps and not proved by PDR (the bound is --smt-depth 3)")
        #expect(Self.note(.auto, induction: 3, finder: .outOfTime, pdr: true)
            == "no violation within 3 steps and not proved by k-induction up to k = 3, the invariant finder (out of time) or PDR (the bound is --smt-depth 3)")
    }

    /// What the run never reached is named after a semicolon; with no part at all the note is "no verdict".
    @Test func whatDidNotRunIsNamed() {
        let limit = StopReason.timeLimit(seconds: 5)
        #expect(Self.note(.auto, depth: 2, induction: 2, stop: limit)
            == "no violation within 2 steps and not proved by k-induction up to k = 2 (\(limit)); the invariant finder and PDR not reached")
        #expect(Self.note(.pdr, depth: -1, pdr: true, stop: limit) == "not proved by PDR (\(limit)); BMC not reached")
        #expect(Self.note(.kind, depth: -1, stop: limit) == "no verdict (\(limit)); BMC and k-induction not reached")
        #expect(Self.note(.auto, induction: 3, pdr: true) == "no violation within 3 steps and not proved by k-induction up to k = 3 or PDR (the bound is --smt-depth 3); the invariant finder not run")
    }

    static func run(_ text: String, _ method: SMTMethod, configure: (inout SMTOptions) -> Void = { _ in }) throws -> PropertyResult? {
        var options = SMTOptions()
        options.method = method
        options.maxDepth = 3
        options.budget.timeoutSeconds = 300
        configure(&options)
        let run = SMTEngine(system: try Differential.system(text).get(), options: options, file: "test.vmc").run()
        return run.result.properties.first { $0.name == "NeverTop" }
    }

    /// The engine fills the note from what ran, on the wide counter that no method proves at depth 3 in these
    /// settings (PDR needs far more than half a second, the finder is off or has a partial sample).
    @Test(arguments: [SMTMethod.bmc, .kind, .houdini, .pdr, .auto]) func theEngineSaysWhatRan(method: SMTMethod) throws {
        let counter = PDRTests.wideCounter(bits: 12)
        let property = try #require(try Self.run(counter, method) { options in
            options.pdrQuerySeconds = 0.5
            if method == .houdini {
                options.candidateLimits.breadthStates = 20
                options.candidateLimits.walks = 0
            } else {
                options.houdiniSeconds = 0
            }
        })
        #expect(property.verdict == .unknown)
        let note = property.note ?? ""
        #expect(note.hasPrefix("no violation within 3 steps"), "\(note)")
        #expect(note.contains("k-induction up to k = 3") == (method == .kind || method == .auto), "\(note)")
        #expect(note.contains("PDR") == (method == .pdr || method == .auto), "\(note)")
        #expect(note.contains("Houdini") == (method == .houdini), "\(note)")
        #expect(note.contains("the invariant finder not run") == (method == .auto), "\(note)")
        #expect(note.contains("(bmc proves nothing)") == (method == .bmc), "\(note)")
    }
}
