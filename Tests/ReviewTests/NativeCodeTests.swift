import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Review
import Testing

/// The generated C successor generation (`NativeLibrary`, `--native`) against the machine without it: on the
/// states a breadth-first search reaches, `Machine.expand` gives the same successors in the same order with the
/// same actions, the same failing actions with the same failures and addresses, the same firing counts and the
/// same "some action enabled"; and whole searches give the same results. The generated code hands every action
/// that could fail to the machine, so the failing models exercise that fallback.
@Suite struct NativeCodeTests {
    static let statesPerSystem = 1500
    static let combinationsPerModel = 1

    /// Whether a C compiler runs here; without one the comparison tests have nothing to compare (the fallback
    /// test still runs).
    static let compilerAvailable: Bool = (try? run([NativeLibrary.defaultCompiler, "--version"]).status) == 0

    struct Failed: Equatable {
        let action: Int
        let failure: ActionFailure
        let address: Int32
    }

    /// What one full expansion of a state gives, as `ExplicitExplorer.expandState` drives it.
    struct Expansion: Equatable {
        var successors: [[UInt64]] = []
        var actions: [UInt32] = []
        var failures: [Failed] = []
        var anyEnabled = false
        var fired: [Int] = []
    }

    static func expansion(_ machine: Machine, _ state: [UInt64], wordCount: Int) -> Expansion {
        var result = Expansion()
        let fired = UnsafeMutablePointer<Int>.allocate(capacity: max(1, machine.actionCount))
        fired.initialize(repeating: 0, count: max(1, machine.actionCount))
        defer { fired.deallocate() }
        state.withUnsafeBufferPointer { buffer in
            guard let pointer = buffer.baseAddress else { return }
            machine.beginExpansion()
            var action = 0
            while action < machine.actionCount {
                action = machine.expand(pointer, from: action, fired: fired)
                guard action < machine.actionCount, let failure = machine.failure else { break }
                result.failures.append(Failed(action: action, failure: failure, address: machine.failureAddress))
                action += 1
            }
        }
        for k in 0..<machine.successorCount {
            result.successors.append(Array(UnsafeBufferPointer(start: machine.successors + k * wordCount, count: wordCount)))
            result.actions.append(machine.successorActions[k])
        }
        result.anyEnabled = machine.anyEnabled
        result.fired = Array(UnsafeBufferPointer(start: fired, count: machine.actionCount))
        return result
    }

    /// What `Machine.evaluate` gives for one expression on a state: the value, or the failure and its address.
    struct Evaluation: Equatable {
        let value: Int64
        let failure: ActionFailure?
        let address: Int32
    }

    /// The expressions a search evaluates on its states: every property's predicate and `leadsto` target, and the
    /// terminal test (the ones `vmc_evaluate` translates).
    static func predicates(_ system: TransitionSystem) -> [Int32] {
        system.properties.flatMap { [$0.predicateProgram, $0.targetProgram].compactMap { $0 } } + [system.terminalProgram]
    }

    static func evaluations(_ machine: Machine, _ programs: [Int32], _ state: [UInt64]) -> [Evaluation] {
        state.withUnsafeBufferPointer { buffer in
            guard let pointer = buffer.baseAddress else { return [] }
            return programs.map { program in
                let value = machine.evaluate(program, pointer)
                return Evaluation(value: value, failure: machine.failure, address: machine.failure == nil ? 0 : machine.failureAddress)
            }
        }
    }

