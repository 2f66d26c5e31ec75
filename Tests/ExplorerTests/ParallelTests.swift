@testable import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// The parallel search stores the same states in the same order as the one-thread search, so its statistics,
/// verdicts and traces are identical.
@Suite struct ParallelTests {
    static let models: [String] = [
        TraceTests.jumps,
        BudgetTests.large,
        """
        model dma
        type Dev = 0..3
        type S = enum { RUNNING, RUNNING_P2P, STOP }
        var st: [Dev] S = RUNNING
        var inflight: [Dev][Dev] bool = false
        action issue(i: Dev, j: Dev) when i != j && st[i] == RUNNING && !inflight[i][j] { inflight[i][j] := true }
        action deliver(i: Dev, j: Dev) when inflight[i][j] {
          assert NoDmaToStopped: st[j] != STOP
          inflight[i][j] := false
        }
        action quiesce(d: Dev) when st[d] == RUNNING && (forall j: Dev. !inflight[d][j]) { st[d] := RUNNING_P2P }
        action stop(d: Dev) when st[d] == RUNNING_P2P { st[d] := STOP }
        invariant SomeoneRuns: exists d: Dev. st[d] != STOP
        reachable AllStopped: forall d: Dev. st[d] == STOP
        terminal forall d: Dev. st[d] == STOP
        expect NoDmaToStopped violated
        expect SomeoneRuns violated
        """,
        """
        model symmetric
        type Dev = scalarset(4)
        type S = enum { RUNNING, STOP, ERROR }
        var st: [Dev] S = RUNNING
        var owner: Dev = any
        action stop(d: Dev) when st[d] == RUNNING { st[d] := STOP }
        action fail(d: Dev) when st[d] != ERROR { st[d] := ERROR }
        action handover(d: Dev) when d != owner && st[d] == RUNNING { owner := d }
        invariant OwnerAlive: st[owner] != ERROR
        terminal true
        expect OwnerAlive violated
        """,
    ]

    /// 32,768 states in levels of up to about 3,000: many chunks per level with chunks of 64 states (`chunkSizes`). Invariants, goals, an assertion, a
    /// deadlock and `bounds` are found at similar depths, so the first finding of each depends on the order in
    /// which chunks and states are met. `InRange` fails to evaluate (st[6]) from depth 6 on, `poke` fails on an
    /// out-of-range store one step later, and `Small` (violated at depth 6, before its evaluation fails) is no
    /// longer evaluated once violated.
    static let mixed = """
        model mixed
        type Dev = 0..5
        var st: [Dev] 0..3 = 0
        var k: 0..7 = 0
        action bump(d: Dev) when st[d] < 3 { st[d] := st[d] + 1 }
        action move when k < 7 { k := k + 1 }
        action fire(d: Dev) when st[d] == 2 { assert Late: k < 4 : "fired late" }
        action poke when k >= 5 && st[2] == 0 { st[k] := 1 }
        invariant Small: st[k] < 3 || st[5] < 3
        invariant Bounded: k < 7 || st[0] < 2
        invariant InRange: st[k] <= 3
        reachable AllTwo: forall d: Dev. st[d] == 2
        reachable Far: k == 6 && st[1] == 3
        """

    static func assertSameRun(_ many: CheckResult, _ one: CheckResult, threads: Int) {
        #expect(many.statistics.states == one.statistics.states)
        #expect(many.statistics.transitions == one.statistics.transitions)
        #expect(many.statistics.depth == one.statistics.depth)
        #expect(many.statistics.stopReason == one.statistics.stopReason)
        #expect(many.properties == one.properties)
        #expect(many.statistics.threads == threads)
    }

    /// Round modes in turn (`RoundPacer`'s test pattern): every round on the threads, and rounds on one thread
    /// between them, so that each mode follows the other at every kind of round (a level's first and last, a
    /// growth of the store, a finding).
    static let roundPatterns: [[RoundPacer.Mode]] = [[.parallel], [.sequential, .parallel], [.parallel, .parallel, .sequential]]

    /// The search's chunk (`ExplorerOptions.chunkStates`), the same for one thread and several: the default, and
    /// a small one, so that the small models here have many chunks per level.
    static let chunkSizes = [ExplicitExplorer.chunkSize, 64]

    @Test(arguments: [2, 3], chunkSizes)
    func parallelSearchMatchesTheOneThreadSearch(threads: Int, chunkStates: Int) throws {
        for model in Self.models + [Self.mixed] {
            var single = ExplorerOptions()
            single.chunkStates = chunkStates
            let one = try explore(model, options: single)
            for chunksPerRound in [256, 3, 1] {
                for pattern in Self.roundPatterns {
                    var options = ExplorerOptions()
                    options.chunkStates = chunkStates
                    options.threads = threads
                    options.parallelChunksPerRound = chunksPerRound
                    options.roundModePattern = pattern
                    Self.assertSameRun(try explore(model, options: options), one, threads: threads)
                }
            }
        }
    }

    /// The stores themselves are identical: every state, parent and action, read from the compact columns.
    @Test(arguments: [1, 3, 256], roundPatterns)
    func parallelStoreEqualsTheOneThreadStore(chunksPerRound: Int, pattern: [RoundPacer.Mode]) throws {
        let system = try buildSystem(Self.mixed)
        var options = ExplorerOptions()
        options.chunkStates = 64
        let one = ExplicitExplorer(system: system, options: options, file: "test.vmc").run().graph.store
        options.threads = 2
        options.parallelChunksPerRound = chunksPerRound
        options.roundModePattern = pattern
        let many = ExplicitExplorer(system: system, options: options, file: "test.vmc").run().graph.store
        #expect(many.count == one.count)
        #expect(many.initialCount == one.initialCount)
        for index in 0..<min(one.count, many.count) {
            #expect(many.stateArray(index) == one.stateArray(index))
            #expect(many.parent(index) == one.parent(index))
            #expect(many.action(index) == one.action(index))
        }
    }

