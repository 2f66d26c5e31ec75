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

/// What Z3 said of a lasso given state by state (`LivenessEncoding.check(lasso:...)`).
enum LassoCheck {
    /// Every condition holds in the encoding: the lasso is a violation of the symbolic system.
    case accepted
    /// The encoding does not allow it, with the first condition that fails.
    case rejected(String)
    /// Z3 gave up (time or memory limit), with its reason.
    case unknown(String)
}

extension LivenessEncoding {
    /// Checks in the encoding, with Z3, that the packed states `states` with loop start `loopStart` are a
    /// violation of liveness property `p` (an index into `properties`), exactly as lasso-shaped BMC states one
    /// (`LassoSearch.violation`, for the one loop start given): each frame's cells fixed to the state's ordinals;
    /// the first frame initial; every step a transition of the encoding's relation; the path in the region (for
    /// `eventually`: no goal anywhere; for `leadsto`: a trigger at some t and no goal from t on); and either the
    /// last frame has no successor (`loopStart` is the last step: the execution stays there) or the last frame
    /// equals frame `loopStart`, every fair action's obligation is met on a loop step (taken, or without a
    /// successor in the step's first state), and no goal holds on the loop. Lassos from the explicit graph
    /// (`ExplicitLassos`) are reported only when accepted: this is what makes them the SMT engine's verdicts, so
    /// a disagreement between the compiled machine and the encoding is a rejection, never a verdict.
    func check(lasso states: [[UInt64]], loopStart: Int, property p: Int, memoryMegabytes: Int?,
               timeoutMilliseconds: Int?) throws -> LassoCheck {
        guard !states.isEmpty, loopStart >= 0, loopStart < states.count else { return .rejected("not a lasso") }
        let fields = system.layout.fields
        let k = states.count - 1
        var frames: [Frame] = []
        var fixed: [Term] = []
        for (i, state) in states.enumerated() {
            let frame = try encoding.makeFrame("lasso\(i)_")
            for (field, cell) in zip(fields, frame.cells) {
                guard let cell else { continue }
                fixed.append(try z3.eq(cell, try z3.number(field.read(state) - field.type.lowerBound, width: field.width)))
            }
            frames.append(frame)
        }
        let property = properties[p]
        let goals = try frames.map { try encoding.instantiate(property.goal, at: $0) }
        var conditions: [(String, Term)] = [
            ("the cells do not hold the states' values", try z3.and(fixed)),
            ("the first state is not an initial state", try encoding.initial(frames[0])),
        ]
        for i in 0..<k {
            conditions.append(("step \(i + 1) is not a transition", try encoding.transition(from: frames[i], to: frames[i + 1])))
        }
        if let trigger = property.trigger {
            var starts: [Term] = []
            for t in 0...k {
                starts.append(try z3.and([try encoding.instantiate(trigger, at: frames[t])] + (t...k).map { try z3.not(goals[$0]) }))
            }
            conditions.append(("no trigger is followed by a path without the goal", try z3.or(starts)))
        } else {
            conditions.append(("the goal holds on the path", try z3.and(try goals.map { try z3.not($0) })))
        }
        if loopStart == k {
            conditions.append(("the last state has a successor", try encoding.instantiate(deadEnd, at: frames[k])))
        } else {
            conditions.append(("the last state is not the loop's first", try same(frames[k], frames[loopStart])))
            for action in fairActions {
                let met = try (loopStart..<k).map { try obligation(action, from: frames[$0], to: frames[$0 + 1]) }
                conditions.append(("the loop is not fair to \(system.actions[action].label)", try z3.or(met)))
            }
            conditions.append(("the goal holds on the loop", try z3.and(try (loopStart...k).map { try z3.not(goals[$0]) })))
        }
        let solver = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        for (_, condition) in conditions { try solver.assert(condition) }
        switch try solver.check(timeoutMilliseconds: timeoutMilliseconds) {
        case .satisfiable:
            return .accepted
        case .unknown(let reason):
            return .unknown(reason)
        case .unsatisfiable:
            // Which condition fails: the first whose addition makes the conjunction unsatisfiable (every frame is
            // fixed, so each query is a ground evaluation). A query that does not answer ends the search for it:
            // the same solver is never asked again after a stopped check (Z3 4.8.12 may answer a wrong "sat"
            // after a check cancelled while it bit-blasts, docs/smt.md), and the lasso stays rejected.
            let named = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
            for (reason, condition) in conditions {
                try named.assert(condition)
                switch try named.check(timeoutMilliseconds: timeoutMilliseconds) {
                case .unsatisfiable: return .rejected(reason)
                case .satisfiable: continue
                case .unknown(let why):
                    return .rejected("the conditions do not hold together (which one fails was not found: \(SymbolicRunFormat.describe(why)))")
                }
            }
            return .rejected("the conditions do not hold together")
        }
    }
}
