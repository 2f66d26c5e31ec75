/// One successor of a state: the ground action that produced it and its packed words.
public struct Successor: Sendable, Hashable {
    /// Index of the ground action in `TransitionSystem.actions`.
    public let action: Int
    /// The successor's packed words, exactly as the action produced them (before any symmetry reduction).
    public let state: [UInt64]

    /// Creates a successor.
    public init(action: Int, state: [UInt64]) {
        self.action = action
        self.state = state
    }
}

/// A state in a sequence of states that no action produces from the state before it.
public struct NotATransition: Error, Sendable, Hashable {
    /// Position of the state in the sequence (the first state is 0, so this is at least 1).
    public let position: Int

    /// Creates the error for the state at `position`.
    public init(position: Int) {
        self.position = position
    }
}

/// The transition relation of a compiled system, for every reader of it except the explorer's inner loop: the
/// successors of a state with their ground actions, the first action from one state to another, the actions that
/// fail in a state, whether a state is a deadlock, and the steps of an execution through given states.
///
/// `Machine.fire` reports through side channels (`successors`, `successorCount`, `failure`, `failureAddress`) that
/// the next call overwrites, so every reader used to repeat the same loop and the same rule about failures; this
/// type states the rule once. The rule, shared with the explorer (`ExplicitExplorer.expandState`): actions are
/// tried in ground-action order; an action is enabled when its guard holds and some execution emits a successor or
/// fails; an action that fails contributes no successor, even where another branch of it emitted one.
///
/// Like `Machine` it is not thread-safe (one relation per thread), and a closure given to it must not call back
/// into the same relation: successor pointers point into the machine's buffer, which the next firing overwrites.
/// The explorer's inner loop keeps its own specialised path (it appends straight from the machine's buffer into
/// its batch and records failures and deadlocks in the same pass).
public final class TransitionRelation {
    /// The system whose relation this is.
    public let system: TransitionSystem
    private let machine: Machine
    private let wordCount: Int
    /// A copy of a state given as an array, so that the machine reads a pointer that stays put while it fires.
    private let input: UnsafeMutablePointer<UInt64>

