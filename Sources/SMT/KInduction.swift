/// The induction step of k-induction: a path of k + 1 arbitrary (domain-respecting) states, pairwise distinct
/// (the simple-path constraint, which makes the method complete on finite systems), each a successor of the
/// one before. A property is proved at k when k + 1 good states can never be followed by a bad one and bounded
/// model checking found no bad state within depth k. Properties already proved are asserted on every frame
/// as lemmas.
final class KInduction {
    let encoding: SystemEncoding
    let solver: Z3Solver
    private(set) var frames: [Frame] = []
    private var vectors: [Term] = []
    private var lemmas: [Term] = []

    init(encoding: SystemEncoding, memoryMegabytes: Int?) throws {
        self.encoding = encoding
        solver = try Z3Solver(encoding.z3, memoryMegabytes: memoryMegabytes)
        try add(try encoding.makeFrame("y0_"))
    }

    private func add(_ frame: Frame) throws {
        try solver.assert(try encoding.domain(frame))
        if let last = frames.last { try solver.assert(try encoding.transition(from: last, to: frame)) }
        if let vector = try encoding.stateVector(frame) {
            for other in vectors { try solver.assert(try encoding.z3.not(try encoding.z3.eq(other, vector))) }
            vectors.append(vector)
        } else if !frames.isEmpty {
            // A system with a single state has no simple path of two states.
            try solver.assert(try encoding.z3.falseTerm)
        }
        for lemma in lemmas { try solver.assert(try encoding.instantiate(lemma, at: frame)) }
        frames.append(frame)
    }

    /// Makes sure frames 0 ... `count - 1` exist.
    func ensureFrames(_ count: Int) throws {
        while frames.count < count { try add(try encoding.makeFrame("y\(frames.count)_")) }
    }

    /// Asserts a proved invariant (a template over `x`) on every frame, now and later.
    func addLemma(_ good: Term) throws {
        lemmas.append(good)
        for frame in frames { try solver.assert(try encoding.instantiate(good, at: frame)) }
    }

    /// The step at depth k: can states 0 ... k satisfy `good` and state k + 1 satisfy `bad`?
    func step(k: Int, good: Term, bad: Term, timeoutMilliseconds: Int?) throws -> SolverOutcome {
        try ensureFrames(k + 2)
        try solver.push()
        defer { try? solver.pop() }
        for frame in frames[0...k] { try solver.assert(try encoding.instantiate(good, at: frame)) }
        try solver.assert(try encoding.instantiate(bad, at: frames[k + 1]))
        return try solver.check(timeoutMilliseconds: timeoutMilliseconds)
    }
}
