import PackedSystem
@testable import SMT
import Testing

/// `PathReplay`: the explorer's path to a violation checked in the SMT encoding, first by Z3's evaluation of
/// the ground formulas (every cell a numeral), the solver only when that does not decide.
@Suite struct PathReplayTests {
    /// A counter that steps by one (or toggles a flag): `Below` fails once x reaches 6.
    static let model = """
        model counter
        var x: 0..10 = 0
        var y: bool = false
        action step when x < 10 { x := x + 1 }
        action toggle { y := !y }
        invariant Below: x < 6
        """

    /// The path of `step` actions from the initial state, `steps` long.
    static func path(_ system: TransitionSystem, steps: Int) throws -> [[UInt64]] {
        let relation = TransitionRelation(system)
        var path = [try #require(system.initialStates.first)]
        for _ in 0..<steps {
            let last = try #require(path.last)
            let next = try #require(relation.successors(of: last).first { $0.action == 0 })
            path.append(next.state)
        }
        return path
    }

    static func replay() throws -> (PathReplay, bad: Term, system: TransitionSystem) {
        let system = try Differential.system(model).get()
        let encoding = try SystemEncoding(z3: try Z3Context(memoryMegabytes: nil), system: system)
        let index = try #require(system.properties.firstIndex { $0.info.name == "Below" })
        let value = try #require(encoding.predicateValue[index])
        // Bad: the predicate evaluates (it cannot fail here) to false.
        return (PathReplay(encoding: encoding, memoryMegabytes: nil), try encoding.z3.not(value), system)
    }

    /// The path to the violation is accepted by evaluation alone (the ground formulas reduce to true), and its
    /// model decodes to the path's states.
    @Test func theExplorersPathIsAcceptedByEvaluation() throws {
        let (replay, bad, system) = try Self.replay()
        let path = try Self.path(system, steps: 6)
        #expect(try replay.evaluate(path, bad: bad) == true)
        guard case .accepted(let model, let frames) = try replay.replay(path, bad: bad, timeoutMilliseconds: 10_000) else {
            Issue.record("the path was not accepted")
            return
        }
        let decoder = TraceDecoder(system: system)
        #expect(try frames.map { try decoder.state($0, in: model) } == path)
    }

    /// A path that skips a step, or ends before the bad state, or does not start in an initial state is
    /// rejected, and the evaluation says so without the solver (false, not undecided).
    @Test func wrongPathsAreRejected() throws {
        let (replay, bad, system) = try Self.replay()
        let path = try Self.path(system, steps: 6)
        var skipping = path
        skipping.remove(at: 2)
        let short = Array(path.dropLast())
        let late = Array(path.dropFirst())
        for wrong in [skipping, short, late] {
            #expect(try replay.evaluate(wrong, bad: bad) == false)
            guard case .rejected(let reason) = try replay.replay(wrong, bad: bad, timeoutMilliseconds: 10_000) else {
                Issue.record("a wrong path was not rejected")
                continue
            }
            #expect(reason.contains("is not a path of the SMT encoding"))
        }
    }
}
