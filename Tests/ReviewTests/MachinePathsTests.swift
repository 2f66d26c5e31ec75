import Foundation
import ModelLanguage
import PackedSystem
import Review
import Testing

/// The machine's native paths (action kernels, the guard table) against the plain interpreter that tests each
/// action's guard in turn: on the states a breadth-first search reaches, both give the same successors in the
/// same order with the same actions, and the same failing actions with the same failures and addresses.
@Suite struct MachinePathsTests {
    /// States visited per system: enough to reach every phase of the small models, bounded for debug builds.
    static let statesPerSystem = 1500
    /// Combinations compared per model with variants (the first ones, in the matrix's order).
    static let combinationsPerModel = 3

    /// Compares the relations on up to `statesPerSystem` states reachable in `system`; returns the states seen.
    @discardableResult
    static func compare(_ system: TransitionSystem, name: String) -> Int {
        let native = TransitionRelation(system)
        let plain = TransitionRelation(system, kernels: false, guardTable: false)
        var seen = Set(system.initialStates)
        var queue = system.initialStates
        var next = 0
        while next < queue.count, next < statesPerSystem {
            let state = queue[next]
            next += 1
            let successors = native.successors(of: state)
            #expect(successors == plain.successors(of: state), "\(name): successors differ in \(state)")
            #expect(native.failures(in: state) == plain.failures(in: state), "\(name): failures differ in \(state)")
            #expect(native.isDeadlocked(state) == plain.isDeadlocked(state), "\(name): deadlock differs in \(state)")
            for successor in successors where seen.insert(successor.state).inserted { queue.append(successor.state) }
        }
        return next
    }

    @Test func everyModelGivesTheSameSuccessorsAndFailuresOnEveryPath() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Models").path)
            .filter { $0.hasSuffix(".vmc") }.sorted()
        #expect(names.count >= 10)
        for name in names {
            for (assignment, system) in try ModelLoader.loadCombinations(.file(modelPath(name))).prefix(Self.combinationsPerModel) {
                Self.compare(system, name: "\(name) \(assignment)")
            }
        }
    }

    @Test func theBenchmarkModelsGiveTheSameSuccessorsOnEveryPath() throws {
        for (file, constant, value) in [("p2p-scale.vmc", "N", "3"), ("p2p-scale-sym.vmc", "N", "3"), ("deep.vmc", "K", "3")] {
            let path = repositoryRoot.appendingPathComponent("Benchmarks/\(file)").path
            let system = try ModelLoader.load(.file(path), overrides: [ConstantOverride(name: constant, value: value)])
            #expect(Self.compare(system, name: file) > 100)
        }
    }

    /// Kernels for the shapes p2p-scale's `deliver` has: a dispatch on the field a computed index reads, a
    /// conditional update, an assertion (failing in some states) and an out-of-range index at one value (`aim` may
    /// target 3, outside `Dev`).
    @Test func dispatchedConditionalAndAssertingKernelsMatchTheInterpreter() throws {
        let system = try system("""
            model kernels
            type Dev = 0..2
            var state: [Dev] 0..3 = 0
            var target: [Dev] 0..4 = 4
            var data: [Dev] 0..1 = 0
            action aim(i: Dev, j: 0..3) when target[i] == 4 && i != j { target[i] := j }
            action poke(i: Dev) when state[i] < 3 { state[i] := state[i] + 1 }
            action deliver(i: Dev) when target[i] != 4 {
              let j = target[i]
              assert Accepts: state[j] != 2 : "delivered to a stopped device"
              target[i] := 4
              if state[j] in {0, 1} && data[j] < 1 { data[j] := data[j] + 1 } else { state[i] := 0 }
            }
            action drain(i: Dev) when data[i] > 0 { data[i] := 0 }
            terminal true
            """)
        #expect(Self.compare(system, name: "kernels") == Self.statesPerSystem)
    }

    /// `x := x + c` kernels that add to the packed word in place (`KernelStep.Kind.add`): positive and negative
    /// constants, a type not starting at 0, neighbours in the same word, a cell the body stored to before (the add
    /// must not apply: `x` reads the pre-state), and an add that can leave the type (the interpreter's failure).
    @Test func inPlaceAddKernelsMatchTheInterpreter() throws {
        let system = try system("""
            model adds
            var a: 3..12 = 3
            var b: -2..5 = 0
            var c: 0..1 = 0
            action up(k: 1..3) when a <= 12 - k { a := a + k }
            action down when a > 4 && b < 5 { a := a - 2  b := b + 1 }
            action back when b > -2 && c == 1 { b := b - 1  c := 0 }
            action flip when c == 0 { c := 1 }
            action twice when a < 11 { if c == 0 { a := 5 } a := a + 1 }
            action edge when a >= 10 && b == 5 { a := a + 3 }
            terminal true
            """)
        #expect(Self.compare(system, name: "adds") > 100)
    }
}
