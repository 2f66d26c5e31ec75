import CZ3

/// A state of the liveness-to-safety product: the system's state `x`, the saved state `y`, and the flags.
struct SavedStateFrame {
    /// The system's state.
    let x: Frame
    /// The state saved where the loop starts (all zero ordinals before saving).
    let y: Frame
    /// A state has been saved.
    let saved: Term
    /// The execution so far can be the start of a violation (see `LassoSearch` for the region of each kind).
    let live: Term
    /// Per fair action: its obligation has been met since the state was saved.
    let seen: [Term]

    /// Every variable, in a fixed order (cells that exist, then the flags), for substitution.
    var variables: [Term] { x.cells.compactMap { $0 } + y.cells.compactMap { $0 } + [saved, live] + seen }
}

/// Proofs of liveness under weak fairness by liveness-to-safety (Biere, Artho and Schuppan, 2002) under PDR.
///
/// The product runs the system and, once, nondeterministically saves the current state `y := x` (only inside
/// the property's region). From then on it records, per fair action, whether a step took it or a state had no
/// successor by it, and it only follows steps that stay in the region. A fair violating loop exists exactly when
/// the product reaches a state with `x == y` and every fair action recorded; a dead end in the region is bad
/// on its own. Both are safety properties of the product, given to Spacer as constrained Horn clauses over one
/// Boolean per bit (as `PropertyDirectedReachability` does, for the same reason):
///
///     Inv(z)  <- Init(z)
///     Inv(z') <- Inv(z) & Step(z, z')
///     Err     <- Inv(z) & Bad(z)
///
/// When `Err` is not derivable, Spacer's invariant over the product is checked by a separate QF_BV solver (it
/// contains the initial states, is closed under `Step`, excludes `Bad`) before the property is reported to
/// hold; when it is derivable, a violation exists and lasso-shaped BMC finds the shortest one.
///
/// Why this rather than k-liveness: k-liveness also needs an unbounded safety engine (PDR) to prove its
/// "fair rounds are bounded" property, plus a search for the bound; liveness-to-safety needs one PDR query per
/// property and its invariant is checked with the same one-step queries as the safety proofs.
final class LivenessProof {
    let liveness: LivenessEncoding
    private let memoryMegabytes: Int?
    private var z3: Z3Context { liveness.z3 }
    private var encoding: SystemEncoding { liveness.encoding }

    init(liveness: LivenessEncoding, memoryMegabytes: Int?) {
        self.liveness = liveness
        self.memoryMegabytes = memoryMegabytes
    }

    // MARK: The product

    private func initial(_ z: SavedStateFrame, _ p: LivenessEncoding.Property) throws -> Term {
        var conjuncts = [try encoding.initial(z.x), try encoding.domain(z.x), try z3.not(z.saved)]
        conjuncts += try z.seen.map { try z3.not($0) }
        for (field, cell) in zip(encoding.system.layout.fields, z.y.cells) {
            if let cell { conjuncts.append(try z3.eq(cell, try z3.number(0, width: field.width))) }
        }
        let avoid = try z3.not(try encoding.instantiate(p.goal, at: z.x))
        let live = try p.trigger.map { try z3.and(try encoding.instantiate($0, at: z.x), avoid) } ?? avoid
        conjuncts.append(try z3.iff(z.live, live))
        return try z3.and(conjuncts)
    }

