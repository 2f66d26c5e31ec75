/// What the own IC3 found for a "bad state" predicate.
enum IC3Outcome {
    /// No reachable state is bad: the conjunction of the negated cubes is an inductive invariant that excludes
    /// the bad states. Not yet checked independently.
    case proved(blocked: [[IC3.Bound]])
    /// Some reachable state is bad: an initial state reaches a bad one in `depth` steps (or fewer: the chain of
    /// obligations is a path, not necessarily the shortest).
    case reachable(depth: Int)
    /// A query ran out of time, was interrupted, or Z3 gave up, with its reason.
    case unknown(String)
}

/// An IC3 of our own (Bradley's IC3, in the form of Een, Mishchenko and Brayton's PDR) over Z3 QF_BV queries, on
/// the same templates as BMC, k-induction and Spacer's Horn clauses. `PropertyDirectedReachability` runs it
/// (`--pdr-engine ic3`) in a context of its own and checks the invariant it returns like Spacer's.
///
/// - Literals are bounds on the cells' ordinals (`Bound`: `x >= v` or `x <= v`), so a cube is a box of cell
///   ranges and a frame clause its complement. A state is the cube of its values (both bounds of every cell),
///   and generalisation widens it: dropping a bound, then moving each bound left as far as the cube stays
///   blocked (a binary search). Measured against literals over the cells' bits on the wide counters: bits
///   needed 11,000 queries on the 8-bit counter and did not prove the 16-bit one in 300 s (the invariant
///   `x <= 200` is nine clauses over bits that are inductive only together), bounds find `x <= 200` as one
///   clause, level by level (docs/smt.md "IC3/PDR").
/// - One incremental solver holds, once: the bits' definitions over the pre-state `x` and post-state `x'`,
///   `Dom(x)` (every frame lies in the domain), and behind activation literals `Init(x)`, `Bad(x)`, `!Bad(x)`
///   and `T(x, x') & Dom(x')` (the transition is behind a literal because a bad state may have no successor:
///   `deadlock` is such a property). `T` is the disjunction of one selector per ground action, so a model says
///   which action a predecessor took.
/// - Frames F_1 ... F_top are kept as deltas: a cube blocked at level k is asserted as `act_k -> !cube`, and
///   F_i is asked by assuming `act_j` for every j >= i; F_0 is `Init`.
/// - A predecessor found by relative induction `F_(i-1) & !c & T & c'` is shrunk by the unsat core of
///   `s & ((T_a & Dom(x') & !c') | !hasSuccessor_a)` over the state's literals, where `a` is the action the model
///   took: every state of the shrunk cube has an `a`-successor and all of them lie in `c`, so it still reaches
///   `c` (an action that chooses among several successors leaves the full state). Bad states are shrunk by the
///   core of `s & !Bad`.
/// - A blocked cube is generalised by the unsat core of the relative induction query over the post-state
///   literals, kept away from the initial states, then literal by literal (MIC with `down`, blocking up to
///   three counterexamples to generalisation one level lower), then bound by bound (widening), and pushed to
///   the highest level where it stays inductive.
/// - Clauses propagate forward after each new frame; a level left empty is the fixpoint F_k = F_(k+1).
///
/// Every query runs under the context's watch with what is left of the query's time limit; a query that does not
/// answer ends the search with `.unknown` (the solver is thrown away with the context: Z3 4.8.12 was seen answering
/// wrongly after an interrupted query, docs/smt.md).
final class IC3 {
    /// A literal: the ordinal of the cell at layout index `cell` is at least (`lower`) or at most `value`.
    struct Bound: Hashable {
        let cell: Int
        let lower: Bool
        let value: Int

        func holds(in values: [Int]) -> Bool { lower ? values[cell] >= value : values[cell] <= value }
    }