    /// Compares the native and the plain machine on up to `statesPerSystem` reachable states: their expansions, and
    /// their evaluations of the state properties and the terminal test. Returns the states seen, the failing
    /// actions met and the failed evaluations met.
    @discardableResult
    static func compare(_ system: TransitionSystem, name: String, library: NativeLibrary? = nil) throws
        -> (states: Int, failures: Int, failedEvaluations: Int) {
        let library = try library ?? NativeLibrary.build(system)
        let native = system.makeMachine(native: library)
        let plain = system.makeMachine()
        #expect(native.isNative && !plain.isNative)
        let programs = predicates(system)
        var seen = Set(system.initialStates)
        var queue = system.initialStates
        var next = 0
        var failures = 0
        var failedEvaluations = 0
        while next < queue.count, next < statesPerSystem {
            let state = queue[next]
            next += 1
            let expected = expansion(plain, state, wordCount: system.wordCount)
            failures += expected.failures.count
            let actual = expansion(native, state, wordCount: system.wordCount)
            #expect(actual == expected, "\(name): the native expansion differs in \(state)")
            let expectedValues = evaluations(plain, programs, state)
            failedEvaluations += expectedValues.filter { $0.failure != nil }.count
            #expect(evaluations(native, programs, state) == expectedValues, "\(name): a native evaluation differs in \(state)")
            for successor in expected.successors where seen.insert(successor).inserted { queue.append(successor) }
        }
        return (next, failures, failedEvaluations)
    }

