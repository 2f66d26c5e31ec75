@testable import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// Coverage (issue 13, item 3): per ground action the firings, the new states and the failures, counted on
/// models small enough to count by hand; the same counts on one thread and on several; dead actions only after
/// a complete search, and only whole actions under symmetry.
@Suite struct CoverageTests {
    /// Five states: x climbs 0..3 with y false, then y flips at x == 3. By hand:
    /// - `up` fires at (0,f), (1,f), (2,f): 3 firings, 3 new states;
    /// - `flip(true)` fires at (3,f) and finds (3,t); `flip(false)` fires at (3,t) and finds nothing new;
    /// - `check` fires once, at (2,f), and fails there (y is false);
    /// - `stuck` needs y with x < 3: never enabled, dead; `impossible` (x > 3) has no ground instance at all.
    static let counted = """
        model counted
        var x: 0..3 = 0
        var y: bool = false
        action up when x < 3 && !y { x := x + 1 }
        action flip(v: bool) when x == 3 && y != v { y := v }
        action check when x == 2 { assert Small: y : "y is false" }
        action stuck when y && x < 3 { x := 0 }
        action impossible when x > 3 { x := 0 }
        expect Small violated
        """

    static func entry(_ coverage: Coverage, _ label: String) throws -> ActionCoverage {
        try #require(coverage.actions.first { $0.label == label }, "no ground action \(label)")
    }

    @Test func countsMatchTheHandCount() throws {
        let result = try explore(Self.counted)
        let coverage = try #require(result.coverage)
        #expect(result.statistics.states == 5)
        #expect(coverage.actions.map(\.label) == ["up", "flip(false)", "flip(true)", "check", "stuck"])
        let expected: [String: (fired: Int, distinct: Int, failures: Int)] = [
            "up": (3, 3, 0), "flip(false)": (1, 0, 0), "flip(true)": (1, 1, 0), "check": (1, 0, 1), "stuck": (0, 0, 0),
        ]
        for (label, counts) in expected {
            let entry = try Self.entry(coverage, label)
            #expect(entry.fired == counts.fired, "\(label) fired")
            #expect(entry.distinctStates == counts.distinct, "\(label) new states")
            #expect(entry.failures == counts.failures, "\(label) failures")
        }
        #expect(coverage.complete)
        #expect(!coverage.symmetry)
        #expect(coverage.declarations == ["up", "flip", "check", "stuck", "impossible"])
        #expect(coverage.deadActions == ["stuck", "impossible"])
        #expect(coverage.deadInstances == ["stuck"])
        #expect(coverage.fired("flip"))
        #expect(!coverage.fired("stuck"))
    }

    /// Without `choose`, every firing that does not fail is one transition, and every stored state but the
    /// initial ones was first found by exactly one action.
    @Test func countsAddUpToTheStatistics() throws {
        for model in ParallelTests.models + [ParallelTests.mixed] where !model.contains("choose") {
            let result = try explore(model)
            let coverage = try #require(result.coverage)
            let firings = coverage.actions.reduce(0) { $0 + $1.fired - $1.failures }
            #expect(firings == result.statistics.transitions)
            let system = try buildSystem(model)
            let found = coverage.actions.reduce(0) { $0 + $1.distinctStates }
            if result.statistics.reductions.isEmpty {
                #expect(found == result.statistics.states - system.initialStates.count)
            } else {
                #expect(found <= result.statistics.states)
            }
        }
    }

    @Test(arguments: [2, 3])
    func severalThreadsCountExactlyLikeOne(threads: Int) throws {
        for model in ParallelTests.models + [ParallelTests.mixed, Self.counted] {
            let one = try #require(try explore(model).coverage)
            for chunksPerRound in [256, 3, 1] {
                var options = ExplorerOptions()
                options.threads = threads
                options.parallelChunksPerRound = chunksPerRound
                let many = try #require(try explore(model, options: options).coverage)
                #expect(many == one, "threads \(threads), \(chunksPerRound) chunks per round")
            }
        }
    }

    @Test func mixedModelCountsFailuresOfBothKinds() throws {
        let coverage = try #require(try explore(ParallelTests.mixed).coverage)
        // `fire(d)` fails its assertion once k >= 4; `poke` fails on an out-of-range store at k = 6 and 7.
        #expect(coverage.actions.filter { $0.action == "fire" }.allSatisfy { $0.failures > 0 && $0.failures < $0.fired })
        let poke = try Self.entry(coverage, "poke")
        #expect(poke.failures > 0 && poke.failures < poke.fired)
        #expect(coverage.deadActions.isEmpty)
    }

    @Test(arguments: [1, 2])
    func aStoppedSearchCallsNothingDead(threads: Int) throws {
        var options = ExplorerOptions()
        options.budget.maxStates = 3
        options.threads = threads
        let result = try explore(Self.counted, options: options)
        let coverage = try #require(result.coverage)
        #expect(!result.statistics.complete)
        #expect(!coverage.complete)
        #expect(coverage.deadActions.isEmpty)
        #expect(coverage.deadInstances.isEmpty)
    }

    /// One device may hold the token at a time (`k` never changes, so `never` is never enabled). The full space
    /// has 4 states and every `drop(d)` fires once; the
    /// reduced space keeps one representative of "some device holds it", so two of the three `drop` instances
    /// never fire there although none is dead: only `never`, which no instance fires, is called dead.
    @Test func underSymmetryOnlyWholeActionsAreDead() throws {
        let model = """
            model token
            type Dev = scalarset(3)
            var on: [Dev] bool = false
            action take(d: Dev) when forall e: Dev. !on[e] { on[d] := true }
            action drop(d: Dev) when on[d] { on[d] := false }
            var k: 0..1 = 0
            action never(d: Dev) when on[d] && k == 1 { on[d] := false }
            """
        var off = ExplorerOptions()
        off.symmetry = false
        let full = try #require(try explore(model, options: off).coverage)
        #expect(full.actions.filter { $0.action == "drop" }.map(\.fired) == [1, 1, 1])
        #expect(full.deadActions == ["never"])
        #expect(full.deadInstances.count == 3)
        #expect(full.deadInstances.allSatisfy { $0.hasPrefix("never(") })

        let reduced = try #require(try explore(model).coverage)
        #expect(reduced.symmetry)
        #expect(reduced.actions.filter { $0.action == "drop" }.map(\.fired).sorted() == [0, 0, 1])
        #expect(reduced.deadActions == ["never"])
        #expect(reduced.deadInstances.isEmpty)
    }
}