    /// Creates the relation of a system, with a machine of its own (`kernels` and `guardTable` as for
    /// `TransitionSystem.makeMachine`: off only in the tests that compare the machine's paths).
    public init(_ system: TransitionSystem, kernels: Bool = true, guardTable: Bool = true) {
        self.system = system
        machine = system.makeMachine(kernels: kernels, guardTable: guardTable)
        wordCount = system.wordCount
        input = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, system.wordCount))
    }

    deinit { input.deallocate() }

    // MARK: Successors

    /// Calls `body` with every successor of `state` and the ground action that produced it, in action order and then
    /// in the order the action produced them. `successor` is valid only during the call. Allocates nothing.
    public func forEachSuccessor(of state: UnsafePointer<UInt64>,
                                 _ body: (_ action: Int, _ successor: UnsafePointer<UInt64>) -> Void) {
        let machine = self.machine
        let wordCount = self.wordCount
        machine.forEachEnabled(state) { action in
            guard machine.failure == nil else { return }
            for k in 0..<machine.successorCount { body(action, UnsafePointer(machine.successors + k * wordCount)) }
        }
    }

    /// Every successor of `state` with its ground action, in the order of `forEachSuccessor`.
    public func successors(of state: [UInt64]) -> [Successor] {
        var result: [Successor] = []
        withState(state) { pointer in
            forEachSuccessor(of: pointer) { action, successor in
                result.append(Successor(action: action, state: words(successor)))
            }
        }
        return result
    }

    /// The first successor of `state` (in the order of `forEachSuccessor`) that `matches` accepts; actions after it
    /// are not fired.
    public func firstSuccessor(of state: UnsafePointer<UInt64>, where matches: (UnsafePointer<UInt64>) -> Bool) -> Successor? {
        for action in 0..<machine.actionCount {
            guard machine.fire(action, state), machine.failure == nil else { continue }
            for k in 0..<machine.successorCount {
                let successor = UnsafePointer(machine.successors + k * wordCount)
                if matches(successor) { return Successor(action: action, state: words(successor)) }
            }
        }
        return nil
    }

    /// The first ground action (in order) that leads from `state` to `target`, or nil when none does.
    public func firstAction(from state: [UInt64], to target: [UInt64]) -> Int? {
        withState(state) { pointer in firstSuccessor(of: pointer) { equal($0, target) }?.action }
    }

    // MARK: Failures and deadlock

    /// Every ground action that fails in `state`, in action order, with its failure and the failing instruction.
    public func failures(in state: [UInt64]) -> [FailedAction] {
        var result: [FailedAction] = []
        let machine = self.machine
        withState(state) { pointer in
            machine.forEachEnabled(pointer) { action in
                if let failure = machine.failure {
                    result.append(FailedAction(action: action, failure: failure, address: machine.failureAddress))
                }
            }
        }
        return result
    }

    /// Whether `state` is a deadlock as every engine reports one: no action is enabled (an action that fails counts
    /// as enabled, its failure is reported instead) and no `terminal` predicate holds.
    public func isDeadlocked(_ state: [UInt64]) -> Bool {
        withState(state) { pointer in
            for action in 0..<machine.actionCount where machine.fire(action, pointer) { return false }
            return !holds(system.terminalProgram, in: pointer)
        }
    }

    // MARK: Predicates

    /// The value of a compiled expression (a property's predicate, the terminal predicate) in `state`, or the
    /// failure (a `bounds` violation) that stopped its evaluation.
    public func evaluate(_ program: Int32, in state: UnsafePointer<UInt64>) -> Result<Int64, ActionFailure> {
        let value = machine.evaluate(program, state)
        if let failure = machine.failure { return .failure(failure) }
        return .success(value)
    }

    /// `evaluate` on a state given as an array.
    public func evaluate(_ program: Int32, in state: [UInt64]) -> Result<Int64, ActionFailure> {
        withState(state) { evaluate(program, in: $0) }
    }

    /// Whether a compiled predicate is true in `state`; false when its evaluation fails.
    public func holds(_ program: Int32, in state: UnsafePointer<UInt64>) -> Bool {
        (try? evaluate(program, in: state).get()).map { $0 != 0 } ?? false
    }

    // MARK: Executions

    /// The trace steps of the execution that starts in `states[0]` and passes through the other states: the initial
    /// step, then, for each later state, the first successor of the previous step's state that `matches` it. With
    /// exact matching (`steps(through:)`) this checks and labels a path of concrete states, as the SMT engine's
    /// traces need; with matching up to symmetry it turns a path of representatives into one concrete execution.
    /// Fails with the position of the first state that no successor matches.
    public func steps(through states: [[UInt64]],
                      matching matches: (_ successor: UnsafePointer<UInt64>, _ wanted: [UInt64]) -> Bool)
        -> Result<[TraceStep], NotATransition> {
        guard let first = states.first else { return .success([]) }
        var steps = [system.initialStep(first)]
        var current = first
        for position in states.indices.dropFirst() {
            let wanted = states[position]
            let found = withState(current) { pointer in firstSuccessor(of: pointer) { matches($0, wanted) } }
            guard let found else { return .failure(NotATransition(position: position)) }
            steps.append(system.step(action: found.action, state: found.state))
            current = found.state
        }
        return .success(steps)
    }

    /// The trace steps of a path of concrete states, each step labelled with the first action that produces it.
    public func steps(through states: [[UInt64]]) -> Result<[TraceStep], NotATransition> {
        steps(through: states) { equal($0, $1) }
    }

    // MARK: Helpers

    /// Runs `body` on a copy of `state` that stays in place while the machine fires.
    private func withState<T>(_ state: [UInt64], _ body: (UnsafePointer<UInt64>) -> T) -> T {
        precondition(state.count >= wordCount, "a state of this system has \(wordCount) words")
        for k in 0..<wordCount { input[k] = state[k] }
        return body(input)
    }

    private func words(_ state: UnsafePointer<UInt64>) -> [UInt64] {
        Array(UnsafeBufferPointer(start: state, count: wordCount))
    }

    private func equal(_ state: UnsafePointer<UInt64>, _ other: [UInt64]) -> Bool {
        for k in 0..<wordCount where state[k] != other[k] { return false }
        return true
    }
}
