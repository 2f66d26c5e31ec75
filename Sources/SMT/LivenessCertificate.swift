import Explorer
import PackedSystem

extension LivenessEncoding {
    /// Checks with Z3, in the encoding, a ranking (`LivenessRanking`, from the explicit graph) that certifies
    /// liveness property `p` (an index into `properties`) under Manna and Pnueli's rule for weak fairness. The
    /// ranking becomes one label per state, a decision diagram over the cells (`labelDiagram`): in the region or
    /// not, the rank, the helpful fair action or none; for `leadsto` a second diagram says whether the state is
    /// reachable (`reachable`, the explicit graph's states). The obligations, each one query on two fresh frames `a`, `b` in the domain:
    ///
    /// 1. the region contains every initial state without the goal (`eventually`); for `leadsto`, the reachable
    ///    set contains every initial state and is closed under the transition relation, and the region contains
    ///    every reachable trigger state without the goal;
    /// 2. a step of any ground action from a region state to a state without the goal stays in the region and
    ///    either lowers the rank or keeps it with the same helpful action, which is not the step's action;
    /// 3. a region state has a successor, and its helpful action (if any) is a fair one and has one there.
    ///
    /// An execution that avoids the goal forever then stays in the region (1, 2) without ending (3), settles on
    /// one rank, and from there keeps one helpful action, enabled at every step and never taken: not weakly fair.
    /// So no violation exists, in the symbolic system's own terms: a ranking the encoding does not satisfy is
    /// rejected (the machine and the encoding disagree), never a verdict.
    func check(ranking: LivenessRanking, reachable: [[UInt64]]?, property p: Int, memoryMegabytes: Int?,
               timeoutMilliseconds: () -> Int?) throws -> LassoCheck {
        let property = properties[p]
        if property.trigger != nil, reachable == nil { return .rejected("a leadsto ranking needs the reachable states") }
        let rankBits = bits(for: (ranking.ranks.max() ?? 0) + 1)
        let helpfulBits = bits(for: system.actions.count + 1)
        // The region's label: [region][helpful + 1, 0 for none][rank]; 0 for a state outside it. The reachable set
        // (leadsto only) is a diagram of its own, so the closure query does not carry the ranks.
        let width = 1 + helpfulBits + rankBits
        var labels: [[UInt64]: UInt64] = [:]
        for (i, state) in ranking.states.enumerated() {
            let helpful = UInt64(ranking.helpful[i].map { $0 + 1 } ?? 0)
            labels[state] = 1 << UInt64(width - 1) | helpful << UInt64(rankBits) | UInt64(ranking.ranks[i])
        }
        let template = try labelDiagram(labels, width: width)
        let a = try encoding.makeFrame("rank_a")
        let b = try encoding.makeFrame("rank_b")
        let labelA = try encoding.instantiate(template, at: a)
        let labelB = try encoding.instantiate(template, at: b)
        func bit(_ label: Term, _ index: Int) throws -> Term {
            try z3.eq(try z3.extract(label, high: index, low: index), try z3.number(1, width: 1))
        }
        func rank(_ label: Term) throws -> Term { try z3.extract(label, high: rankBits - 1, low: 0) }
        func helpful(_ label: Term) throws -> Term { try z3.extract(label, high: rankBits + helpfulBits - 1, low: rankBits) }
        let inRegionA = try bit(labelA, width - 1)
        let inRegionB = try bit(labelB, width - 1)
        let domainA = try encoding.domain(a)
        let domainB = try encoding.domain(b)
        let goalA = try encoding.instantiate(property.goal, at: a)
        let goalB = try encoding.instantiate(property.goal, at: b)
        var obligations: [(String, Term)] = []
        if let trigger = property.trigger, let reachable {
            var members: [[UInt64]: UInt64] = [:]
            for state in reachable { members[state] = 1 }
            let set = try labelDiagram(members, width: 1)
            let reachableA = try bit(try encoding.instantiate(set, at: a), 0)
            let reachableB = try bit(try encoding.instantiate(set, at: b), 0)
            obligations.append(("the reachable set misses an initial state", try z3.and([try encoding.initial(a), domainA, try z3.not(reachableA)])))
            obligations.append(("the reachable set is not closed under the transition relation",
                                try z3.and([reachableA, domainA, try encoding.transition(from: a, to: b),
                                            try z3.not(try z3.and(reachableB, domainB))])))
            obligations.append(("the region misses a reachable trigger state",
                                try z3.and([reachableA, domainA, try encoding.instantiate(trigger, at: a), try z3.not(goalA),
                                            try z3.not(inRegionA)])))
        } else {
            obligations.append(("the region misses an initial state",
                                try z3.and([try encoding.initial(a), domainA, try z3.not(goalA), try z3.not(inRegionA)])))
        }
        // Per ground action: its step from a region state to a state without the goal must stay in the region and
        // lower the rank, or keep it with the same helpful action when the step is not that action's.
        let lower = try z3.unsignedLess(try rank(labelB), try rank(labelA))
        let keep = try z3.and([try z3.eq(try rank(labelB), try rank(labelA)), try z3.eq(try helpful(labelB), try helpful(labelA)),
                               try z3.not(try z3.eq(try helpful(labelA), try z3.number(0, width: helpfulBits)))])
        var badSteps: [Term] = []
        for action in system.actions.indices {
            let notThis = try z3.not(try z3.eq(try helpful(labelA), try z3.number(Int64(action + 1), width: helpfulBits)))
            let fine = try z3.and(try z3.and(inRegionB, domainB), try z3.or(lower, try z3.and(keep, notThis)))
            badSteps.append(try z3.and(try encoding.instantiate(encoding.actionTransitions[action], from: a, to: b), try z3.not(fine)))
        }
        obligations.append(("a step from the region does not keep to the ranking",
                            try z3.and([inRegionA, domainA, try z3.not(goalB), try z3.or(badSteps)])))
        var stuck = [try encoding.instantiate(deadEnd, at: a)]
        var fair = [try z3.eq(try helpful(labelA), try z3.number(0, width: helpfulBits))]
        for action in fairActions {
            let chosen = try z3.eq(try helpful(labelA), try z3.number(Int64(action + 1), width: helpfulBits))
            stuck.append(try z3.and(chosen, try z3.not(try encoding.instantiate(encoding.actionHasSuccessor[action], at: a))))
            fair.append(chosen)
        }
        stuck.append(try z3.not(try z3.or(fair)))
        obligations.append(("a region state is a dead end, or its helpful action is not fair or has no successor there",
                            try z3.and([inRegionA, domainA, try z3.or(stuck)])))
        let solver = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        for (reason, query) in obligations {
            try solver.push()
            defer { try? solver.pop() }
            try solver.assert(query)
            switch try solver.check(timeoutMilliseconds: timeoutMilliseconds()) {
            case .unsatisfiable: continue
            case .satisfiable: return .rejected(reason)
            case .unknown(let reason): return .unknown(reason)
            }
        }
        return .accepted
    }

