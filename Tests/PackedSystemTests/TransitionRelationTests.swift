import ModelLanguage
import PackedSystem
import Testing

/// The transition relation on a small hand-written model: successors in action order, the first action between two
/// states, failures, deadlock, predicates, and the trace steps of an execution.
@Suite struct TransitionRelationTests {
    /// Each action is enabled in few states, so every expectation below can be worked out by hand.
    static let source = """
        model relation
        var x: 0..3 = 0
        var y: 0..3 = 0
        var stop: bool = false
        action inc when x < 3 && !stop { x := x + 1 }
        action same when x == 0 && !stop { x := 1 }
        action pick when x == 1 && !stop { choose v in { 1, 2 } { y := v } }
        action check when x == 2 && !stop { assert Small: y < 2 : "y too large"  y := 0 }
        action grow when x == 3 && y > 0 && !stop { y := y + 2 }
        action reset(v: 0..1) when stop && y > 1 { y := v }
        invariant Divides: 6 / (3 - x) >= 0
        terminal stop
        """

    let h: LoweringTests.Harness
    let relation: TransitionRelation

    init() throws {
        h = try LoweringTests.Harness(Self.source)
        relation = TransitionRelation(h.system)
    }

    func action(_ label: String) throws -> Int {
        try #require(h.system.actions.firstIndex { $0.label == label }, "no action \(label)")
    }

    func property(_ name: String) throws -> Int {
        try #require(h.system.properties.firstIndex { $0.info.name == name }, "no property \(name)")
    }

