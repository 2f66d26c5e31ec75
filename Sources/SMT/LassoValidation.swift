import PackedSystem

/// A liveness counterexample rebuilt from a Z3 model and checked on the explorer's own machine.
struct ValidatedLasso {
    /// The steps, `loopStart` set: the last state equals the state of step `loopStart` (or, when they are the
    /// same step, the execution stays in that state forever).
    let trace: Trace
    /// The explorer's remark for a lasso that ends in a state without successors.
    let note: String?
}

extension TraceDecoder {
    /// Checks, with the concrete machine, that `states` (decoded from a lasso-shaped BMC model) is a violation of
    /// liveness property `index` exactly as the explorer defines one, and labels its steps. Throws an internal
    /// error when it is not: a lasso the machine does not confirm is never reported.
    func lasso(_ states: [[UInt64]], property index: Int) throws -> ValidatedLasso {
        guard let first = states.first, let last = states.last else { throw SMTError("internal error: an empty SMT lasso") }
        guard system.initialStates.contains(first) else { throw SMTError("internal error: the SMT lasso does not start in an initial state") }
        let property = system.properties[index]
        let name = property.info.name
        let isLeadsto = property.info.kind == .leadsto
        func holds(_ program: Int32?, _ state: [UInt64]) -> Bool {
            guard let program, case .success(let value) = relation.evaluate(program, in: state) else { return false }
            return value != 0
        }
        let goalProgram = isLeadsto ? property.targetProgram : property.predicateProgram
        let goal = states.map { holds(goalProgram, $0) }
        let trigger = states.map { holds(property.predicateProgram, $0) }
        // successors[i]: the machine's successors of state i (ground action and state), as the explorer's graph has them.
        let successors = states.map { relation.successors(of: $0) }
        for i in states.indices.dropFirst() where !successors[i - 1].contains(where: { $0.state == states[i] }) {
            throw SMTError("internal error: step \(i) of the SMT lasso for \(name) is not a transition of the system")
        }
        let k = states.count - 1
        // The first state of the violating execution's region: for eventually the initial state, for leadsto the
        // latest trigger from which the goal stays false to the end.
        var regionStart: Int? = nil
        if isLeadsto {
            for t in stride(from: k, through: 0, by: -1) {
                if goal[t] { break }
                if trigger[t] { regionStart = t }
            }
        } else if !goal.contains(true) {
            regionStart = 0
        }
        guard regionStart != nil else { throw SMTError("internal error: the SMT lasso for \(name) does not stay clear of its goal") }
        if successors[k].isEmpty {
            return ValidatedLasso(trace: Trace(steps: label(states, successors, loop: nil), loopStart: k),
                                  note: "the execution ends in a state with no successor and stays there forever")
        }
        let fair = system.actions.indices.filter { system.actions[$0].fair }
        for l in stride(from: k - 1, through: 0, by: -1) where states[l] == last {
            // The loop repeats forever, so the goal must stay false on all of it (the trigger may lie inside it).
            if (l..<k).contains(where: { goal[$0] }) { continue }
            let unmet = fair.filter { action in
                !(l..<k).contains { i in
                    !successors[i].contains { $0.action == action }
                        || successors[i].contains { $0.action == action && $0.state == states[i + 1] }
                }
            }
            if unmet.isEmpty {
                return ValidatedLasso(trace: Trace(steps: label(states, successors, loop: l), loopStart: l), note: nil)
            }
        }
        throw SMTError("internal error: the SMT lasso for \(name) does not end in a dead end or a fair loop of the system")
    }

    /// The steps of the lasso. Each step is labelled with the first ground action that produces it, except that
    /// on the loop a fair action the loop never disables labels one of the steps it takes, so a reader sees why
    /// the loop is fair.
    private func label(_ states: [[UInt64]], _ successors: [[Successor]], loop: Int?) -> [TraceStep] {
        var actions: [Int?] = [nil]
        for i in states.indices.dropFirst() {
            actions.append(successors[i - 1].first { $0.state == states[i] }?.action)
        }
        if let loop {
            let k = states.count - 1
            var assigned = Set<Int>()
            for action in system.actions.indices where system.actions[action].fair {
                let alwaysEnabled = (loop..<k).allSatisfy { i in successors[i].contains { $0.action == action } }
                guard alwaysEnabled else { continue }
                if let i = (loop..<k).first(where: { i in
                    !assigned.contains(i) && successors[i].contains { $0.action == action && $0.state == states[i + 1] }
                }) {
                    actions[i + 1] = action
                    assigned.insert(i)
                }
            }
        }
        return states.indices.map { system.step(action: actions[$0], state: states[$0]) }
    }
}
