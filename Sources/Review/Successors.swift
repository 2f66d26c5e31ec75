import PackedSystem

/// The successors of packed states, by firing every ground action with a machine. Executions that fail (an
/// assertion, `bounds`) produce no successor, as in the explorer.
final class Successors {
    let system: TransitionSystem
    private let machine: Machine
    private let buffer: UnsafeMutablePointer<UInt64>

    init(system: TransitionSystem) {
        self.system = system
        machine = system.makeMachine()
        buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, system.wordCount))
    }

    deinit { buffer.deallocate() }

    /// Calls `body` with each successor of `state` and the index of the ground action that produced it, in action order.
    func forEach(of state: [UInt64], _ body: (_ action: Int, _ successor: [UInt64]) -> Void) {
        let wordCount = system.wordCount
        for (index, word) in state.enumerated() { buffer[index] = word }
        var produced: [(Int, [UInt64])] = []
        let machine = self.machine
        machine.forEachEnabled(buffer) { action in
            guard machine.failure == nil else { return }
            for successor in 0..<machine.successorCount {
                let start = machine.successors + successor * wordCount
                produced.append((action, Array(UnsafeBufferPointer(start: start, count: wordCount))))
            }
        }
        for (action, successor) in produced { body(action, successor) }
    }

    /// Whether the terminal predicate holds in `state`.
    func isTerminal(_ state: [UInt64]) -> Bool {
        for (index, word) in state.enumerated() { buffer[index] = word }
        return machine.evaluate(system.terminalProgram, buffer) != 0
    }
}
