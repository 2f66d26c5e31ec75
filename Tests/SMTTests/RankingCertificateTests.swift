import Explorer
import PackedSystem
@testable import SMT
import Testing

/// The explicit graph's ranking as Z3 checks it: ranks that are the components' heights (few distinct labels, a
/// small decision diagram), and the step obligation asked in chunks (`checkSteps`) as well as in one query, each
/// shape rejecting every wrong ranking the tests build.
@Suite struct RankingCertificateTests {
    /// The step obligation's shapes: one query (0), one state per chunk, the default chunks.
    static let shapes = [0, 1, LivenessEncoding.defaultStepChunk]

    /// `x` goes from 0 to 1 or 2 and on to 3: three components of one state each, two of them at the same height.
    static let diamond = """
        model diamond
        var x: 0..3 = 0
        fair action left when x == 0 { x := 1 }
        fair action right when x == 0 { x := 2 }
        fair action join when x == 1 || x == 2 { x := 3 }
        eventually Three: x == 3
        """

    /// 0 and 1 flip into each other (a fair action taken inside the component), `done` leaves for 2: the helpful
    /// action can only be `done`.
    static let flip = """
        model flip
        var x: 0..2 = 0
        fair action flip when x < 2 { x := 1 - x }
        fair action done when x < 2 { x := 2 }
        eventually Two: x == 2
        """

    static func check(_ liveness: LivenessEncoding, _ p: Int, _ ranking: LivenessRanking, _ reachable: [[UInt64]],
                      chunk: Int) throws -> LassoCheck {
        try liveness.check(ranking: ranking, reachable: reachable, property: p, memoryMegabytes: nil, stepChunk: chunk,
                           timeoutMilliseconds: { nil })
    }

    /// The rank of the region state with `x == value` (x is the models' only cell).
    static func rank(_ ranking: LivenessRanking, _ liveness: LivenessEncoding, x value: Int64) throws -> Int {
        let field = try #require(liveness.system.layout.fields.first)
        let index = try #require(ranking.states.firstIndex { field.read($0) == value })
        return ranking.ranks[index]
    }

    @Test(arguments: shapes) func ranksAreComponentHeightsAndEveryShapeAcceptsThem(_ chunk: Int) throws {
        let (liveness, p, ranking, reachable) = try ExplicitLassoTests.ranking(Self.diamond, "Three")
        #expect(ranking.states.count == 3)
        // Tarjan's completion order would give 0, 1 and 2; the heights are 0 for x = 1 and x = 2, 1 for x = 0.
        #expect(try Self.rank(ranking, liveness, x: 0) == 1)
        #expect(try Self.rank(ranking, liveness, x: 1) == 0)
        #expect(try Self.rank(ranking, liveness, x: 2) == 0)
        #expect(ExplicitLassoTests.rejection(try Self.check(liveness, p, ranking, reachable, chunk: chunk)) == nil)
        guard case .accepted = try Self.check(liveness, p, ranking, reachable, chunk: chunk) else {
            Issue.record("the explorer's ranking was not accepted with step chunks of \(chunk)")
            return
        }
    }

    @Test(arguments: shapes) func aStepThatRaisesTheRankIsRejected(_ chunk: Int) throws {
        let (liveness, p, ranking, reachable) = try ExplicitLassoTests.ranking(Self.diamond, "Three")
        // x = 0 below x = 1: the step `left` from 0 to 1 raises the rank.
        let field = try #require(liveness.system.layout.fields.first)
        let raised = LivenessRanking(states: ranking.states, ranks: ranking.states.map { field.read($0) == 0 ? 0 : 1 },
                                     helpful: ranking.helpful)
        #expect(ExplicitLassoTests.rejection(try Self.check(liveness, p, raised, reachable, chunk: chunk))
                == "a step from the region does not keep to the ranking")
        // One rank for all three: the steps keep it without a helpful action.
        let flat = LivenessRanking(states: ranking.states, ranks: ranking.ranks.map { _ in 0 }, helpful: ranking.helpful)
        #expect(ExplicitLassoTests.rejection(try Self.check(liveness, p, flat, reachable, chunk: chunk))
                == "a step from the region does not keep to the ranking")
    }

    @Test(arguments: shapes) func aHelpfulActionTakenInsideItsComponentIsRejected(_ chunk: Int) throws {
        let (liveness, p, ranking, reachable) = try ExplicitLassoTests.ranking(Self.flip, "Two")
        let flip = try #require(liveness.system.actions.firstIndex { $0.name == "flip" })
        let done = try #require(liveness.system.actions.firstIndex { $0.name == "done" })
        #expect(ranking.helpful == [done, done])
        #expect(ExplicitLassoTests.rejection(try Self.check(liveness, p, ranking, reachable, chunk: chunk)) == nil)
        // `flip` is fair and enabled in both states, but its own steps keep the rank: only the step obligation's
        // "a step of the helpful action lowers the rank" rejects it.
        let own = LivenessRanking(states: ranking.states, ranks: ranking.ranks, helpful: ranking.helpful.map { _ in flip })
        #expect(ExplicitLassoTests.rejection(try Self.check(liveness, p, own, reachable, chunk: chunk))
                == "a step from the region does not keep to the ranking")
    }

    /// A check that ran out resumes where it stopped (`RankingProgress`): what Z3 answered is not asked again.
    @Test func aCheckThatRanOutResumesWhereItStopped() throws {
        let (liveness, p, ranking, reachable) = try ExplicitLassoTests.ranking(Self.diamond, "Three")
        let progress = RankingProgress()
        // The first two queries (the initial states, the first step chunk) get time, the next none.
        var calls = 0
        let first = try liveness.check(ranking: ranking, reachable: reachable, property: p, memoryMegabytes: nil, stepChunk: 1, progress: progress,
                                       timeoutMilliseconds: {
                                           calls += 1
                                           return calls <= 2 ? nil : 0
                                       })
        guard case .unknown = first else {
            Issue.record("the check did not run out: \(first)")
            return
        }
        #expect(progress.shown == ["entry"])
        #expect(progress.stepChunks == 1)
        var asked: [String] = []
        let second = try liveness.check(ranking: ranking, reachable: reachable, property: p, memoryMegabytes: nil, stepChunk: 1, progress: progress,
                                        timeoutMilliseconds: { nil }, record: { what, _ in asked.append(what) })
        guard case .accepted = second else {
            Issue.record("the resumed check did not accept the explorer's ranking: \(second)")
            return
        }
        #expect(!asked.contains("initial states"))
        #expect(asked.filter { $0 == "steps" }.count == 2)
        #expect(asked.contains("stuck"))
    }

    @Test func malformedLabelsAreRejectedNotTrapped() throws {
        let (liveness, p, ranking, reachable) = try ExplicitLassoTests.ranking(Self.flip, "Two")
        let negative = LivenessRanking(states: ranking.states, ranks: ranking.ranks.map { _ in -1 }, helpful: ranking.helpful)
        let noAction = LivenessRanking(states: ranking.states, ranks: ranking.ranks, helpful: ranking.helpful.map { _ in 99 })
        let short = LivenessRanking(states: ranking.states, ranks: Array(ranking.ranks.dropLast()), helpful: ranking.helpful)
        for wrong in [negative, noAction, short] {
            #expect(ExplicitLassoTests.rejection(try Self.check(liveness, p, wrong, reachable, chunk: LivenessEncoding.defaultStepChunk))?
                .hasPrefix("the ranking's labels are malformed") == true)
        }
    }
}