    private let z3: Z3Context
    private let encoding: SystemEncoding
    private let solver: Z3Solver
    /// The layout indices of the cells with more than one value, and each one's largest ordinal.
    private let cells: [Int]
    private let largest: [Int: Int]
    /// Per literal code (an index into `bounds`): the bound, and its terms over the pre- and the post-state
    /// (Boolean constants defined once, so they can be assumptions and come back in unsat cores).
    private var bounds: [Bound] = []
    private var codes: [Bound: Int] = [:]
    private var preLiteral: [Term] = []
    private var postLiteral: [Term] = []
    /// The literal code of an assumption term (Z3 shares equal terms, so the handle identifies it).
    private var preCode: [OpaquePointer: Int] = [:]
    private var postCode: [OpaquePointer: Int] = [:]
    private let initialLiteral: Term
    private let badLiteral: Term
    private let goodLiteral: Term
    private let transitionLiteral: Term
    /// Per ground action: its selector in the transition (`selector -> T_a`).
    private let selectors: [Term]
    /// Per level k >= 1: its activation literal (index 0 is unused).
    private var activation: [Term] = []
    /// Per level k >= 1: the cubes blocked at exactly level k (index 0 is unused), each a sorted array of codes.
    private var levels: [[[Int]]] = []
    /// The highest level.
    private(set) var top = 0
    /// The monotonic time at which the query's limit passes, nil for none.
    private let deadline: Double?
    /// How many solver queries were asked (for measurements).
    private(set) var queries = 0
    /// The seconds spent inside those queries.
    private(set) var solverSeconds = 0.0

    private struct Stop: Error { let reason: String }

    /// Sets up the solver for `bad` (a template over the encoding's pre-state) on `encoding`, whose context
    /// should be the query's own.
    init(encoding: SystemEncoding, bad: Term, memoryMegabytes: Int?, timeoutMilliseconds: Int?) throws {
        self.encoding = encoding
        z3 = encoding.z3
        deadline = timeoutMilliseconds.map { Clock.now() + Double(max(1, $0)) / 1000 }
        solver = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        var cells: [Int] = []
        var largest: [Int: Int] = [:]
        for (index, field) in encoding.system.layout.fields.enumerated() where encoding.pre.cells[index] != nil {
            cells.append(index)
            largest[index] = Int(min(field.type.cardinality, 1 << min(field.width, 62))) - 1
        }
        self.cells = cells
        self.largest = largest
        try solver.assert(try encoding.domain(encoding.pre))
        initialLiteral = try z3.constant("ic3_init", width: nil)
        badLiteral = try z3.constant("ic3_bad", width: nil)
        goodLiteral = try z3.constant("ic3_good", width: nil)
        transitionLiteral = try z3.constant("ic3_step", width: nil)
        try solver.assert(try z3.implies(initialLiteral, try encoding.initial(encoding.pre)))
        try solver.assert(try z3.implies(badLiteral, bad))
        try solver.assert(try z3.implies(goodLiteral, try z3.not(bad)))
        var selectors: [Term] = []
        for (index, transition) in encoding.actionTransitions.enumerated() {
            let selector = try z3.constant("ic3_action\(index)", width: nil)
            try solver.assert(try z3.implies(selector, transition))
            selectors.append(selector)
        }
        self.selectors = selectors
        try solver.assert(try z3.implies(transitionLiteral, try z3.and(try encoding.domain(encoding.post), try z3.or(selectors))))
    }

    /// The code of a bound, defining its literals on first use.
    private func code(_ bound: Bound) throws -> Int {
        if let code = codes[bound] { return code }
        let code = bounds.count
        for (frame, name) in [(encoding.pre, "p"), (encoding.post, "q")] {
            guard let cell = frame.cells[bound.cell] else { throw SMTError("internal error: IC3 bound on an empty cell") }
            let width = encoding.system.layout.fields[bound.cell].width
            let number = try z3.number(Int64(bound.value), width: width)
            let literal = try z3.constant("\(name)\(bound.cell)\(bound.lower ? "ge" : "le")\(bound.value)", width: nil)
            try solver.assert(try z3.iff(literal, bound.lower ? try z3.unsignedLessEqual(number, cell) : try z3.unsignedLessEqual(cell, number)))
            if name == "p" {
                preLiteral.append(literal)
                preCode[literal.raw] = code
            } else {
                postLiteral.append(literal)
                postCode[literal.raw] = code
            }
        }
        bounds.append(bound)
        codes[bound] = code
        return code
    }