    @Test(.enabled(if: compilerAvailable))
    func everyModelExpandsTheSameNatively() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Models").path)
            .filter { $0.hasSuffix(".vmc") }.sorted()
        #expect(names.count >= 10)
        var compared = 0
        for name in names {
            for (assignment, system) in try ModelLoader.loadCombinations(.file(modelPath(name))).prefix(Self.combinationsPerModel) {
                // The models whose C is over 1 MB (v2-device, v2-qemu-p2p, v2-qemu80, v2-hypothetical-no-p2p-step:
                // 1.5 to 4.3 MB, 2 to 10 s of cc each) are left out to keep the suite's time; the generator translates
                // every instruction the same way whatever the model's size.
                guard let library = try? NativeLibrary.build(system, sourceLimit: 1 << 20) else { continue }
                try Self.compare(system, name: "\(name) \(assignment)", library: library)
                compared += 1
            }
        }
        #expect(compared >= 10)
    }

    @Test(.enabled(if: compilerAvailable))
    func theBenchmarkModelsExpandTheSameNatively() throws {
        for (file, constant, value) in [("p2p-scale.vmc", "N", "3"), ("p2p-scale-sym.vmc", "N", "3"), ("deep.vmc", "K", "3")] {
            let path = repositoryRoot.appendingPathComponent("Benchmarks/\(file)").path
            let system = try ModelLoader.load(.file(path), overrides: [ConstantOverride(name: constant, value: value)])
            #expect(try Self.compare(system, name: file).states > 100)
        }
    }

    /// Every construct the generator translates, and every way the interpreter fails (a store outside the type,
    /// an index out of range, read through a field (`a[q]`, `weight[q]`: `fieldCell`, `fieldTable`) or computed,
    /// an overflow, a division by zero, a false assert), each of which the generated code
    /// must hand to the machine: `choose` with filters, computed indices on both sides, tables, `in` over close and
    /// far values, division and remainder, negation, conditionals.
    @Test(.enabled(if: compilerAvailable))
    func failingAndForkingActionsFallBackToTheMachine() throws {
        let (states, failures, failedEvaluations) = try Self.compare(Self.failingSystem(), name: "native")
        #expect(states == Self.statesPerSystem)
        #expect(failures > 100)
        #expect(failedEvaluations > 100)
    }

    /// The translated expressions are the ones evaluated: on the failing model's properties, `vmc_evaluate` answers
    /// (returns 0) for every one on a state where none can fail, and declines (1) an address it does not translate.
    @Test(.enabled(if: compilerAvailable))
    func theStatePropertiesAreEvaluatedNatively() throws {
        let system = try Self.failingSystem()
        let library = try NativeLibrary.build(system)
        let programs = Self.predicates(system)
        #expect(programs.count == 6)
        var value: Int64 = -1
        let state = try #require(system.initialStates.first)
        try state.withUnsafeBufferPointer { buffer in
            let pointer = try #require(buffer.baseAddress)
            for program in programs {
                #expect(library.evaluate(program, pointer, &value) == 0, "program \(program) not translated")
            }
            let action = try #require(system.actions.first)
            #expect(library.evaluate(action.program, pointer, &value) == 1)
        }
    }

    /// The model of `failingAndForkingActionsFallBackToTheMachine`.
    static func failingSystem() throws -> TransitionSystem {
        try system("""
            model native
            type Dev = 0..2
            const K = 4
            table weight: [Dev] -3..3 = { 2, -3, 1 }
            var a: [Dev] 0..K = 0
            var b: -5..5 = 0
            var p: Dev = 0
            var big: 0..200 = 0
            var q: 0..4 = 0
            action step(i: Dev) when a[i] < K { a[i] := a[i] + 1 }
            action move when q < 4 { q := q + 1 }
            action peek when a[q] > 1 { b := 0 }
            action weigh when q > 0 && b < 2 { b := weight[q] }
            action shift when true { p := (p + 1) % 3 }
            action pick when b < 3 {
              choose x: -2..2 where x != 0 {
                b := b + x * weight[p]
              }
            }
            action index when a[0] >= 1 { a[a[0]] := 0 }
            action divide when a[1] in {0, 2} { b := (b - 1) / a[1] }
            action wide when big in {0, 100, 199} || a[2] == 3 { big := big + 99 }
            action neg when b != 0 { b := -b }
            action check when a[2] == 2 {
              assert Small: a[0] + a[1] < 6 : "too large"
              a[2] := if a[0] > 1 then 0 else 1
            }
            invariant Indexed: a[b + 2] >= 0 || weight[q] > 5
            invariant Divided: 12 / (a[1] - 1) != 5 && -b != 7
            reachable Far: big == 198 && a[a[0] % 3] in {1, 3}
            leadsto Back: b > 2 ~> b < 0
            terminal a[0] == K && big > 100
            """)
    }

    /// The one-thread search's chunk expansion (`vmc_expand_chunk`) writes what `Machine.expand` gives, state after
    /// state, into the batch: the same successors and actions, the state expanded as parent, `StateStore.hash` of
    /// each successor (the C repeats the hash), the same firing counts; it stops at each action that fails or could
    /// (the machine then runs it) and at each state without successors (the deadlock check), saying whether that
    /// state already had successors; and it stops at a full batch, the successors of the action that did not fit
    /// dropped. Compared on reachable states of the failing model and of deep, two words per state included.
    @Test(.enabled(if: compilerAvailable))
    func theChunkExpansionWritesWhatTheMachineGives() throws {
        let deepTwo = repositoryRoot.appendingPathComponent("Benchmarks/deep-two-words.vmc").path
        let systems = [try Self.failingSystem(),
                       try ModelLoader.load(.file(deepTwo), overrides: [ConstantOverride(name: "K", value: "3")])]
        for system in systems {
            let library = try NativeLibrary.build(system)
            let plain = system.makeMachine()
            let wordCount = system.wordCount
            // Reachable states, stored back to back as the store holds them.
            var seen = Set(system.initialStates)
            var queue = system.initialStates
            var next = 0
            while next < queue.count, queue.count < 400 {
                for successor in Self.expansion(plain, queue[next], wordCount: wordCount).successors where seen.insert(successor).inserted {
                    queue.append(successor)
                }
                next += 1
            }
            let states = queue.flatMap { $0 }
            for capacity in [3, 1 << 14] {
                var index = 0
                var stops = 0
                while index < queue.count {
                    let words = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity * wordCount)
                    let acts = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
                    let parents = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
                    let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
                    let io = UnsafeMutablePointer<Int64>.allocate(capacity: 5)
                    let fired = UnsafeMutablePointer<Int>.allocate(capacity: max(1, system.actions.count))
                    defer {
                        words.deallocate()
                        acts.deallocate()
                        parents.deallocate()
                        hashes.deallocate()
                        io.deallocate()
                        fired.deallocate()
                    }
                    fired.initialize(repeating: 0, count: max(1, system.actions.count))
                    io[0] = 0
                    io[1] = Int64(capacity)
                    let stop = states.withUnsafeBufferPointer { buffer -> Int in
                        guard let base = buffer.baseAddress else { return queue.count }
                        return Int(library.expandChunk(base, Int64(index), Int64(queue.count), words, acts, parents, hashes, io, fired))
                    }
                    let written = Int(io[0])
                    // What the machine gives from `index` to the stop, and for the stopped state up to its action.
                    var expected = Expansion()
                    var firedExpected = Array(repeating: 0, count: system.actions.count)
                    var parentsExpected: [UInt32] = []
                    for state in index...min(stop, queue.count - 1) {
                        var whole = Self.expansion(plain, queue[state], wordCount: wordCount)
                        if state == stop {
                            let resume = Int(io[3])
                            let kept = whole.actions.prefix { Int($0) < resume }.count
                            #expect((io[4] != 0) == (kept > 0))
                            if resume == system.actions.count { #expect(whole.successors.isEmpty) }
                            whole.successors = Array(whole.successors.prefix(kept))
                            whole.actions = Array(whole.actions.prefix(kept))
                            whole.fired = whole.fired.enumerated().map { $0.offset < resume ? $0.element : 0 }
                        }
                        expected.successors += whole.successors
                        expected.actions += whole.actions
                        parentsExpected += Array(repeating: UInt32(state), count: whole.successors.count)
                        for k in 0..<system.actions.count { firedExpected[k] += whole.fired[k] }
                    }
                    #expect(written == expected.successors.count)
                    guard written == expected.successors.count else { return }
                    for k in 0..<written {
                        let successor = Array(UnsafeBufferPointer(start: words + k * wordCount, count: wordCount))
                        #expect(successor == expected.successors[k])
                        #expect(acts[k] == expected.actions[k] && parents[k] == parentsExpected[k])
                        #expect(hashes[k] == StateStore.hash(words + k * wordCount, wordCount))
                    }
                    #expect((0..<system.actions.count).map { fired[$0] } == firedExpected)
                    if stop < queue.count { stops += 1 }
                    index = stop + 1
                }
                #expect(stops > 0)
            }
        }
    }

    /// Whole searches, with and without native code, give the same results: every verdict, trace, count, note and
    /// coverage row (timings and memory aside).
    @Test(.enabled(if: compilerAvailable))
    func searchesGiveTheSameResultsNatively() throws {
        var systems: [(String, TransitionSystem)] = []
        for name in ["v2-p2p-interrupts.vmc", "v1-region.vmc", "v1-p2p.vmc"] {
            systems.append((name, try modelSystem(name)))
        }
        let deep = repositoryRoot.appendingPathComponent("Benchmarks/deep.vmc").path
        systems.append(("deep.vmc", try ModelLoader.load(.file(deep), overrides: [ConstantOverride(name: "K", value: "6")])))
        for (name, system) in systems {
            var options = ExplorerOptions()
            options.threads = 1
            let plain = ExplicitExplorer(system: system, options: options, file: name).run().result
            options.native = .on
            let native = ExplicitExplorer(system: system, options: options, file: name).run().result
            #expect(native.properties == plain.properties, "\(name): results differ natively")
            #expect(native.coverage == plain.coverage, "\(name): coverage differs natively")
            #expect(native.statistics.states == plain.statistics.states && native.statistics.transitions == plain.statistics.transitions
                    && native.statistics.depth == plain.statistics.depth && native.statistics.notes == plain.statistics.notes, "\(name)")
        }
    }

    /// No compiler, or a compiler that fails: no library, with the reason; the search then runs on the interpreter.
    @Test func aMissingOrFailingCompilerGivesNoLibrary() throws {
        let system = try system("""
            model tiny
            var a: 0..3 = 0
            action up when a < 3 { a := a + 1 }
            terminal a == 3
            """)
        for compiler in ["/nonexistent/cc", "false"] {
            #expect(throws: NativeLibrary.Failure.self) { try NativeLibrary.build(system, compiler: compiler) }
        }
        #expect(throws: NativeLibrary.Failure.self) { try NativeLibrary.build(system, sourceLimit: 100) }
        let source = try system.nativeSource()
        #expect(source.contains("vmc_expand"))
    }
}
