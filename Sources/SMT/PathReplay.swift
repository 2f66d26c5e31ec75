import CZ3
import PackedSystem

/// Replays a concrete path of packed states in the SMT encoding: one frame per state, each cell fixed to the
/// state's ordinal, the first frame an initial state, the transition relation between consecutive frames (every
/// frame in the domain), and a bad condition at the last frame. Satisfiable exactly when the path is a path
/// of the encoding ending in a bad state; the model then decodes to the path's states, so the caller builds the
/// trace from it exactly as BMC builds its traces. With every cell fixed, Z3's preprocessing decides most of
/// it by propagation: the query is cheap even where BMC's search at that depth is not.
struct PathReplay {
    let encoding: SystemEncoding
    let memoryMegabytes: Int?

    enum Outcome {
        /// The encoding accepts the path: the model and the frames it assigns.
        case accepted(Z3Model, [Frame])
        /// It does not, with the sentence that says so (never a verdict).
        case rejected(String)
        /// Z3 gave up (time or memory limit), with its reason.
        case unknown(String)
    }

    /// Replays `path` (initial state first) with `bad` (a template over `x`) at its last state.
    ///
    /// First by evaluation (`evaluate`): with every cell a numeral the formulas are ground, and Z3's simplifier
    /// reduces each to true or false. Only when one does not reduce is the path asked of a solver as one query
    /// (the frames' cells fixed by equalities). Measured on v2-hypothetical-no-p2p-step's first combination
    /// (8 violations 70 to 100 steps deep): the solver query took 0.26 s per path, as long as the certificate's
    /// whole closure check, because the QF_BV solver preprocesses and bit-blasts a copy of the transition
    /// relation per step; the evaluation takes milliseconds (docs/smt.md, "Where the time goes").
    func replay(_ path: [[UInt64]], bad: Term, timeoutMilliseconds: Int?) throws -> Outcome {
        let z3 = encoding.z3
        let fields = encoding.system.layout.fields
        guard !path.isEmpty else { return .rejected("an empty path") }
        if let limit = timeoutMilliseconds, limit <= 0 { return .unknown("timeout") }
        let evaluated = try evaluate(path, bad: bad)
        if evaluated == false { return .rejected(Self.notAPath(path)) }
        let solver = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        var frames: [Frame] = []
        for (position, state) in path.enumerated() {
            let frame = try encoding.makeFrame("r\(position)_")
            var fixed: [Term] = []
            for (field, cell) in zip(fields, frame.cells) {
                guard let cell else { continue }
                fixed.append(try z3.eq(cell, try z3.number(field.read(state) - field.type.lowerBound, width: field.width)))
            }
            try solver.assert(try z3.and(fixed))
            // Evaluated true already: the model only has to name the path's values.
            guard evaluated == nil else {
                frames.append(frame)
                continue
            }
            try solver.assert(try encoding.domain(frame))
            if let previous = frames.last {
                try solver.assert(try encoding.transition(from: previous, to: frame))
            } else {
                try solver.assert(try encoding.initial(frame))
            }
            frames.append(frame)
        }
        guard let last = frames.last else { return .rejected("an empty path") }
        if evaluated == nil { try solver.assert(try encoding.instantiate(bad, at: last)) }
        switch try solver.check(timeoutMilliseconds: timeoutMilliseconds) {
        case .satisfiable: return .accepted(try solver.model(), frames)
        case .unsatisfiable: return .rejected(Self.notAPath(path))
        case .unknown(let reason): return .unknown(reason)
        }
    }

    private static func notAPath(_ path: [[UInt64]]) -> String {
        "the explorer's path of \(path.count - 1) steps to the violation is not a path of the SMT encoding to a bad state"
    }

    /// The path's formulas (its first state initial, every state in the domain, each step a transition, `bad`
    /// at the last state) on frames of numerals, each simplified by Z3: true when every one reduces to true,
    /// false when one reduces to false, nil when one reduces to neither (then the solver decides). Ground
    /// terms are what Z3's rewriter evaluates completely, so nil is not expected; it is the safe answer.
    func evaluate(_ path: [[UInt64]], bad: Term) throws -> Bool? {
        let z3 = encoding.z3
        let fields = encoding.system.layout.fields
        let frames = try path.map { state in
            Frame(cells: try zip(fields, encoding.pre.cells).map { field, cell in
                try cell.map { _ in try z3.number(field.read(state) - field.type.lowerBound, width: field.width) }
            })
        }
        guard let first = frames.first, let last = frames.last else { return false }
        var formulas = [try encoding.initial(first), try encoding.instantiate(bad, at: last)]
        for (position, frame) in frames.enumerated() {
            formulas.append(try encoding.domain(frame))
            if position > 0 { formulas.append(try encoding.transition(from: frames[position - 1], to: frame)) }
        }
        var undecided = false
        for formula in formulas {
            switch try z3.groundValue(try z3.simplify(formula)) {
            case true?: continue
            case false?: return false
            case nil: undecided = true
            }
        }
        return undecided ? nil : true
    }
}

extension Z3Context {
    /// The value of a Boolean term that is the constant true or false; nil for any other term.
    func groundValue(_ a: Term) throws -> Bool? {
        let value = Z3_get_bool_value(raw, a.raw)
        try checkError()
        switch value {
        case Z3_L_TRUE: return true
        case Z3_L_FALSE: return false
        default: return nil
        }
    }
}
