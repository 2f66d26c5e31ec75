@testable import Explorer
import ModelLanguage
import PackedSystem
import TestSupport
import Testing

/// The successor graph the one-thread search records while it inserts each chunk (`SuccessorGraph`) is the one
/// the liveness checks rebuilt by firing every action on every stored state again: the same edges, in the same
/// order, with the same actions. Then the liveness verdicts, traces and rankings cannot differ either.
@Suite struct SuccessorGraphTests {
    /// Every model in Models/ (each has liveness properties), by name.
    static var libraryModels: [String] { Repository.models().map(\.name) }

    /// The text of a library model.
    static func text(_ name: String) throws -> String {
        try #require(Repository.models().first { $0.name == name }?.text, "no \(name)")
    }

    /// A model with duplicate successors (two actions to the same state), self-loops, a state without
    /// successors, an action that fails in some states (it contributes no successor there) and a branching one.
    static let shapes = """
        model shapes
        var x: 0..7 = 0
        var y: 0..3 = 0
        fair action up when x < 7 { x := x + 1 }
        fair action alsoUp when x < 7 && y == 0 { x := x + 1 }
        action stay when x == 3 { y := y }
        action fork when y < 3 { choose up: bool { if up { y := y + 1 } else { y := 0 } } }
        action risky when x > 5 && y < 3 {
          assert Small: y < 2 : "too big"
          y := y + 1
        }
        eventually Top: x == 7
        leadsto Climb: y == 1 ~> x == 7
        """

    /// Runs the one-thread search and compares its recorded graph with the rebuilt one.
    private func compare(_ system: TransitionSystem, options: ExplorerOptions, _ label: String) throws {
        let run = ExplicitExplorer(system: system, options: options, file: label).run()
        let recorded = try #require(run.graph.successors, "\(label): no graph recorded")
        let rebuilt = SuccessorGraph(rebuiltFrom: run.graph.store, relation: TransitionRelation(system))
        #expect(recorded.stateCount == run.graph.stateCount, "\(label)")
        #expect(recorded.targets.count == rebuilt.targets.count, "\(label)")
        #expect(recorded == rebuilt, "\(label)")
    }

    @Test(arguments: libraryModels) func recordedGraphEqualsTheRebuiltOneOnLibraryModel(_ name: String) throws {
        let system = try buildSystem(try Self.text(name))
        for chunkStates in [ExplicitExplorer.chunkSize, 7] {
            var options = ExplorerOptions()
            options.threads = 1
            options.chunkStates = chunkStates
            try compare(system, options: options, "\(name), chunks of \(chunkStates)")
        }
    }

    @Test func recordedGraphEqualsTheRebuiltOneOnShapes() throws {
        let system = try buildSystem(Self.shapes)
        for chunkStates in [1, 2, 5, ExplicitExplorer.chunkSize] {
            var options = ExplorerOptions()
            options.threads = 1
            options.chunkStates = chunkStates
            try compare(system, options: options, "chunks of \(chunkStates)")
        }
    }

    /// The generated code fills the batch itself; from the start and from a switch midway.
    @Test(.enabled(if: NativeSwitchTests.compilerAvailable)) func recordedGraphEqualsTheRebuiltOneWithNativeCode() throws {
        let system = try buildSystem(Self.shapes)
        for (mode, threshold) in [(NativeMode.on, 0), (.auto, 10)] {
            var options = ExplorerOptions()
            options.threads = 1
            options.chunkStates = 3
            options.native = mode
            options.nativeStateThreshold = threshold
            options.nativeCompileInForeground = true
            try compare(system, options: options, "native \(mode)")
        }
    }

    /// The parallel search records the same graph: from its claims and numbering in parallel rounds, from the
    /// insertion in rounds on one thread, in any mix of the two.
    @Test(arguments: [[RoundPacer.Mode.parallel], [.parallel, .sequential], [.sequential]])
    func parallelSearchRecordsTheSameGraph(pattern: [RoundPacer.Mode]) throws {
        let shapes = try buildSystem(Self.shapes)
        for (chunkStates, chunksPerRound) in [(1, 1), (2, 3), (5, 256)] {
            var options = ExplorerOptions()
            options.threads = 2
            options.chunkStates = chunkStates
            options.parallelChunksPerRound = chunksPerRound
            options.roundModePattern = pattern
            try compare(shapes, options: options, "shapes, two threads, \(chunkStates) x \(chunksPerRound), \(pattern)")
        }
        for name in ["Models/v2-qemu-p2p.vmc", "Models/v1-region-any-user.vmc", "Models/kernel-next-state.vmc"] {
            var options = ExplorerOptions()
            options.threads = 2
            options.chunkStates = 64
            options.parallelChunksPerRound = 4
            options.roundModePattern = pattern
            try compare(try buildSystem(try Self.text(name)), options: options, "\(name), two threads, \(pattern)")
        }
    }

    /// Nothing is recorded where nothing walks the graph (no liveness property), nor kept from a search that
    /// stopped early.
    @Test func onlyACompleteSearchOfALivenessModelHandsOnAGraph() throws {
        let safety = try buildSystem("""
            model safety
            var x: 0..3 = 0
            action up when x < 3 { x := x + 1 }
            invariant Small: x <= 3
            """)
        var one = ExplorerOptions()
        one.threads = 1
        #expect(ExplicitExplorer(system: safety, options: one, file: "safety").run().graph.successors == nil)

        let shapes = try buildSystem(Self.shapes)
        var limited = one
        limited.budget.maxStates = 5
        let stopped = ExplicitExplorer(system: shapes, options: limited, file: "shapes").run()
        #expect(stopped.result.statistics.complete == false)
        #expect(stopped.graph.successors == nil)

        var two = limited
        two.threads = 2
        #expect(ExplicitExplorer(system: shapes, options: two, file: "shapes").run().graph.successors == nil)
    }
}
