/// Bounded model checking: the system unrolled from its initial states, one frame per depth, in one
/// incremental solver. Queries about the last frames are asked inside push/pop.
final class BoundedModelChecker {
    let encoding: SystemEncoding
    let solver: Z3Solver
    /// `frames[k]` is the state after k steps.
    private(set) var frames: [Frame] = []

    init(encoding: SystemEncoding, memoryMegabytes: Int?) throws {
        self.encoding = encoding
        solver = try Z3Solver(encoding.z3, memoryMegabytes: memoryMegabytes)
        let first = try encoding.makeFrame("s0_")
        try solver.assert(try encoding.initial(first))
        try solver.assert(try encoding.domain(first))
        frames.append(first)
    }

    /// The deepest frame.
    var depth: Int { frames.count - 1 }

    /// Adds one more step to the unrolling.
    func extend() throws {
        guard let last = frames.last else { throw SMTError("internal error: no initial frame") }
        let next = try encoding.makeFrame("s\(frames.count)_")
        try solver.assert(try encoding.transition(from: last, to: next))
        frames.append(next)
    }

    /// Adds a fact the unrolling already implies (a condition an earlier query found unsatisfiable, negated), or
    /// the definition of fresh variables (which every path can satisfy): it changes no query's answer, but the
    /// solver keeps it (and what it learns from it) across push and pop.
    func learn(_ fact: Term) throws {
        try solver.assert(fact)
    }

    /// Whether `condition` (over the frames) can hold on a path of the unrolling; on `.satisfiable` the model
    /// is returned.
    func check(_ condition: Term, timeoutMilliseconds: Int?) throws -> (SolverOutcome, Z3Model?) {
        try solver.push()
        defer { try? solver.pop() }
        try solver.assert(condition)
        let outcome = try solver.check(timeoutMilliseconds: timeoutMilliseconds)
        if case .satisfiable = outcome { return (outcome, try solver.model()) }
        return (outcome, nil)
    }
}
