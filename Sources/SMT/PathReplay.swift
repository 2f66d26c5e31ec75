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
    func replay(_ path: [[UInt64]], bad: Term, timeoutMilliseconds: Int?) throws -> Outcome {
        let z3 = encoding.z3
        let fields = encoding.system.layout.fields
        guard !path.isEmpty else { return .rejected("an empty path") }
        if let limit = timeoutMilliseconds, limit <= 0 { return .unknown("timeout") }
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
            try solver.assert(try encoding.domain(frame))
            if let previous = frames.last {
                try solver.assert(try encoding.transition(from: previous, to: frame))
            } else {
                try solver.assert(try encoding.initial(frame))
            }
            frames.append(frame)
        }
        guard let last = frames.last else { return .rejected("an empty path") }
        try solver.assert(try encoding.instantiate(bad, at: last))
        switch try solver.check(timeoutMilliseconds: timeoutMilliseconds) {
        case .satisfiable: return .accepted(try solver.model(), frames)
        case .unsatisfiable:
            return .rejected("the explorer's path of \(path.count - 1) steps to the violation is not a path of the SMT encoding to a bad state")
        case .unknown(let reason): return .unknown(reason)
        }
    }
}