    private func step(_ z: SavedStateFrame, _ w: SavedStateFrame, _ p: LivenessEncoding.Property) throws -> Term {
        let avoid = try z3.not(try encoding.instantiate(p.goal, at: w.x))
        var conjuncts = [try encoding.domain(z.x), try encoding.transition(from: z.x, to: w.x)]
        if let trigger = p.trigger {
            conjuncts.append(try z3.iff(w.live, try z3.and(avoid, try z3.or(try encoding.instantiate(trigger, at: w.x), z.live))))
        } else {
            // For eventually only executions that have avoided the goal so far matter.
            conjuncts += [z.live, try z3.iff(w.live, avoid)]
        }
        let obligations = try liveness.fairActions.map { try liveness.obligation($0, from: z.x, to: w.x) }
        var keep = [try liveness.same(w.y, z.y), try z3.iff(w.saved, z.saved)]
        var save = [try z3.not(z.saved), z.live, try liveness.same(w.y, z.x), w.saved]
        for (f, obligation) in obligations.enumerated() {
            keep.append(try z3.iff(w.seen[f], try z3.or(z.seen[f], try z3.and(z.saved, obligation))))
            save.append(try z3.iff(w.seen[f], obligation))
        }
        conjuncts.append(try z3.or(try z3.and(keep), try z3.and(save)))
        // After the save, the loop stays in the region.
        conjuncts.append(try z3.implies(w.saved, w.live))
        return try z3.and(conjuncts)
    }

    private func bad(_ z: SavedStateFrame) throws -> Term {
        let loop = try z3.and([z.saved, try liveness.same(z.x, z.y)] + z.seen)
        return try z3.and([try encoding.domain(z.x), z.live, try z3.or(try encoding.instantiate(liveness.deadEnd, at: z.x), loop)])
    }

    // MARK: Frames

    /// A product frame of bit-vector cells and Boolean flags.
    private func frame(_ name: String) throws -> SavedStateFrame {
        SavedStateFrame(x: try encoding.makeFrame("\(name)x"), y: try encoding.makeFrame("\(name)y"),
                        saved: try z3.constant("\(name)saved", width: nil), live: try z3.constant("\(name)live", width: nil),
                        seen: try liveness.fairActions.map { try z3.constant("\(name)seen\($0)_", width: nil) })
    }

    /// A product frame whose cells are built from one Boolean per bit (least significant first): the Booleans
    /// (cells of `x`, cells of `y`, then the flags) and the frame.
    private func bitFrame(_ name: String) throws -> (bits: [Term], frame: SavedStateFrame) {
        var bits: [Term] = []
        let zero = try z3.number(0, width: 1)
        let one = try z3.number(1, width: 1)
        func cells(_ prefix: String) throws -> Frame {
            var cells: [Term?] = []
            for (index, field) in encoding.system.layout.fields.enumerated() {
                var cell: Term?
                for bit in 0..<field.width {
                    let variable = try z3.constant("\(name)\(prefix)\(index)_\(bit)", width: nil)
                    bits.append(variable)
                    let value = try z3.ite(variable, one, zero)
                    cell = try cell.map { try z3.concat(value, $0) } ?? value
                }
                cells.append(cell)
            }
            return Frame(cells: cells)
        }
        let x = try cells("x")
        let y = try cells("y")
        let flags = try (0..<(2 + liveness.fairActions.count)).map { try z3.constant("\(name)f\($0)", width: nil) }
        bits += flags
        return (bits, SavedStateFrame(x: x, y: y, saved: flags[0], live: flags[1], seen: Array(flags.dropFirst(2))))
    }

    /// The arguments of `Inv` as terms over a bit-vector product frame, in `bitFrame`'s order.
    private func arguments(_ z: SavedStateFrame) throws -> [Term] {
        var result: [Term] = []
        for frame in [z.x, z.y] {
            for (field, cell) in zip(encoding.system.layout.fields, frame.cells) {
                guard let cell else { continue }
                for bit in 0..<field.width {
                    result.append(try z3.eq(try z3.extract(cell, high: bit, low: bit), try z3.number(1, width: 1)))
                }
            }
        }
        return result + [z.saved, z.live] + z.seen
    }

    // MARK: Proof