    /// Runs IC3 until a fixpoint, a counterexample, or a query that does not answer.
    func run() throws -> IC3Outcome {
        do {
            if try satisfiable([initialLiteral, badLiteral]) { return .reachable(depth: 0) }
            try addLevel()
            top = 1
            while true {
                while try satisfiable(frame(top) + [badLiteral]) {
                    let state = try modelValues()
                    let cube = try shrinkBad(state)
                    if let depth = try block(cube, at: top) { return .reachable(depth: depth) }
                }
                try addLevel()
                top += 1
                for k in 1..<top {
                    for cube in levels[k] where levels[k].contains(cube) {
                        guard !(try satisfiable(frame(k) + [transitionLiteral] + cube.map { postLiteral[$0] })) else { continue }
                        levels[k].removeAll { $0 == cube }
                        try add(cube, at: k + 1)
                    }
                    if levels[k].isEmpty {
                        return .proved(blocked: levels[(k + 1)...].joined().map { $0.map { bounds[$0] } })
                    }
                }
            }
        } catch let stop as Stop {
            return .unknown(stop.reason)
        }
    }

    // MARK: Blocking

    private struct Obligation {
        let cube: [Int]
        let level: Int
        /// Steps from a state of the cube to a bad state.
        let depth: Int
    }

    /// Blocks `cube` (bad states, or states reaching them) at `level`, recursively through its predecessors.
    /// Returns the depth of a counterexample when an initial state reaches it, else nil.
    private func block(_ cube: [Int], at level: Int) throws -> Int? {
        var queue = [Obligation(cube: cube, level: level, depth: 0)]
        while !queue.isEmpty {
            // The lowest level first; among equals the latest (depth first towards the initial states).
            var next = 0
            for index in queue.indices where queue[index].level <= queue[next].level { next = index }
            let obligation = queue.remove(at: next)
            let pre = obligation.cube.map { preLiteral[$0] }
            if try satisfiable([initialLiteral] + pre) { return obligation.depth }
            if !(try satisfiable(frame(obligation.level) + pre)) { continue }
            switch try relativeInduction(obligation.cube, level: obligation.level) {
            case .predecessor(let state, let action):
                if obligation.level == 1 { return obligation.depth + 1 }
                let shrunk = try shrinkPredecessor(state, action: action, target: obligation.cube)
                queue.append(obligation)
                queue.append(Obligation(cube: shrunk, level: obligation.level - 1, depth: obligation.depth + 1))
            case .blocked(let core):
                let (generalised, unwidened) = try generalise(core, of: obligation.cube, level: obligation.level)
                var at = obligation.level
                while at < top, try relativeInduction(generalised, level: at + 1).isBlocked { at += 1 }
                try add(generalised, at: at)
                try keepInductive(unwidened, besides: generalised)
                if at < top { queue.append(Obligation(cube: obligation.cube, level: at + 1, depth: obligation.depth)) }
            }
        }
        return nil
    }

    private enum Induction {
        /// A state of F_(level-1) outside the cube (its values per layout index) with a successor in it, and the
        /// action taken.
        case predecessor([Int], action: Int?)
        /// Unsatisfiable: the cube's literals in the core (over the post-state).
        case blocked([Int])

        var isBlocked: Bool {
            if case .blocked = self { return true }
            return false
        }
    }

    /// `F_(level-1) & !cube & T & cube'`.
    private func relativeInduction(_ cube: [Int], level: Int) throws -> Induction {
        try induction(cube, assuming: frame(level - 1))
    }

    /// `frame & !cube & T & cube'`, the frame given as its activation literals (none: the domain alone).
    private func induction(_ cube: [Int], assuming frame: [Term]) throws -> Induction {
        try solver.push()
        defer { try? solver.pop() }
        try solver.assert(try clause(cube))
        let post = cube.map { postLiteral[$0] }
        if try satisfiable(frame + [transitionLiteral] + post) {
            let model = try solver.model()
            let action = try selectors.firstIndex { try model.isTrue($0) }
            return .predecessor(try values(in: model), action: action)
        }
        let core = Set(try solver.unsatCore().compactMap { postCode[$0] })
        return .blocked(cube.filter(core.contains))
    }

    /// The negation of a cube over the pre-state.
    private func clause(_ cube: [Int]) throws -> Term {
        try z3.or(cube.map { try z3.not(preLiteral[$0]) })
    }

    private func intersectsInitial(_ cube: [Int]) throws -> Bool {
        try satisfiable([initialLiteral] + cube.map { preLiteral[$0] })
    }

    /// At most this many counterexamples to generalisation blocked in a row while one literal is dropped, and
    /// how deep such blocking recurses (Hassan, Bradley and Somenzi, "Better generalization in IC3", 2013).
    static let counterexamplesToGeneralisation = 3
    static let generalisationDepth = 1