    @Test func successorsComeInActionOrderThenInTheOrderTheActionMadeThem() throws {
        let start = try h.state(["x": 1])
        let expected = [Successor(action: try action("inc"), state: try h.state(["x": 2])),
                        Successor(action: try action("pick"), state: try h.state(["x": 1, "y": 1])),
                        Successor(action: try action("pick"), state: try h.state(["x": 1, "y": 2]))]
        #expect(relation.successors(of: start) == expected)
        // The pointer form visits the same successors in the same order.
        var visited: [Successor] = []
        start.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            relation.forEachSuccessor(of: base) { action, successor in
                visited.append(Successor(action: action, state: Array(UnsafeBufferPointer(start: successor, count: h.system.wordCount))))
            }
        }
        #expect(visited == expected)
    }

    @Test func aFailingActionContributesNoSuccessor() throws {
        // `check` fails its assertion when y >= 2; only `inc` leads on.
        let successors = relation.successors(of: try h.state(["x": 2, "y": 2]))
        #expect(successors.map(\.action) == [try action("inc")])
        // `grow` from y = 2 stores 4 into 0..3; nothing else is enabled.
        #expect(relation.successors(of: try h.state(["x": 3, "y": 2])).isEmpty)
    }

    @Test func firstActionBetweenTwoStates() throws {
        // Both `inc` and `same` lead from x = 0 to x = 1: the first in order is reported.
        #expect(relation.firstAction(from: try h.state([:]), to: try h.state(["x": 1])) == (try action("inc")))
        #expect(relation.firstAction(from: try h.state(["x": 1]), to: try h.state(["x": 1, "y": 2])) == (try action("pick")))
        #expect(relation.firstAction(from: try h.state([:]), to: try h.state(["x": 2])) == nil)
    }

    @Test func failuresInAState() throws {
        let assertion = relation.failures(in: try h.state(["x": 2, "y": 3]))
        #expect(assertion.map(\.action) == [try action("check")])
        #expect(assertion.map(\.failure) == [.assertion(property: try property("Small"))])
        let failure = try #require(assertion.first)
        #expect(h.system.traceFailure(failure).message == "assertion Small failed: y too large")
        #expect(h.system.traceFailure(failure).label == "check")

        let bounds = relation.failures(in: try h.state(["x": 3, "y": 2]))
        #expect(bounds.map(\.action) == [try action("grow")])
        #expect(bounds.map(\.failure) == [.bounds(detail: "value 4 is outside 0..3")])
        #expect(relation.failures(in: try h.state(["x": 2, "y": 1])).isEmpty)
    }

    @Test func failuresOfTheSamePropertyAreAlike() {
        #expect(ActionFailure.bounds(detail: "a").isAlike(.bounds(detail: "b")))
        #expect(ActionFailure.assertion(property: 1).isAlike(.assertion(property: 1)))
        #expect(!ActionFailure.assertion(property: 1).isAlike(.assertion(property: 2)))
        #expect(!ActionFailure.assertion(property: 0).isAlike(.bounds(detail: "")))
    }

    @Test func deadlockIsNoEnabledActionOutsideTheTerminalStates() throws {
        // x = 3, y = 0: nothing is enabled and `stop` is false.
        #expect(relation.isDeadlocked(try h.state(["x": 3])))
        // A failing action counts as enabled: its failure is reported, not a deadlock.
        #expect(!relation.isDeadlocked(try h.state(["x": 3, "y": 2])))
        // Nothing is enabled, but the terminal predicate holds.
        #expect(!relation.isDeadlocked(try h.state(["x": 3, "stop": 1])))
        #expect(!relation.isDeadlocked(try h.state([:])))
    }

    @Test func predicatesEvaluateOrReportTheirFailure() throws {
        let program = try #require(h.system.properties[try property("Divides")].predicateProgram)
        #expect(try relation.evaluate(program, in: try h.state(["x": 1])).get() == 1)
        #expect(throws: ActionFailure.bounds(detail: "division by zero")) {
            try relation.evaluate(program, in: try h.state(["x": 3])).get()
        }
        func terminal(_ state: [UInt64]) throws -> Bool {
            try state.withUnsafeBufferPointer { buffer in relation.holds(h.system.terminalProgram, in: try #require(buffer.baseAddress)) }
        }
        #expect(try terminal(h.state(["stop": 1])))
        #expect(try !terminal(h.state([:])))
    }

    @Test func stepsLabelAPathOfConcreteStates() throws {
        let states = [try h.state([:]), try h.state(["x": 1]), try h.state(["x": 1, "y": 2])]
        let steps = try relation.steps(through: states).get()
        #expect(steps.map(\.label) == ["initial state", "inc", "pick"])
        #expect(steps.map(\.state) == states)
        #expect(steps == [h.system.initialStep(states[0]),
                          h.system.step(action: try action("inc"), state: states[1]),
                          h.system.step(action: try action("pick"), state: states[2])])
        // x jumps from 0 to 2: the second state is not a transition.
        #expect(throws: NotATransition(position: 1)) {
            try relation.steps(through: [try h.state([:]), try h.state(["x": 2])]).get()
        }
        #expect(try relation.steps(through: []).get().isEmpty)
    }

    @Test func stepsUpToAMatchFollowTheConcreteSuccessors() throws {
        // Matching on x alone: the wanted y is ignored, and each step holds the successor actually produced.
        let x = h.system.layout.fields[try #require(h.system.cellNames.firstIndex(of: "x"))]
        let wanted = [try h.state([:]), try h.state(["x": 1, "y": 3]), try h.state(["x": 2, "y": 3])]
        let steps = try relation.steps(through: wanted) { successor, target in x.read(successor) == x.read(target) }.get()
        #expect(steps.map(\.state) == [try h.state([:]), try h.state(["x": 1]), try h.state(["x": 2])])
        #expect(steps.map(\.label) == ["initial state", "inc", "inc"])
    }

    @Test func traceStepsCarryTheGroundActionAndTheFormattedValues() throws {
        let state = try h.state(["y": 1, "stop": 1])
        let step = h.system.step(action: try action("reset(1)"), state: state)
        #expect(step.action == "reset")
        #expect(step.arguments.map(\.value) == [1])
        #expect(step.label == "reset(1)")
        #expect(step.cells == [0, 1, 1])
        #expect(step.values == ["0", "1", "true"])
        #expect(step.values == h.system.formattedCells(state))
        let initial = h.system.initialStep(state)
        #expect(initial.action == nil && initial.arguments.isEmpty && initial.label == "initial state")
    }
}
