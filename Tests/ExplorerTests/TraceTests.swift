import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// Shortest, deterministic counterexamples; deadlock; assertions and bounds at their source location.
@Suite struct TraceTests {
    static let jumps = """
        model jumps
        var n: 0..9 = 0
        action step when n < 9 { n := n + 1 }
        action jump when n < 8 { n := n + 2 }
        invariant NotSix: n != 6
        reachable Nine: n == 9
        terminal n >= 8
        """

    @Test func counterexamplesAreShortest() throws {
        let result = try explore(Self.jumps)
        let trace = try #require(try result.property("NotSix").trace)
        #expect(try result.property("NotSix").verdict == .violated)
        #expect(trace.length == 3)
        #expect(trace.steps.dropFirst().allSatisfy { $0.action == "jump" })
        #expect(trace.steps.last?.values == ["6"])
        let witness = try #require(try result.property("Nine").trace)
        #expect(witness.length == 5)
    }

    @Test func tracesAreDeterministic() throws {
        let first = try explore(Self.jumps)
        let second = try explore(Self.jumps)
        #expect(first.properties == second.properties)
    }

    @Test func deadlockOutsideTerminalStatesIsReported() throws {
        let model = """
            model stuck
            var n: 0..2 = 0
            action inc when n < 2 { n := n + 1 }
            """
        let result = try explore(model)
        #expect(try result.property("deadlock").verdict == .violated)
        #expect(try result.property("deadlock").trace?.length == 2)
        let allowed = try explore(model + "\nterminal n == 2\n")
        #expect(try allowed.property("deadlock").verdict == .holds)
    }

    @Test func assertionFailuresPointAtTheirStatement() throws {
        let result = try explore("""
            model asserts
            var n: 0..3 = 0
            action inc when n < 3 {
              assert Small: n < 2 : "n grew too large"
              n := n + 1
            }
            terminal true
            """)
        let property = try result.property("Small")
        #expect(property.verdict == .violated)
        let trace = try #require(property.trace)
        let failure = try #require(trace.failure)
        #expect(failure.action == "inc")
        #expect(failure.line == 4)
        #expect(failure.column == 3)
        #expect(failure.message == "assertion Small failed: n grew too large")
        #expect(trace.steps.count == 3)
        #expect(trace.length == 3)
    }

    @Test func outOfRangeAssignmentViolatesBounds() throws {
        let result = try explore("""
            model overflow
            var n: 0..3 = 0
            action inc { n := n + 1 }
            terminal true
            """)
        let bounds = try result.property("bounds")
        #expect(bounds.verdict == .violated)
        let failure = try #require(bounds.trace?.failure)
        #expect(failure.message == "value 4 is outside 0..3")
        #expect(failure.line == 3)
        #expect(bounds.trace?.length == 4)
        // The failing action produces no successor: the states are 0..3 only.
        #expect(result.statistics.states == 4)
    }

    @Test func dynamicIndexOutOfRangeViolatesBounds() throws {
        let result = try explore("""
            model index
            var a: [0..2] bool = false
            var i: 0..5 = 0
            action step when i < 5 { i := i + 1 }
            action poke { a[i] := true }
            terminal true
            """)
        #expect(try result.property("bounds").verdict == .violated)
        #expect(try result.property("bounds").trace?.failure?.message == "index 3 is outside 0..2")
    }

    /// A cell or a table read at a field's value (one instruction, `fieldCell` and `fieldTable`) out of range.
    @Test func indexReadAtAFieldOutOfRangeViolatesBounds() throws {
        for (access, message) in [("a[i]", "index 3 is outside 0..2"), ("T[i]", "index 3 is outside 0..2")] {
            let result = try explore("""
                model read
                table T: [0..2] bool = { true, false, true }
                var a: [0..2] bool = false
                var i: 0..5 = 0
                action step when i < 5 { i := i + 1 }
                action peek when \(access) { a[0] := true }
                terminal true
                """)
            #expect(try result.property("bounds").verdict == .violated, "\(access)")
            let trace = try #require(try result.property("bounds").trace, "\(access)")
            #expect(trace.failure?.message == message, "\(access)")
        }
    }

    @Test func parallelAssignmentReadsThePreState() throws {
        let system = try buildSystem("""
            model swap
            var x: 0..3 = 1
            var y: 0..3 = 2
            action swap { x := y  y := x }
            action twice { x := 3  x := 0 }
            """)
        let machine = system.makeMachine()
        let initial = try #require(system.initialStates.first)
        let swapped = try initial.withUnsafeBufferPointer { buffer -> [UInt64] in
            let base = try #require(buffer.baseAddress)
            #expect(machine.fire(0, base))
            return Array(UnsafeBufferPointer(start: machine.successors, count: system.wordCount))
        }
        #expect(system.formattedCells(swapped) == ["2", "1"])
        let overwritten = try initial.withUnsafeBufferPointer { buffer -> [UInt64] in
            let base = try #require(buffer.baseAddress)
            #expect(machine.fire(1, base))
            return Array(UnsafeBufferPointer(start: machine.successors, count: system.wordCount))
        }
        #expect(system.formattedCells(overwritten) == ["0", "2"])
    }

    @Test func chooseInsideIfContinuesWithTheRestOfTheBlock() throws {
        let result = try explore("""
            model branches
            var a: 0..3 = 0
            var done: bool = false
            action go when !done {
              if a == 0 {
                choose v: 1..3 { a := v }
              }
              done := true
            }
            terminal done
            """)
        // Initial (0, false), then (1, true), (2, true), (3, true).
        #expect(result.statistics.states == 4)
        #expect(result.statistics.transitions == 3)
    }
}
