import Explorer
import PackedSystem

extension LivenessEncoding {
    /// Checks with Z3, in the encoding, a ranking (`LivenessRanking`, from the explicit graph) that certifies
    /// liveness property `p` (an index into `properties`) under Manna and Pnueli's rule for weak fairness. The
    /// ranking becomes one label per state, a decision diagram over the cells (`StateDiagram.labelTerm`): in the
    /// region or not, the rank, the helpful fair action or none; for `leadsto` a second diagram holds the reachable
    /// set (`reachable`, the explicit graph's states). The obligations, each one query on two fresh frames `a`, `b`
    /// in the domain:
    ///
    /// 1. the region contains every initial state without the goal (`eventually`); for `leadsto`, the reachable
    ///    set contains every initial state and is closed under the transition relation, and the region contains
    ///    every reachable trigger state without the goal (the reachable set's two obligations are skipped when
    ///    `closedSets` says this run has shown them for the same states: the invariant finder's certificate or an
    ///    earlier ranking);
    /// 2. a step of any ground action from a region state to a state without the goal stays in the region and
    ///    either lowers the rank or keeps it with the same helpful action, which is not the step's action;
    /// 3. a region state has a successor, and its helpful action (if any) is a fair one and has one there.
    ///
    /// `record` counts each query's seconds (and the diagrams' building) under its obligation's name.
    ///
    /// An execution that avoids the goal forever then stays in the region (1, 2) without ending (3), settles on
    /// one rank, and from there keeps one helpful action, enabled at every step and never taken: not weakly fair.
    /// So no violation exists, in the symbolic system's own terms: a ranking the encoding does not satisfy is
    /// rejected (the machine and the encoding disagree), never a verdict.
    ///
    /// The check runs in a Z3 context of its own (the encoding translated into it, `SystemEncoding.init(translating:
    /// to:)`), deleted when it ends, so its diagrams do not stay in the run's context until the run ends.
    func check(ranking: LivenessRanking, reachable: [[UInt64]]?, property p: Int, memoryMegabytes: Int?, closedSets: ClosedSets? = nil,
               timeoutMilliseconds: () -> Int?, record: (_ what: String, _ seconds: Double) -> Void = { _, _ in }) throws -> LassoCheck {
        let translating = Clock.now()
        let scratch = try Z3Context(memoryMegabytes: memoryMegabytes, interruption: z3.interruption)
        let local = try LivenessEncoding(translating: self, to: try SystemEncoding(translating: encoding, to: scratch))
        record("translation", Clock.now() - translating)
        return try local.checkHere(ranking: ranking, reachable: reachable, property: p, memoryMegabytes: memoryMegabytes, closedSets: closedSets,
                                   timeoutMilliseconds: timeoutMilliseconds, record: record)
    }

    /// `check(ranking:...)` in this encoding's own context.
    private func checkHere(ranking: LivenessRanking, reachable: [[UInt64]]?, property p: Int, memoryMegabytes: Int?, closedSets: ClosedSets?,
                           timeoutMilliseconds: () -> Int?, record: (_ what: String, _ seconds: Double) -> Void) throws -> LassoCheck {
        let property = properties[p]
        if property.trigger != nil, reachable == nil { return .rejected("a leadsto ranking needs the reachable states") }
        let rankBits = bits(for: (ranking.ranks.max() ?? 0) + 1)
        let helpfulBits = bits(for: system.actions.count + 1)
        // The region's label: [region][helpful + 1, 0 for none][rank]; 0 for a state outside it. The reachable set
        // (leadsto only) is a diagram of its own, so the closure query does not carry the ranks.
        let width = 1 + helpfulBits + rankBits
        let building = Clock.now()
        let labels = ranking.states.indices.map { i in
            1 << UInt64(width - 1) | UInt64(ranking.helpful[i].map { $0 + 1 } ?? 0) << UInt64(rankBits) | UInt64(ranking.ranks[i])
        }
        let diagram = try StateDiagram(layout: system.layout, states: ranking.states, labels: labels)
        let a = try encoding.makeFrame("rank_a")
        let b = try encoding.makeFrame("rank_b")
        // Built at each frame (memoised per node) rather than once and substituted: as cheap, and no copy.
        let labelA = try diagram.labelTerm(z3, at: a, width: width)
        let labelB = try diagram.labelTerm(z3, at: b, width: width)
        record("diagram", Clock.now() - building)
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
        let solver = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        /// Asks `query` (must be unsatisfiable) inside push/pop: nil when it is.
        func ask(_ what: String, _ query: Term, limit: Int? = timeoutMilliseconds()) throws -> SolverOutcome? {
            try solver.refute(query, limit: limit, record: { record(what, $0) })
        }
        func verdict(_ outcome: SolverOutcome, _ reason: String) -> LassoCheck {
            if case .unknown(let why) = outcome { return .unknown(why) }
            return .rejected(reason)
        }
        if let trigger = property.trigger, let reachable {
            let set = try StateDiagram(layout: system.layout, states: reachable, labels: Array(repeating: 1, count: reachable.count))
            let reachableA = try set.membership(z3, at: a)
            // The reachable set's closure is checked once per run (`ClosedSets`): the invariant finder's certificate
            // or an earlier ranking may have shown it for the same states.
            if !(closedSets?.contains(reachable) ?? false) {
                if let outcome = try ask("initial states", try z3.and([try encoding.initial(a), domainA, try z3.not(reachableA)])) {
                    return verdict(outcome, "the reachable set misses an initial state")
                }
                if let outcome = try ask("closure", try z3.and([reachableA, domainA, try encoding.transition(from: a, to: b),
                                                                 try z3.not(try z3.and(try set.membership(z3, at: b), domainB))])) {
                    return verdict(outcome, "the reachable set is not closed under the transition relation")
                }
                closedSets?.insert(reachable)
            }
            if let outcome = try ask("trigger", try z3.and([reachableA, domainA, try encoding.instantiate(trigger, at: a), try z3.not(goalA),
                                                            try z3.not(inRegionA)])) {
                return verdict(outcome, "the region misses a reachable trigger state")
            }
        } else if let outcome = try ask("initial states", try z3.and([try encoding.initial(a), domainA, try z3.not(goalA), try z3.not(inRegionA)])) {
            return verdict(outcome, "the region misses an initial state")
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
        var stuck = [try encoding.instantiate(deadEnd, at: a)]
        var fair = [try z3.eq(try helpful(labelA), try z3.number(0, width: helpfulBits))]
        for action in fairActions {
            let chosen = try z3.eq(try helpful(labelA), try z3.number(Int64(action + 1), width: helpfulBits))
            stuck.append(try z3.and(chosen, try z3.not(try encoding.instantiate(encoding.actionHasSuccessor[action], at: a))))
            fair.append(chosen)
        }
        stuck.append(try z3.not(try z3.or(fair)))
        if let outcome = try ask("steps", try z3.and([inRegionA, domainA, try z3.not(goalB), try z3.or(badSteps)])) {
            return verdict(outcome, "a step from the region does not keep to the ranking")
        }
        if let outcome = try ask("stuck", try z3.and([inRegionA, domainA, try z3.or(stuck)])) {
            return verdict(outcome, "a region state is a dead end, or its helpful action is not fair or has no successor there")
        }
        return .accepted
    }

    /// The bits that hold `count` distinct values (at least 1).
    private func bits(for count: Int) -> Int {
        var bits = 1
        while 1 << bits < count { bits += 1 }
        return bits
    }
}
