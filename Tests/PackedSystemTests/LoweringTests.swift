import ModelLanguage
import PackedSystem
import Testing

/// Each construct, lowered and evaluated on concrete packed states: guards true and false, exact successor words.
@Suite struct LoweringTests {
    /// A system with helpers to build states by cell name and to fire actions by label.
    struct Harness {
        let system: TransitionSystem
        let machine: Machine

        init(_ text: String) throws {
            let source = SourceFile(name: "lowering.vmc", text: text)
            let model = try Frontend.check(source).get()
            system = try SystemBuilder.build(model).get()
            machine = system.makeMachine()
        }

        /// The packed words with the named cells set (others zero-ordinal, i.e. their type's first value).
        func state(_ cells: [String: Int64]) throws -> [UInt64] {
            var words = [UInt64](repeating: 0, count: system.wordCount)
            for field in system.layout.fields { field.write(field.type.lowerBound, into: &words) }
            for (name, value) in cells {
                let index = try #require(system.cellNames.firstIndex(of: name), "no cell \(name)")
                system.layout.fields[index].write(value, into: &words)
            }
            return words
        }

        /// Fires the ground action with the given label; nil when disabled, else its successors.
        func fire(_ label: String, on state: [UInt64]) throws -> [[UInt64]]? {
            let action = try #require(system.actions.firstIndex { $0.label == label }, "no action \(label)")
            return try state.withUnsafeBufferPointer { buffer -> [[UInt64]]? in
                let base = try #require(buffer.baseAddress)
                guard machine.fire(action, base) else { return nil }
                return (0..<machine.successorCount).map {
                    Array(UnsafeBufferPointer(start: machine.successors + $0 * system.wordCount, count: system.wordCount))
                }
            }
        }