    /// Also blocks `unwidened` (a generalised cube before its bounds were widened) at the top level, when its
    /// clause is inductive on its own: no state outside it (in the domain) has a successor in it, whatever the
    /// frames say.
    ///
    /// Why: widening moves a bound as far as the cube stays blocked relative to F_(level-1), which is the
    /// tightest bound the states reachable in level - 1 steps satisfy, not the bound the property needs. On a
    /// counter that climbs to 200 the bad cube `x >= 201` widened to `x >= level + 1` at every level, and IC3
    /// learned `x <= 1`, `x <= 2`, ... one frame at a time (8.5 s, release build, idle machine), where `x >= 201`
    /// alone is inductive. A clause inductive on its own that excludes the initial states (`generalise` keeps the cube
    /// away from them before widening) holds in every reachable state, so it is sound at any level; it then
    /// propagates with every new level. One query per widened lemma. Inductive relative to F_top was tried
    /// first and is too weak a test: F_top holds only what a few steps reach, so on the wide counter (which
    /// wraps at 200) many far cubes passed it, were kept, and made the proof slower (8.2 s to 14.1 s).
    private func keepInductive(_ unwidened: [Int], besides widened: [Int]) throws {
        guard unwidened != widened, !levels[top].contains(unwidened),
              try induction(unwidened, assuming: []).isBlocked else { return }
        try add(unwidened, at: top)
    }

    /// A cube that contains `core`'s literals' states, is still blocked relative to F_(level-1), and contains no
    /// initial state: literal by literal, each drop kept when `down` finds a blocked cube inside the rest; then
    /// each bound that is left is moved outwards as far as a binary search keeps the cube blocked. Returns the
    /// cube, and the cube as it was before its bounds were widened (`keepInductive`).
    private func generalise(_ core: [Int], of original: [Int], level: Int, depth: Int = 0) throws -> (cube: [Int], unwidened: [Int]) {
        var cube = try awayFromInitial(core, within: original)
        var index = 0
        while index < cube.count, cube.count > 1 {
            var candidate = cube
            candidate.remove(at: index)
            if let smaller = try down(candidate, level: level, depth: depth) {
                cube = smaller
            } else {
                index += 1
            }
        }
        let unwidened = cube
        for position in cube.indices {
            let bound = bounds[cube[position]]
            // The loosest value known to fail (dropping the bound, where it was tried) and the tightest that holds.
            var failing = bound.lower ? 0 : largest[bound.cell] ?? bound.value
            var holding = bound.value
            while abs(holding - failing) > 1 {
                let middle = (holding + failing) / 2
                var candidate = cube
                candidate[position] = try code(Bound(cell: bound.cell, lower: bound.lower, value: middle))
                if try !intersectsInitial(candidate), try relativeInduction(candidate, level: level).isBlocked {
                    holding = middle
                    cube = candidate
                } else {
                    failing = middle
                }
            }
        }
        return (cube.sorted(), unwidened.sorted())
    }

    /// The largest cube inside `cube` blocked relative to F_(level-1) with no initial state, or nil. A state
    /// outside the cube that reaches it (a counterexample to generalisation) is blocked itself when it is
    /// blocked one level lower (then the cube is asked again); otherwise the cube keeps only the literals that
    /// state satisfies, and is asked again.
    private func down(_ cube: [Int], level: Int, depth: Int) throws -> [Int]? {
        var cube = cube
        var blockedInARow = 0
        while true {
            if try intersectsInitial(cube) { return nil }
            switch try relativeInduction(cube, level: level) {
            case .blocked(let core):
                return try awayFromInitial(core, within: cube)
            case .predecessor(let state, _):
                let stateCube = try self.cube(of: state)
                if depth < Self.generalisationDepth, blockedInARow < Self.counterexamplesToGeneralisation, level > 1,
                   !(try intersectsInitial(stateCube)),
                   case .blocked(var core) = try relativeInduction(stateCube, level: level - 1) {
                    blockedInARow += 1
                    var at = level - 1
                    while at < top, case .blocked(let higher) = try relativeInduction(stateCube, level: at + 1) {
                        at += 1
                        core = higher
                    }
                    try add(try generalise(core, of: stateCube, level: at, depth: depth + 1).cube, at: at)
                } else {
                    blockedInARow = 0
                    cube = cube.filter { bounds[$0].holds(in: state) }
                }
            }
        }
    }

