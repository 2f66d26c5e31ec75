/// Lasso-shaped bounded model checking for liveness, on an unrolling `s0 ... sk` of its own, with one
/// extra copy of the state (the loop state) and a few Booleans per frame (the loop encoding below): a violation
/// of length k is a path of k steps from an initial state that
///
/// - stays in the property's region (for `eventually P`: `P` false in every state; for `P ~> Q`: some state
///   satisfies `P` and `Q` is false from there on), and
/// - ends in a state without successors, or comes back to an earlier state `sl` (`sk == sl`) on a loop that stays
///   in the region and is fair: every fair ground action is taken on one of the loop's steps or has no successor
///   in one of its states.
///
/// Depths are asked in order, so the first lasso found has the fewest steps, and the unrolling is never deeper
/// than the depth asked: a step asserted past frame k would force frame k to have a successor and hide every
/// lasso that ends in a dead end there (which is why the unrolling is not the safety search's, which may have
/// gone to --smt-depth before). The explorer's lassos are not
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

    // The loop: one loop state `L` and, per frame i, a selector `sel_i` asserted to imply `s_i == L`, with
    // running definitions asserted once per frame (fresh Booleans), so a query at depth k adds `s_k == L` and
    // a few literals instead of k loop candidates, and the solver keeps the per-frame terms across queries.
    /// The loop state `L`, made with the first frame.
    private var loopState: Frame?
    /// Per frame i: some selector at or before i is set (frame i lies in the loop).
    private var inLoop: [Term] = []
    /// Per frame i, per fair action: its obligation is met by a loop step j -> j + 1 with j + 1 <= i.
    private var metSoFar: [[Term]] = []
    /// Per frame i, per liveness property: its goal holds in some loop frame up to i.
    private var goalInLoop: [[Term]] = []

    private var z3: Z3Context { liveness.z3 }

    init(liveness: LivenessEncoding, bmc: BoundedModelChecker) {
        self.liveness = liveness
        self.bmc = bmc
    }

    /// Makes sure the unrolling and the per-frame terms reach frame k.
    private func ensure(_ k: Int) throws {
        guard bmc.depth <= k else { throw SMTError("internal error: the lasso unrolling (depth \(bmc.depth)) is deeper than \(k)") }
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
            try extendLoop(i)
        }
    }

    /// A fresh Boolean defined as `value`, the definition asserted for good (any path satisfies it).
    private func define(_ name: String, _ value: Term) throws -> Term {
        let variable = try z3.constant(name, width: nil)
        try bmc.learn(try z3.iff(variable, value))
        return variable
    }

    /// The selector and running definitions for frame i (frames 0 ... i - 1 done).
    private func extendLoop(_ i: Int) throws {
        let encoding = liveness.encoding
        if loopState == nil { loopState = try encoding.makeFrame("loop_") }
        guard let loopState else { return }
        let frame = bmc.frames[i]
        let selector = try z3.constant("sel\(i)", width: nil)
        try bmc.learn(try z3.implies(selector, try liveness.same(frame, loopState)))
        let here = i > 0 ? try define("inloop\(i)", try z3.or(inLoop[i - 1], selector)) : selector
        inLoop.append(here)
        if i == 0 {
            metSoFar.append(try liveness.fairActions.map { _ in try z3.falseTerm })
        } else {
            var met: [Term] = []
            for f in liveness.fairActions.indices {
                met.append(try define("met\(i)_\(f)", try z3.or(metSoFar[i - 1][f], try z3.and(inLoop[i - 1], obligations[i - 1][f]))))
            }
            metSoFar.append(met)
        }
        var goals: [Term] = []
        for p in liveness.properties.indices {
            let hit = try z3.and(here, self.goals[i][p])
            goals.append(i > 0 ? try define("goalinloop\(i)_\(p)", try z3.or(goalInLoop[i - 1][p], hit)) : hit)
        }
        goalInLoop.append(goals)
    }

    /// The condition (over frames 0 ... k) that the unrolling is a violation of liveness property `p` (an index
    /// into `liveness.properties`) of exactly k steps: in the region at k, and a dead end at k or a loop back
    /// from k to the earliest selected frame l < k (`s_l == L == s_k`) on which every fair action's obligation
    /// is met and, for leadsto, the goal is false. Selecting more frames than l only adds constraints, so this
    /// is exactly "some l < k with `s_l == s_k` and a fair, goal-free loop l ... k".
    func violation(_ p: Int, k: Int) throws -> Term {
        try ensure(k)
        guard k > 0, let loopState else { return try z3.and(regions[k][p], deadEnds[k]) }
        var loop = [try liveness.same(bmc.frames[k], loopState), inLoop[k - 1]] + metSoFar[k]
        if liveness.properties[p].trigger != nil { loop.append(try z3.not(goalInLoop[k][p])) }
        return try z3.and(regions[k][p], try z3.or(deadEnds[k], try z3.and(loop)))
    }
}
