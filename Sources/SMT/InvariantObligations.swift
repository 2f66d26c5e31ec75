extension SystemEncoding {
    /// What every safety invariant (a template over `x`) must meet before a proof is believed, asked on two fresh
    /// frames `first` and `second`: it contains every initial state, and it is closed under the transition
    /// relation with successors in the domain. Returned with the invariant and the domain at `first`, from which
    /// the caller states its own "excludes the bad states" obligation. Shared by PDR's and the invariant finder's
    /// independent checks (`Z3Solver.firstFailedObligation` asks them).
    func inductiveObligations(of invariant: Term, frames first: String, _ second: String) throws
        -> (obligations: [(String, Term)], invariant: Term, domain: Term, frame: Frame) {
        let a = try makeFrame(first)
        let b = try makeFrame(second)
        let atA = try instantiate(invariant, at: a)
        let atB = try instantiate(invariant, at: b)
        let domainA = try domain(a)
        let obligations: [(String, Term)] = [
            ("does not contain every initial state", try z3.and([try initial(a), domainA, try z3.not(atA)])),
            ("is not closed under the transition relation",
             try z3.and([atA, domainA, try transition(from: a, to: b), try z3.not(try z3.and(atB, try domain(b)))])),
        ]
        return (obligations, atA, domainA, a)
    }

    /// An invariant (a template over `x`) in SMT-LIB syntax over the cells' names (values are ordinals: value
    /// minus the type's lower bound, as in the packed layout), simplified by Z3.
    func render(invariant: Term) throws -> String {
        var from: [Term] = []
        var to: [Term] = []
        for (index, field) in system.layout.fields.enumerated() {
            guard let cell = pre.cells[index] else { continue }
            from.append(cell)
            to.append(try z3.namedConstant(system.cellNames[index], width: field.width))
        }
        return try z3.text(try z3.simplify(try z3.substitute(invariant, from: from, to: to)))
    }
}