    /// `cube` grown with literals of `original` (which holds no initial state) until it holds none either.
    private func awayFromInitial(_ cube: [Int], within original: [Int]) throws -> [Int] {
        var cube = original.filter { cube.contains($0) }
        while try intersectsInitial(cube) {
            let state = try modelValues()
            guard let literal = original.first(where: { !cube.contains($0) && !bounds[$0].holds(in: state) }) else { return original }
            cube = original.filter { cube.contains($0) || $0 == literal }
        }
        return cube
    }

    // MARK: States and cubes

    /// The cube of exactly one state: both bounds of every cell (those that exclude something).
    private func cube(of values: [Int]) throws -> [Int] {
        var cube: [Int] = []
        for cell in cells {
            if values[cell] > 0 { cube.append(try code(Bound(cell: cell, lower: true, value: values[cell]))) }
            if values[cell] < largest[cell] ?? 0 { cube.append(try code(Bound(cell: cell, lower: false, value: values[cell]))) }
        }
        return cube.sorted()
    }

    /// A cube around the bad state `state` whose every state is bad (the core of `state & !Bad`).
    private func shrinkBad(_ state: [Int]) throws -> [Int] {
        let full = try cube(of: state)
        guard !(try satisfiable(full.map { preLiteral[$0] } + [goodLiteral])) else { return full }
        let core = Set(try solver.unsatCore().compactMap { preCode[$0] })
        return full.filter(core.contains)
    }

    /// A cube around `state` whose every state has a successor in `target` by `action` (see the type's comment);
    /// the state itself when the action may choose a successor outside `target`.
    private func shrinkPredecessor(_ state: [Int], action: Int?, target: [Int]) throws -> [Int] {
        let full = try cube(of: state)
        guard let action else { return full }
        try solver.push()
        defer { try? solver.pop() }
        let leaves = try z3.and([encoding.actionTransitions[action], try encoding.domain(encoding.post),
                                 try z3.or(try target.map { try z3.not(postLiteral[$0]) })])
        try solver.assert(try z3.or(leaves, try z3.not(encoding.actionHasSuccessor[action])))
        guard !(try satisfiable(full.map { preLiteral[$0] })) else { return full }
        let core = Set(try solver.unsatCore().compactMap { preCode[$0] })
        return full.filter(core.contains)
    }

    /// The pre-state of the last model: the ordinal per layout index (0 for cells without one).
    private func modelValues() throws -> [Int] {
        try values(in: try solver.model())
    }

    private func values(in model: Z3Model) throws -> [Int] {
        var values = [Int](repeating: 0, count: encoding.pre.cells.count)
        for cell in cells {
            guard let term = encoding.pre.cells[cell] else { continue }
            values[cell] = Int(clamping: try model.unsignedValue(term))
        }
        return values
    }

    // MARK: Frames

    private func addLevel() throws {
        if activation.isEmpty {
            activation.append(try z3.trueTerm)
            levels.append([])
        }
        activation.append(try z3.constant("ic3_frame\(activation.count)", width: nil))
        levels.append([])
    }

    /// The assumptions that make the solver's pre-state range over F_level.
    private func frame(_ level: Int) -> [Term] {
        level == 0 ? [initialLiteral] : Array(activation[level...])
    }

    /// Adds `!cube` to F_1 ... F_level, dropping the cubes it subsumes at those levels (a cube whose literals
    /// include all of its literals is a smaller box inside it).
    private func add(_ cube: [Int], at level: Int) throws {
        for k in 1...level { levels[k].removeAll { old in cube.allSatisfy(old.contains) } }
        levels[level].append(cube)
        try solver.assert(try z3.or(try z3.not(activation[level]), try clause(cube)))
    }

    /// One query under what is left of the limit; a query that does not answer stops the search.
    private func satisfiable(_ assumptions: [Term]) throws -> Bool {
        if z3.interruption?() != nil { throw Stop(reason: "canceled") }
        var limit: Int?
        if let deadline {
            let left = Int((deadline - Clock.now()) * 1000)
            if left <= 0 { throw Stop(reason: "timeout") }
            limit = left
        }
        queries += 1
        let begin = Clock.now()
        defer { solverSeconds += Clock.now() - begin }
        switch try solver.check(assuming: assumptions, timeoutMilliseconds: limit) {
        case .satisfiable: return true
        case .unsatisfiable: return false
        case .unknown(let reason): throw Stop(reason: reason)
        }
    }
}
