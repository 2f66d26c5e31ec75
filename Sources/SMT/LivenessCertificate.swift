import Explorer
import PackedSystem

/// What the check of one ranking has shown so far, so that a check asked again after it ran out (the driver asks a
/// ranking before the safety methods within a quarter of the time left, and again later) resumes where it stopped
/// rather than asking Z3 again what it already answered. Each obligation is a query of its own about the same
/// certificate (the same ranking and reachable states, the same encoding), so one answered in an earlier context
/// stays answered. Belongs to one ranking and one `stepChunk`.
final class RankingProgress {
    /// The obligations shown: "entry" (the initial or trigger states), "steps" (every step; the last obligation,
    /// "stuck", ends the check).
    var shown: Set<String> = []
    /// The step chunks shown, in `checkSteps`' order.
    var stepChunks = 0

    init() {}
}

extension LivenessEncoding {
    /// Region states per query of the ranking's step obligation at most (`checkSteps`); 0 asks it as one query.
    static let defaultStepChunk = 512

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
               stepChunk: Int = defaultStepChunk, progress: RankingProgress = RankingProgress(), timeoutMilliseconds: () -> Int?,
               record: (_ what: String, _ seconds: Double) -> Void = { _, _ in }) throws -> LassoCheck {
        let translating = Clock.now()
        let scratch = try Z3Context(memoryMegabytes: memoryMegabytes, interruption: z3.interruption)
        let local = try LivenessEncoding(translating: self, to: try SystemEncoding(translating: encoding, to: scratch))
        record("translation", Clock.now() - translating)
        return try local.checkHere(ranking: ranking, reachable: reachable, property: p, memoryMegabytes: memoryMegabytes, closedSets: closedSets,
                                   stepChunk: stepChunk, progress: progress, timeoutMilliseconds: timeoutMilliseconds, record: record)
    }

    /// `check(ranking:...)` in this encoding's own context.
    private func checkHere(ranking: LivenessRanking, reachable: [[UInt64]]?, property p: Int, memoryMegabytes: Int?, closedSets: ClosedSets?,
                           stepChunk: Int, progress: RankingProgress, timeoutMilliseconds: () -> Int?,
                           record: (_ what: String, _ seconds: Double) -> Void) throws -> LassoCheck {
        let property = properties[p]
        if property.trigger != nil, reachable == nil { return .rejected("a leadsto ranking needs the reachable states") }
        // The labels are data: malformed ones are a rejection, never a trap below.
        guard ranking.ranks.count == ranking.states.count, ranking.helpful.count == ranking.states.count,
              ranking.ranks.allSatisfy({ $0 >= 0 }), ranking.helpful.allSatisfy({ $0.map(system.actions.indices.contains) ?? true }) else {
            return .rejected("the ranking's labels are malformed (not one rank and one helpful entry per state, a negative rank, or a helpful action that is no ground action)")
        }
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
        record("diagram", Clock.now() - building)
        func bit(_ label: Term, _ index: Int) throws -> Term {
            try z3.eq(try z3.extract(label, high: index, low: index), try z3.number(1, width: 1))
        }
        func rank(_ label: Term) throws -> Term { try z3.extract(label, high: rankBits - 1, low: 0) }
        func helpful(_ label: Term) throws -> Term { try z3.extract(label, high: rankBits + helpfulBits - 1, low: rankBits) }
        let inRegionA = try bit(labelA, width - 1)
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
        if progress.shown.contains("entry") {
            // Shown by an earlier attempt (and the reachable set's closure with it, in `closedSets`).
        } else if let trigger = property.trigger, let reachable {
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
        progress.shown.insert("entry")
        let stepsFailure = "a step from the region does not keep to the ranking"
        if progress.shown.contains("steps") {
            // Shown by an earlier attempt.
        } else if stepChunk > 0 {
            if let outcome = try checkSteps(ranking, chunkSize: stepChunk, property: property, a: a, b: b, domainA: domainA, domainB: domainB,
                                            memoryMegabytes: memoryMegabytes, progress: progress, timeoutMilliseconds: timeoutMilliseconds,
                                            record: record) {
                return verdict(outcome, stepsFailure)
            }
            progress.shown.insert("steps")
        } else {
            // Per ground action: its step from a region state to a state without the goal must stay in the region
            // and lower the rank, or keep it with the same helpful action when the step is not that action's.
            let labelB = try diagram.labelTerm(z3, at: b, width: width)
            let inRegionB = try bit(labelB, width - 1)
            let lower = try z3.unsignedLess(try rank(labelB), try rank(labelA))
            let keep = try z3.and([try z3.eq(try rank(labelB), try rank(labelA)), try z3.eq(try helpful(labelB), try helpful(labelA)),
                                   try z3.not(try z3.eq(try helpful(labelA), try z3.number(0, width: helpfulBits)))])
            var badSteps: [Term] = []
            for action in system.actions.indices {
                let notThis = try z3.not(try z3.eq(try helpful(labelA), try z3.number(Int64(action + 1), width: helpfulBits)))
                let fine = try z3.and(try z3.and(inRegionB, domainB), try z3.or(lower, try z3.and(keep, notThis)))
                badSteps.append(try z3.and(try encoding.instantiate(encoding.actionTransitions[action], from: a, to: b), try z3.not(fine)))
            }
            if let outcome = try ask("steps", try z3.and([inRegionA, domainA, try z3.not(goalB), try z3.or(badSteps)])) {
                return verdict(outcome, stepsFailure)
            }
            progress.shown.insert("steps")
        }
        var stuck = [try encoding.instantiate(deadEnd, at: a)]
        var fair = [try z3.eq(try helpful(labelA), try z3.number(0, width: helpfulBits))]
        for action in fairActions {
            let chosen = try z3.eq(try helpful(labelA), try z3.number(Int64(action + 1), width: helpfulBits))
            stuck.append(try z3.and(chosen, try z3.not(try encoding.instantiate(encoding.actionHasSuccessor[action], at: a))))
            fair.append(chosen)
        }
        stuck.append(try z3.not(try z3.or(fair)))
        if let outcome = try ask("stuck", try z3.and([inRegionA, domainA, try z3.or(stuck)])) {
            return verdict(outcome, "a region state is a dead end, or its helpful action is not fair or has no successor there")
        }
        return .accepted
    }

    /// Obligation 2 in chunks: the region's states sorted by label (rank, helpful action) and cut into pieces of
    /// one label (r, h) and at most `chunkSize` states. For each piece C the targets are the machine's successors
    /// of C's states (`TransitionRelation`, untrusted: a missing one makes the query satisfiable) that keep to the
    /// ranking by their labels: `fine`, the region states of a lower rank or of rank r with helpful action h (when
    /// h is one), and `lower`, those of a lower rank. C is bad when a state of C has a step to a state without the
    /// goal whose successor is not in `fine` (in the domain), or a step of h's whose successor is not in `lower`.
    /// One query per chunk of consecutive pieces (at most `chunkSize` states in all), on a solver holding the
    /// domain and the transition relation once: a step to a state without the goal from a bad piece of the chunk.
    /// Unsatisfiable for every chunk is exactly obligation 2 for the region's states, whatever the data: a region
    /// state's steps go to the states the certificate's labels allow.
    ///
    /// Why chunks (measured, docs/smt.md "Liveness"): the one query over the whole region relates two copies of
    /// the ranking's diagram through every ground action's transition; a chunk's query has a few hundred source
    /// states and the few their steps reach, as the reachable set's chunked closure (`LayeredCertificate`).
    /// Returns nil when every chunk passed, else the first outcome that is not unsatisfiable.
    private func checkSteps(_ ranking: LivenessRanking, chunkSize: Int, property: Property, a: Frame, b: Frame, domainA: Term, domainB: Term,
                            memoryMegabytes: Int?, progress: RankingProgress, timeoutMilliseconds: () -> Int?,
                            record: (_ what: String, _ seconds: Double) -> Void) throws -> SolverOutcome? {
        let building = Clock.now()
        var position: [[UInt64]: Int] = [:]
        for (index, state) in ranking.states.enumerated() where position[state] == nil { position[state] = index }
        let order = ranking.states.indices.sorted {
            (ranking.ranks[$0], ranking.helpful[$0] ?? -1, $0) < (ranking.ranks[$1], ranking.helpful[$1] ?? -1, $1)
        }
        // Pieces: one label each, at most `chunkSize` states; a query packs consecutive pieces up to `chunkSize`
        // states (v2-user-access's regions of a few hundred states have some 50 labels: one query each cost more
        // in solver calls than their content).
        var pieces: [ArraySlice<Int>] = []
        var start = 0
        for index in order.indices where index > start {
            let (first, this) = (order[start], order[index])
            if index - start >= max(1, chunkSize) || ranking.ranks[this] != ranking.ranks[first] || ranking.helpful[this] != ranking.helpful[first] {
                pieces.append(order[start..<index])
                start = index
            }
        }
        if start < order.count { pieces.append(order[start..<order.count]) }
        var queries: [[ArraySlice<Int>]] = []
        var size = 0
        for piece in pieces {
            if queries.isEmpty || size + piece.count > max(1, chunkSize) {
                queries.append([])
                size = 0
            }
            queries[queries.count - 1].append(piece)
            size += piece.count
        }
        let relation = TransitionRelation(system)
        func diagram(_ rows: [Int], at frame: Frame) throws -> Term {
            try StateDiagram(layout: system.layout, states: rows.map { ranking.states[$0] }, labels: Array(repeating: 1, count: rows.count))
                .membership(z3, at: frame)
        }
        let solver = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        try solver.assert(domainA)
        try solver.assert(try encoding.transition(from: a, to: b))
        let noGoalB = try z3.not(try encoding.instantiate(property.goal, at: b))
        var byAction: [Int: Term] = [:]
        record("steps: setup", Clock.now() - building)
        for (number, query) in queries.enumerated() where number >= progress.stepChunks {
            var cases: [Term] = []
            for piece in query {
                guard let first = piece.first else { continue }
                let rank = ranking.ranks[first]
                let helpful = ranking.helpful[first]
                var fine = Set<Int>()
                var lower = Set<Int>()
                for state in piece {
                    for successor in relation.successors(of: ranking.states[state]) {
                        guard let target = position[successor.state] else { continue }
                        if ranking.ranks[target] < rank {
                            fine.insert(target)
                            lower.insert(target)
                        } else if let helpful, ranking.ranks[target] == rank, ranking.helpful[target] == helpful {
                            fine.insert(target)
                        }
                    }
                }
                var bad = try z3.not(try z3.and(try diagram(fine.sorted(), at: b), domainB))
                if let helpful {
                    let step = try byAction[helpful] ?? encoding.instantiate(encoding.actionTransitions[helpful], from: a, to: b)
                    byAction[helpful] = step
                    bad = try z3.or(bad, try z3.and(step, try z3.not(try z3.and(try diagram(lower.sorted(), at: b), domainB))))
                }
                cases.append(try z3.and(try diagram(Array(piece), at: a), bad))
            }
            let asked = try z3.and(noGoalB, try z3.or(cases))
            if let outcome = try solver.refute(asked, limit: timeoutMilliseconds(), record: { record("steps", $0) }) { return outcome }
            progress.stepChunks = number + 1
        }
        return nil
    }

    /// The bits that hold `count` distinct values (at least 1).
    private func bits(for count: Int) -> Int {
        var bits = 1
        while 1 << bits < count { bits += 1 }
        return bits
    }
}
