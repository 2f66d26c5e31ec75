/// Lasso-shaped bounded model checking for liveness, on the safety search's own unrolling `s0 ... sk` (no copy
/// of the state, no extra variables): a violation of length k is a path of k steps from an initial state that
///
/// - stays in the property's region (for `eventually P`: `P` false in every state; for `P ~> Q`: some state
///   satisfies `P` and `Q` is false from there on), and
/// - ends in a state without successors, or comes back to an earlier state `sl` (`sk == sl`) on a loop that stays
///   in the region and is fair: every fair ground action is taken on one of the loop's steps or has no successor
///   in one of its states.
///
/// Depths are asked in order, so the first lasso found has the fewest steps. The explorer's lassos are not
/// always shortest (it takes the nearest fair component, then builds a loop through it), so only the verdicts
/// of the two engines are compared, never the lengths of their lassos.
final class LassoSearch {
    let liveness: LivenessEncoding
    let bmc: BoundedModelChecker
    /// Per frame, per liveness property: the goal holds there.
    private var goals: [[Term]] = []
    /// Per frame, per liveness property: the path up to this frame can be the start of a violation (for
    /// `eventually`: no goal so far; for `leadsto`: a trigger at some frame t and no goal from t to here).
    private var regions: [[Term]] = []
    /// Per frame i (but the last), per fair action: its obligation is met by the step from frame i to i + 1.
    private var obligations: [[Term]] = []
    /// Per frame: no successor.
    private var deadEnds: [Term] = []

    private var z3: Z3Context { liveness.z3 }

    init(liveness: LivenessEncoding, bmc: BoundedModelChecker) {
        self.liveness = liveness
        self.bmc = bmc
    }

    /// Makes sure the unrolling and the per-frame terms reach frame k.
    private func ensure(_ k: Int) throws {
        while bmc.depth < k { try bmc.extend() }
        let encoding = liveness.encoding
        while goals.count <= k {
            let i = goals.count
            let frame = bmc.frames[i]
            var goalHere: [Term] = []
            var regionHere: [Term] = []
            for (p, property) in liveness.properties.enumerated() {
                let goal = try encoding.instantiate(property.goal, at: frame)
                goalHere.append(goal)
                let avoid = try z3.not(goal)
                if let trigger = property.trigger {
                    let triggered = try encoding.instantiate(trigger, at: frame)
                    let earlier = i > 0 ? regions[i - 1][p] : try z3.falseTerm
                    regionHere.append(try z3.and(avoid, try z3.or(triggered, earlier)))
                } else {
                    regionHere.append(i > 0 ? try z3.and(regions[i - 1][p], avoid) : avoid)
                }
            }
            goals.append(goalHere)
            regions.append(regionHere)
            deadEnds.append(try encoding.instantiate(liveness.deadEnd, at: frame))
            if i > 0 {
                let previous = bmc.frames[i - 1]
                obligations.append(try liveness.fairActions.map { try liveness.obligation($0, from: previous, to: frame) })
            }
        }
    }

    /// The condition (over frames 0 ... k) that the unrolling is a violation of liveness property `p` (an index
    /// into `liveness.properties`) of exactly k steps.
    func violation(_ p: Int, k: Int) throws -> Term {
        try ensure(k)
        let isLeadsto = liveness.properties[p].trigger != nil
        var loops: [Term] = [deadEnds[k]]
        // Walking l down from k - 1: each fair action's "met somewhere on the loop l ... k" and, for leadsto,
        // "the goal is false on the whole loop" (the trigger may lie inside the loop).
        var met: [Term] = try liveness.fairActions.map { _ in try z3.falseTerm }
        var clean = try z3.not(goals[k][p])
        for l in stride(from: k - 1, through: 0, by: -1) {
            for f in met.indices { met[f] = try z3.or(obligations[l][f], met[f]) }
            var conjuncts = [try liveness.same(bmc.frames[l], bmc.frames[k])] + met
            if isLeadsto {
                clean = try z3.and(try z3.not(goals[l][p]), clean)
                conjuncts.append(clean)
            }
            loops.append(try z3.and(conjuncts))
        }
        return try z3.and(regions[k][p], try z3.or(loops))
    }
}
