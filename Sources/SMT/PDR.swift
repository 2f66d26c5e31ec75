/// Which IC3/PDR runs a PDR query (`--pdr-engine`).
public enum PDREngine: String, Sendable, CaseIterable {
    /// Z3's Spacer through the fixedpoint (Horn clause) API (`Z3Fixedpoint`).
    case spacer
    /// The own IC3 over QF_BV queries (`IC3`).
    case ic3
}

/// What PDR found for a "bad state" predicate.
enum PDROutcome {
    /// No reachable state is bad. The invariant (a template over `x`) passed the independent one-step check.
    case proved(invariant: Term)
    /// Some reachable state is bad (Spacer found a derivation, or the own IC3 a chain of states from an initial
    /// one); BMC rebuilds the shortest trace.
    case reachable
    /// Z3 gave up (time or memory limit), on the search or on the independent check of its invariant, with its
    /// reason.
    case unknown(String)
    /// Spacer or the own IC3 claimed a proof whose invariant failed the independent check (never reported as a
    /// verdict).
    case rejected(String)
}

/// Unbounded proofs with IC3/PDR, through Z3's Spacer, over the same templates as BMC and k-induction, as
/// constrained Horn clauses:
///
///     Inv(x)  <- Init(x) & Dom(x)
///     Inv(x') <- Inv(x) & Dom(x) & T(x, x')
///     Err     <- Inv(x) & Dom(x) & Bad(x)
///
/// `Inv` takes one Boolean per state bit (see `Z3Fixedpoint` for why); the cells are rebuilt from the bits
/// inside the clauses. When `Err` is not derivable, the fixedpoint Spacer returns for `Inv` is an inductive
/// invariant; it is only believed after a separate QF_BV solver confirms, in one step each, that it contains
/// the initial states, is closed under the transition relation (staying in the domain) and excludes the bad
/// states.
///
/// With `engine` `.ic3` the same question goes to the own IC3 (`IC3`) instead, in a context of its own as
/// Spacer's query; its invariant (the clauses of the fixpoint frame over the state bits) passes the same check.
final class PropertyDirectedReachability {
    let encoding: SystemEncoding
    private let memoryMegabytes: Int?
    let engine: PDREngine
    private var z3: Z3Context { encoding.z3 }
    /// For tests only: called with the own IC3's invariant before the independent check, to tamper with it.
    var tamper: ((Term) throws -> Term)?

    init(encoding: SystemEncoding, memoryMegabytes: Int?, engine: PDREngine = .ic3) {
        self.encoding = encoding
        self.memoryMegabytes = memoryMegabytes
        self.engine = engine
    }

    /// One Boolean per bit of every cell (least significant first), and the frame of cells built from them.
    private func bitFrame(_ name: String) throws -> (bits: [Term], frame: Frame) {
        var bits: [Term] = []
        var cells: [Term?] = []
        let zero = try z3.number(0, width: 1)
        let one = try z3.number(1, width: 1)
        for (index, field) in encoding.system.layout.fields.enumerated() {
            guard field.width > 0 else {
                cells.append(nil)
                continue
            }
            var cell: Term?
            for bit in 0..<field.width {
                let variable = try z3.constant("\(name)\(index)_\(bit)", width: nil)
                bits.append(variable)
                let value = try z3.ite(variable, one, zero)
                cell = try cell.map { try z3.concat(value, $0) } ?? value
            }
            cells.append(cell)
        }
        return (bits, Frame(cells: cells))
    }

    /// Tries to prove that no reachable state satisfies `bad` (a template over `x`).
    func prove(bad: Term, timeoutMilliseconds: Int?, check checkTimeout: () -> Int?) throws -> PDROutcome {
        if engine == .ic3 { return try proveByIC3(bad: bad, timeoutMilliseconds: timeoutMilliseconds, check: checkTimeout) }
        let fixedpoint = try Z3Fixedpoint(z3, timeoutMilliseconds: timeoutMilliseconds)
        let (preBits, pre) = try bitFrame("i")
        let (postBits, post) = try bitFrame("j")
        let inv = try fixedpoint.relation("Inv", arity: preBits.count)
        let err = try fixedpoint.relation("Err", arity: 0)
        let invPre = try fixedpoint.apply(inv, preBits)
        let domainPre = try encoding.domain(pre)
        try fixedpoint.addRule(variables: preBits, body: try z3.and(try encoding.initial(pre), domainPre), head: invPre)
        try fixedpoint.addRule(variables: preBits + postBits,
                               body: try z3.and([invPre, domainPre, try encoding.transition(from: pre, to: post)]),
                               head: try fixedpoint.apply(inv, postBits))
        try fixedpoint.addRule(variables: preBits, body: try z3.and([invPre, domainPre, try encoding.instantiate(bad, at: pre)]),
                               head: try fixedpoint.apply(err, []))
        switch try fixedpoint.query(err) {
        case .satisfiable: return .reachable
        case .unknown(let reason): return .unknown(reason)
        case .unsatisfiable:
            // Argument i of Inv is bit (i - offset) of its cell: as a template over x, that bit being 1.
            var arguments: [Term] = []
            for (field, cell) in zip(encoding.system.layout.fields, encoding.pre.cells) {
                guard let cell else { continue }
                for bit in 0..<field.width {
                    arguments.append(try z3.eq(try z3.extract(cell, high: bit, low: bit), try z3.number(1, width: 1)))
                }
            }
            let invariant = try fixedpoint.invariant(of: inv, arguments: arguments)
            return try checked(invariant, bad: bad, timeoutMilliseconds: checkTimeout())
        }
    }