        /// The value of a property's predicate in a state.
        func holds(_ property: String, in state: [UInt64]) throws -> Bool {
            let spec = try #require(system.properties.first { $0.info.name == property })
            let program = try #require(spec.predicateProgram)
            return state.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { machine.evaluate(program, $0) != 0 } ?? false }
        }
    }

    @Test func layoutUsesTheFewestBitsAndNeverStraddlesWords() throws {
        let h = try Harness("""
            model layout
            type S = enum { A, B, C, D, E }
            var flag: bool = false
            var s: S = A
            var n: 3..12 = 3
            var wide: [0..5] 0..1000 = 0
            """)
        let widths = h.system.layout.fields.map(\.width)
        #expect(widths == [1, 3, 4, 10, 10, 10, 10, 10, 10])
        for field in h.system.layout.fields { #expect(field.shift + field.width <= 64) }
        #expect(h.system.layout.wordCount == 2)
        // Ranges store the ordinal: 12 is stored as 9.
        let words = try h.state(["n": 12])
        #expect((words[0] >> 4) & 0xF == 9)
    }

    @Test func booleanAndComparisonOperators() throws {
        let h = try Harness("""
            model ops
            var a: bool = false
            var b: bool = false
            var x: 0..9 = 0
            action act when (a -> b) && (a <-> b) && !(x > 5) && x >= 2 && x != 3 || x == 9 { x := 0 }
            """)
        #expect(try h.fire("act", on: h.state(["x": 2])) != nil)
        #expect(try h.fire("act", on: h.state(["x": 3])) == nil)
        #expect(try h.fire("act", on: h.state(["x": 6])) == nil)
        #expect(try h.fire("act", on: h.state(["x": 9, "a": 1])) != nil)      // the || branch
        #expect(try h.fire("act", on: h.state(["x": 2, "a": 1])) == nil)      // a -> b fails
        #expect(try h.fire("act", on: h.state(["x": 2, "a": 1, "b": 1])) != nil)
        #expect(try h.fire("act", on: h.state(["x": 2, "b": 1])) == nil)      // a <-> b fails
    }

    @Test func arithmeticOnRanges() throws {
        let h = try Harness("""
            model arith
            var x: -5..20 = 0
            var y: 0..7 = 0
            action calc { x := (y * 3 - 4) / 2 + y % 3  y := -x + 5 }
            """)
        let successors = try #require(try h.fire("calc", on: h.state(["x": 1, "y": 5])))
        // x := (15 - 4) / 2 + 5 % 3 = 5 + 2 = 7; y := -1 + 5 = 4 (parallel: reads the old x).
        #expect(successors == [try h.state(["x": 7, "y": 4])])
    }

    @Test func enumsMembershipAndConditionals() throws {
        let h = try Harness("""
            model enums
            type S = enum { STOP, RUNNING, PRE_COPY, ERROR }
            var s: S = STOP
            var t: S = STOP
            action go when s in { RUNNING, PRE_COPY } { t := if s == RUNNING then STOP else ERROR }
            """)
        #expect(try h.fire("go", on: h.state(["s": 0])) == nil)
        #expect(try h.fire("go", on: h.state(["s": 1])) == [try h.state(["s": 1, "t": 0])])
        #expect(try h.fire("go", on: h.state(["s": 2])) == [try h.state(["s": 2, "t": 3])])
    }

    @Test func multiDimensionalArraysWithComputedIndices() throws {
        let h = try Harness("""
            model arrays
            type Dev = 0..2
            var target: [Dev] 0..2 = 0
            var got: [Dev][Dev] bool = false
            action send(i: Dev) when !got[i][target[i]] { got[i][target[i]] := true }
            """)
        let start = try h.state(["target[1]": 2])
        #expect(try h.fire("send(1)", on: start) == [try h.state(["target[1]": 2, "got[1][2]": 1])])
        #expect(try h.fire("send(1)", on: h.state(["target[1]": 2, "got[1][2]": 1])) == nil)
    }

    @Test func tablesDefinitionsQuantifiersAndCount() throws {
        let h = try Harness("""
            model defs
            type S = enum { A, B, C }
            table next: [S][S] S = { A: { A, B, B }, B: { A, B, C }, C: { B, B, C } }
            var cur: [0..2] S = A
            def busy(s: S) = s != A
            def busyCount = count i: 0..2. busy(cur[i])
            action step(i: 0..2, r: S) when next[cur[i]][r] != cur[i] && busyCount < 2 { cur[i] := next[cur[i]][r] }
            invariant AllOrNone: (forall i: 0..2. cur[i] == A) || (exists i: 0..2. busy(cur[i]))
            """)
        #expect(try h.fire("step(0, C)", on: h.state([:])) == [try h.state(["cur[0]": 1])])
        #expect(try h.fire("step(0, A)", on: h.state([:])) == nil)                       // next[A][A] == A
        #expect(try h.fire("step(2, C)", on: h.state(["cur[0]": 1, "cur[1]": 2])) == nil) // two busy already
        #expect(try h.holds("AllOrNone", in: h.state([:])))
        #expect(try h.holds("AllOrNone", in: h.state(["cur[1]": 2])))
    }

    @Test func scalarsetEqualityAndIndexing() throws {
        let h = try Harness("""
            model sets
            type Dev = scalarset(3)
            var owner: Dev = any
            var mark: [Dev] bool = false
            action take(d: Dev) when d != owner && !mark[owner] { owner := d  mark[owner] := true }
            """)
        // Parallel assignment: mark[owner] uses the old owner (Dev#0).
        #expect(try h.fire("take(Dev#2)", on: h.state([:])) == [try h.state(["owner": 2, "mark[Dev#0]": 1])])
        #expect(try h.fire("take(Dev#0)", on: h.state([:])) == nil)
    }

    @Test func chooseLetIfAndAssert() throws {
        let h = try Harness("""
            model choosing
            var x: 0..3 = 0
            var y: 0..3 = 0
            action pick {
              let old = x
              choose v: 0..3 where v != old {
                if v > 1 { y := v } else { y := 0 }
                x := v
              }
            }
            action set2 { choose v in { 1, 3 } { x := v } }
            action guarded { assert Small: x < 3 : "x too large"  x := 0 }
            """)
        let successors = try #require(try h.fire("pick", on: h.state(["x": 1])))
        #expect(successors == [try h.state(["x": 0]), try h.state(["x": 2, "y": 2]), try h.state(["x": 3, "y": 3])])
        #expect(try h.fire("set2", on: h.state([:])) == [try h.state(["x": 1]), try h.state(["x": 3])])
        #expect(try h.fire("guarded", on: h.state(["x": 1])) == [try h.state([:])])
        #expect(try h.fire("guarded", on: h.state(["x": 3])) == [])
        #expect(h.machine.failure == .assertion(property: try #require(h.system.properties.firstIndex { $0.info.name == "Small" })))
    }

    @Test func outOfRangeStoresAndDivisionByZeroFailWithBounds() throws {
        let h = try Harness("""
            model bounds
            var x: 0..3 = 0
            var d: 0..2 = 0
            action inc { x := x + 1 }
            action div { x := 6 / d }
            """)
        #expect(try h.fire("inc", on: h.state(["x": 3])) == [])
        #expect(h.machine.failure == .bounds(detail: "value 4 is outside 0..3"))
        #expect(try h.fire("div", on: h.state(["d": 0])) == [])
        #expect(h.machine.failure == .bounds(detail: "division by zero"))
        #expect(try h.fire("div", on: h.state(["d": 2])) == [try h.state(["x": 3, "d": 2])])
    }

    @Test func nondeterministicInitialValues() throws {
        let h = try Harness("""
            model init
            type S = enum { A, B, C }
            var s: S in { A, C }
            var f: [0..1] bool = any
            var n: 2..4 = 3
            """)
        #expect(h.system.initialStates.count == 8)
        let values = Set(h.system.initialStates.map { h.system.formattedCells($0) })
        #expect(values.contains(["A", "false", "false", "3"]))
        #expect(values.contains(["C", "true", "false", "3"]))
        #expect(!values.contains { $0[0] == "B" })
    }

    @Test func groundingDropsInstancesWhoseGuardIsFalse() throws {
        let h = try Harness("""
            model ground
            type Dev = 0..3
            var on: [Dev] bool = false
            action pair(i: Dev, j: Dev) when i < j { on[i] := true  on[j] := true }
            """)
        #expect(h.system.actions.count == 6)
        #expect(h.system.actions.map(\.label).first == "pair(0, 1)")
    }
}