    /// Tries to prove liveness property `p` (an index into `liveness.properties`). A proved invariant is a
    /// template over the variables of `template` (returned with it, for rendering).
    func prove(_ p: Int, timeoutMilliseconds: Int?, check checkTimeout: () -> Int?) throws -> (PDROutcome, SavedStateFrame?) {
        let property = liveness.properties[p]
        let fixedpoint = try Z3Fixedpoint(z3, timeoutMilliseconds: timeoutMilliseconds)
        let (preBits, pre) = try bitFrame("lz")
        let (postBits, post) = try bitFrame("lw")
        let inv = try fixedpoint.relation("LiveInv", arity: preBits.count)
        let err = try fixedpoint.relation("LiveErr", arity: 0)
        let invPre = try fixedpoint.apply(inv, preBits)
        try fixedpoint.addRule(variables: preBits, body: try initial(pre, property), head: invPre)
        try fixedpoint.addRule(variables: preBits + postBits, body: try z3.and(invPre, try step(pre, post, property)),
                               head: try fixedpoint.apply(inv, postBits))
        try fixedpoint.addRule(variables: preBits, body: try z3.and(invPre, try bad(pre)), head: try fixedpoint.apply(err, []))
        switch try fixedpoint.query(err) {
        case .satisfiable: return (.reachable, nil)
        case .unknown(let reason): return (.unknown(reason), nil)
        case .unsatisfiable:
            let template = try frame("lt")
            let invariant = try fixedpoint.invariant(of: inv, arguments: try arguments(template))
            switch try check(invariant, template: template, property: property, timeoutMilliseconds: checkTimeout()) {
            case .passed: break
            case .failed(let failure): return (.rejected(failure), nil)
            case .gaveUp(let reason): return (.unknown(reason), nil)
            }
            return (.proved(invariant: invariant), template)
        }
    }

    /// The independent one-step check of a product invariant.
    private func check(_ invariant: Term, template: SavedStateFrame, property: LivenessEncoding.Property,
                       timeoutMilliseconds: Int?) throws -> ObligationCheck {
        let solver = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        let a = try frame("la")
        let b = try frame("lb")
        let atA = try z3.substitute(invariant, from: template.variables, to: a.variables)
        let atB = try z3.substitute(invariant, from: template.variables, to: b.variables)
        let obligations: [(String, Term)] = [
            ("does not contain every initial state", try z3.and(try initial(a, property), try z3.not(atA))),
            ("is not closed under the product's steps",
             try z3.and([atA, try step(a, b, property), try z3.not(try z3.and(atB, try encoding.domain(b.x)))])),
            ("does not exclude the bad states", try z3.and(atA, try bad(a))),
        ]
        return try solver.firstFailedObligation(obligations, of: "Spacer's liveness-to-safety invariant",
                                                timeoutMilliseconds: timeoutMilliseconds)
    }

    /// A product invariant in SMT-LIB over the cells' names (`saved.NAME` for the saved state; values are
    /// ordinals), the flags named `saved`, `live` and `seen.ACTION`, simplified by Z3.
    func render(_ invariant: Term, template: SavedStateFrame) throws -> String {
        let system = encoding.system
        var to: [Term] = []
        for (prefix, frame) in [("", template.x), ("saved.", template.y)] {
            for (index, field) in system.layout.fields.enumerated() where frame.cells[index] != nil {
                to.append(try z3.namedConstant(prefix + system.cellNames[index], width: field.width))
            }
        }
        to += [try z3.namedBoolean("saved"), try z3.namedBoolean("live")]
        to += try liveness.fairActions.map { try z3.namedBoolean("seen." + system.actions[$0].label) }
        return try z3.text(try z3.simplify(try z3.substitute(invariant, from: template.variables, to: to)))
    }
}

extension Z3Context {
    /// A Boolean constant with exactly this name (not made unique), for printing.
    func namedBoolean(_ name: String) throws -> Term {
        let symbol = Z3_mk_string_symbol(raw, name)
        try checkError()
        return try term(Z3_mk_const(raw, symbol, boolSort))
    }
}