    /// The own IC3, in a context of its own (its terms and its solver go with it, and an interrupted query
    /// cancels nothing of the run's context); the invariant is rebuilt over the run's cells and checked.
    private func proveByIC3(bad: Term, timeoutMilliseconds: Int?, check checkTimeout: () -> Int?) throws -> PDROutcome {
        let blocked: [[IC3.Bound]]
        do {
            let own = try Z3Context(memoryMegabytes: nil, interruption: z3.interruption)
            let translated = try SystemEncoding(translating: encoding, to: own)
            let ic3 = try IC3(encoding: translated, bad: try z3.translate(bad, to: own), memoryMegabytes: memoryMegabytes,
                              timeoutMilliseconds: timeoutMilliseconds)
            switch try ic3.run() {
            case .reachable: return .reachable
            case .unknown(let reason): return .unknown(reason)
            case .proved(let cubes): blocked = cubes
            }
        }
        // Each blocked cube's negation, over the run's pre-state cells: some cell outside its bound.
        var clauses: [Term] = []
        for cube in blocked {
            clauses.append(try z3.or(try cube.map { bound in
                guard let cell = encoding.pre.cells[bound.cell] else { throw SMTError("internal error: IC3 bound on an empty cell") }
                let value = try z3.number(Int64(bound.value), width: encoding.system.layout.fields[bound.cell].width)
                return bound.lower ? try z3.unsignedLess(cell, value) : try z3.unsignedLess(value, cell)
            }))
        }
        var invariant = try z3.and(clauses)
        if let tamper { invariant = try tamper(invariant) }
        return try checked(invariant, bad: bad, timeoutMilliseconds: checkTimeout())
    }

    /// The independent one-step check of an invariant (a template over `x`), as the proof's outcome: proved when
    /// it passes, rejected when an obligation fails, unknown when Z3 gives up on one. Both engines end here.
    private func checked(_ invariant: Term, bad: Term, timeoutMilliseconds: Int?) throws -> PDROutcome {
        let solver = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        let (inductive, atA, domainA, a) = try encoding.inductiveObligations(of: invariant, frames: "pa", "pb")
        let obligations = inductive
            + [("does not exclude the bad states", try z3.and([atA, domainA, try encoding.instantiate(bad, at: a)]))]
        let subject = engine == .spacer ? "Spacer's invariant" : "IC3's invariant"
        switch try solver.firstFailedObligation(obligations, of: subject, timeoutMilliseconds: timeoutMilliseconds) {
        case .passed: return .proved(invariant: invariant)
        case .failed(let failure): return .rejected(failure)
        case .gaveUp(let reason): return .unknown(reason)
        }
    }
}

/// What the independent check of an invariant found (`Z3Solver.firstFailedObligation`).
enum ObligationCheck: Equatable {
    /// Every obligation is unsatisfiable: the invariant passed.
    case passed
    /// An obligation is satisfiable: a sentence about the subject naming the first that failed.
    case failed(String)
    /// Z3 gave up on an obligation (time or memory limit) before any failed, with its reason: the invariant is
    /// neither accepted nor rejected.
    case gaveUp(String)
}

extension Z3Solver {
    /// The independent check of an invariant: each obligation (a query that must be unsatisfiable) asserted on its
    /// own, in order, until one fails or Z3 gives up on one. Shared by the safety and the liveness-to-safety proofs
    /// and the invariant finder.
    ///
    /// A check that Z3 gives up on is not a failure: until 2026-12-06 it came back as a failure sentence ("the
    /// check of ... gave up"), so the proof reported a rejected invariant where Z3 had run out of time, and a run
    /// whose time was spent went on to the next engine instead of stopping.
    func firstFailedObligation(_ obligations: [(String, Term)], of subject: String, timeoutMilliseconds: Int?) throws -> ObligationCheck {
        for (failure, query) in obligations {
            try self.push()
            defer { try? self.pop() }
            try self.assert(query)
            switch try self.check(timeoutMilliseconds: timeoutMilliseconds) {
            case .unsatisfiable: continue
            case .satisfiable: return .failed("\(subject) \(failure)")
            case .unknown(let reason): return .gaveUp(reason)
            }
        }
        return .passed
    }
}