    /// The bits that hold `count` distinct values (at least 1).
    private func bits(for count: Int) -> Int {
        var bits = 1
        while 1 << bits < count { bits += 1 }
        return bits
    }

    /// The labels as one bit-vector term over `x`: a decision diagram in the cells' order, each node an `ite`
    /// chain over the values its states take at that cell, 0 for a state without a label (Z3 shares equal
    /// sub-diagrams).
    private func labelDiagram(_ labels: [[UInt64]: UInt64], width: Int) throws -> Term {
        let fields = system.layout.fields
        let cells = fields.indices.filter { encoding.pre.cells[$0] != nil }
        let rows = labels.map { state, label in (cells.map { fields[$0].read(state) - fields[$0].type.lowerBound }, label) }
        let zero = try z3.number(0, width: width)
        func node(_ members: [Int], level: Int) throws -> Term {
            if level == cells.count {
                guard let first = members.first else { return zero }
                return try z3.number(Int64(bitPattern: rows[first].1), width: width)
            }
            var groups: [Int64: [Int]] = [:]
            for member in members { groups[rows[member].0[level], default: []].append(member) }
            guard let cell = encoding.pre.cells[cells[level]] else { throw SMTError("internal error: a cell without bits") }
            var result = zero
            for value in groups.keys.sorted().reversed() {
                let below = try node(groups[value] ?? [], level: level + 1)
                result = try z3.ite(try z3.eq(cell, try z3.number(value, width: fields[cells[level]].width)), below, result)
            }
            return result
        }
        return try node(Array(rows.indices), level: 0)
    }
}