    /// 216,000 states: the index grows past `StateStore.parallelReindexMinimum`, so two threads rebuild it
    /// together (slot ranges entered without atomics, `StateStore.reindexPartitioned`); every state is still
    /// found at its number, and the store equals the one-thread store.
    @Test func parallelIndexRebuildFindsEveryState() throws {
        let model = """
            model cube
            var a: 0..59 = 0
            var b: 0..59 = 0
            var c: 0..59 = 0
            action incA when a < 59 { a := a + 1 }
            action incB when b < 59 { b := b + 1 }
            action incC when c < 59 { c := c + 1 }
            reachable Corner: a == 59 && b == 59 && c == 59
            """
        let system = try buildSystem(model)
        #expect(216_000 > StateStore.parallelReindexMinimum * 3)
        let one = ExplicitExplorer(system: system, file: "test.vmc").run().graph.store
        var options = ExplorerOptions()
        options.threads = 2
        // Every growth in a parallel round (a round on one thread grows the store as the one-thread search does).
        options.parallelRounds = .always
        let many = ExplicitExplorer(system: system, options: options, file: "test.vmc").run().graph.store
        #expect(one.count == 216_000)
        #expect(many.count == one.count)
        var mismatches = 0
        for index in 0..<min(one.count, many.count) {
            if many.find(many.state(index)) != index || many.stateArray(index) != one.stateArray(index)
                || many.parent(index) != one.parent(index) || many.action(index) != one.action(index) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    @Test func mixedModelFindsEveryKindOfViolation() throws {
        let result = try explore(Self.mixed)
        #expect(result.statistics.states == 32_768)
        for name in ["Late", "Small", "Bounded", "deadlock", "bounds"] {
            #expect(try result.property(name).verdict == .violated)
        }
        #expect(try result.property("InRange").verdict == .holds)
        #expect(try result.property("Small").trace?.length == 6)
        // The shortest bounds violation is InRange's evaluation at k = 6, not poke's failing store one step later.
        let bounds = try #require(try result.property("bounds").trace)
        #expect(bounds.length == 6)
        #expect(bounds.failure == nil)
        #expect(bounds.steps.dropFirst().allSatisfy { $0.action == "move" })
        #expect(try result.property("bounds").note == "while evaluating a property: index 6 is outside 0..5")
        #expect(try result.property("AllTwo").verdict == .reachable)
        #expect(try result.property("Far").verdict == .reachable)
    }

    @Test(arguments: [1, 2, 7, 250, 4_000, 20_000], chunkSizes)
    func stateLimitStopsWhereTheOneThreadSearchStops(limit: Int, chunkStates: Int) throws {
        var options = ExplorerOptions()
        options.chunkStates = chunkStates
        options.budget.maxStates = limit
        let one = try explore(Self.mixed, options: options)
        for chunksPerRound in [256, 2] {
            for pattern in Self.roundPatterns {
                options.threads = 2
                options.parallelChunksPerRound = chunksPerRound
                options.roundModePattern = pattern
                Self.assertSameRun(try explore(Self.mixed, options: options), one, threads: 2)
            }
        }
    }

    /// Rounds run on across the end of a level (`LevelCursor`) with the one-thread search's chunks: a state limit
    /// every 53 states where the levels shrink (from about 29,000 states on, the next level has fewer stored
    /// states than a round of 16 chunks of 64 has room for) stops both searches in the same chunk, with the same
    /// transitions counted and the same depth. A round that took the next level's stored states up to the last, as
    /// a shorter chunk where the one-thread search has a whole one, makes this fail.
    @Test func stateLimitsAcrossLevelsStopWhereTheOneThreadSearchStops() throws {
        let system = try buildSystem(Self.mixed)
        for limit in stride(from: 28_000, to: 32_800, by: 53) {
            var options = ExplorerOptions()
            options.chunkStates = 64
            options.budget.maxStates = limit
            let one = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
            options.threads = 2
            options.parallelChunksPerRound = 16
            options.roundModePattern = [.parallel]
            let many = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
            Self.assertSameRun(many, one, threads: 2)
        }
    }

    @Test(arguments: [256, 1], [[RoundPacer.Mode.parallel], [.sequential]])
    func parallelSearchStopsBeforeGrowingPastTheMemoryLimit(chunksPerRound: Int, pattern: [RoundPacer.Mode]) throws {
        var options = ExplorerOptions()
        options.threads = 2
        options.parallelChunksPerRound = chunksPerRound
        options.roundModePattern = pattern
        options.budget.maxMemoryBytes = 300_000
        let result = try explore(Self.mixed, options: options)
        #expect(!result.statistics.complete)
        #expect(result.statistics.stopReason == .memoryLimit(bytes: 300_000))
        #expect(result.statistics.engineBytes <= 300_000)
        #expect(result.statistics.states < 32_768)
        #expect(try result.property("InRange").verdict == .unknown)
        // What was found before the stop keeps its verdict and its shortest trace.
        #expect(try result.property("Small").verdict == .violated)
        #expect(try result.property("Small").trace?.length == 6)
    }

    @Test func parallelSearchHonoursTheStateLimit() throws {
        var options = ExplorerOptions()
        options.threads = 2
        options.budget.maxStates = 500
        let result = try explore(BudgetTests.large, options: options)
        #expect(result.statistics.states == 500)
        #expect(result.statistics.stopReason == .stateLimit(500))
        #expect(try result.property("Fine").verdict == .unknown)
    }
}
