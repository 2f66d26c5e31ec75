/// The reachable set of an exhaustive breadth-first sample as a certificate Z3 checks against the SMT encoding:
/// that no path of the encoding leaves the set (so the properties true in every state of it hold), and, for
/// violations, that no path of the encoding reaches a bad state in fewer steps than the breadth-first search
/// did (so the explorer's trace is shortest in the encoding too).
///
/// Each state carries a label, its breadth-first distance clipped at `ceiling` (the deepest shortness
/// condition asked; 0 when none is). The states, in breadth-first order, are cut into chunks of at most
/// `chunkSize` states, a chunk never holding two labels below the ceiling. The obligations, each a query that
/// must be unsatisfiable:
///
/// 1. An initial state of the encoding (in the domain) outside the label-0 states.
/// 2. Per chunk C with label j: a state of C, a transition of the encoding, and a successor that is not (in the
///    domain and) one of the machine's successors of C's states whose label is at most j + 1 (every one when j
///    is the ceiling). The transition relation is asserted once, the chunk's two decision diagrams per query.
/// 3. Per group of consecutive labels asking the same conditions: a state of those labels meeting the bad
///    condition of a property that holds, or of a shortness condition whose `below` exceeds the label.
///
/// By 1 and 2, every state the encoding reaches in n steps is in the set with a label of at most n (the
/// successor of a state labelled j < ceiling is labelled at most j + 1, and no label exceeds the ceiling); by 3
/// no such state is bad for a holding property, nor meets a condition in fewer than its `below` steps. The
/// labels and the successor lists are the sample's data, not trusted: a wrong label or a missing successor
/// makes a query satisfiable (a rejected certificate, never a verdict).
///
/// Why chunks (measured on the release build, docs/smt.md "The invariant finder"): one closure query over
/// the whole set (the set's diagram at both frames) did not finish in 58 s on v2-qemu-p2p's first combination
/// (39,886 states) and one with the labels as a bit-vector diagram in 195 s, while the chunked queries, whose
/// diagrams cover a few hundred source and target states each, took 26 s in all; on a 3,819-state
/// combination 1.25 s against 1.6 s unlabelled and 5.7 s labelled in one query.
struct LayeredCertificate {
    /// States per chunk at most (see `SMTOptions.certificateChunk`).
    static let defaultChunkSize = 512

    let encoding: SystemEncoding
    let candidates: InvariantCandidates
    let memoryMegabytes: Int?
    /// Per state of `candidates.breadthOrder`: its label.
    let labels: [Int]
    /// Per state: its label before the ceiling clips it (its breadth-first distance, unless tampered with).
    let unclipped: [Int]
    let ceiling: Int
    /// The chunks, as ranges of `breadthOrder` indices.
    let chunks: [Range<Int>]
    /// The reachable sets shown closed in this run (`ClosedSets`): a closure already shown is not checked again.
    let closedSets: ClosedSets?
    private var z3: Z3Context { encoding.z3 }

    /// What the check found.
    enum Outcome {
        case passed
        /// An obligation failed (never a verdict), with the sentence that says which.
        case failed(String)
        /// Z3 gave up (time or memory limit), with its reason.
        case gaveUp(String)
    }

    /// `raiseLabels` is for the tests only (`CertificateTampering.raiseLabels`).
    init(encoding: SystemEncoding, candidates: InvariantCandidates, ceiling: Int, chunkSize: Int, memoryMegabytes: Int?,
         raiseLabels: Bool = false, closedSets: ClosedSets? = nil) throws {
        self.closedSets = closedSets
        guard candidates.exhaustive, candidates.successorStart.count == candidates.breadthOrder.count + 1 else {
            throw SMTError("internal error: a certificate from a sample that is not the whole state space")
        }
        self.encoding = encoding
        self.candidates = candidates
        self.memoryMegabytes = memoryMegabytes
        self.ceiling = ceiling
        unclipped = candidates.depths.map { depth in Int(depth) + (raiseLabels && depth > 0 ? 1 : 0) }
        labels = unclipped.map { min($0, ceiling) }
        var chunks: [Range<Int>] = []
        var start = 0
        for index in labels.indices where index > start {
            if index - start >= max(1, chunkSize) || (labels[index] != labels[start] && labels[start] < ceiling) {
                chunks.append(start..<index)
                start = index
            }
        }
        if start < labels.count { chunks.append(start..<labels.count) }
        self.chunks = chunks
    }

    /// What identifies this certificate's states for `CertificateProgress`.
    var identity: CertificateProgress.Identity {
        let (cells, rows) = candidates.rows
        return CertificateProgress.Identity(cells: cells, rows: rows, unclipped: unclipped)
    }

    /// Checks the obligations. `holds` are the bad conditions (templates over `x`) of the properties the set is
    /// to prove; `remaining` gives each query's milliseconds; `record` counts the queries' seconds. `progress`
    /// is what an earlier check had Z3 answer (used only where it carries over: `CertificateProgress`), and on
    /// return what this check and that one had answered, for a later run to resume from.
    func check(holds: [Term], shortness: [ShortnessCondition], remaining: () -> Int?,
               record: (_ what: String, _ seconds: Double) -> Void, progress: inout CertificateProgress?) throws -> Outcome {
        let identity = self.identity
        progress = progress?.resumed(for: identity, ceiling: ceiling) ?? CertificateProgress(identity: identity, ceiling: ceiling)
        let a = try encoding.makeFrame("lca")
        let b = try encoding.makeFrame("lcb")
        let plain = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        let domainA = try encoding.domain(a)

        // Without shortness conditions every label is 0, and obligations 1 and 2 say only that the set holds the
        // initial states and is closed: already shown when a leadsto ranking checked the same set (`ClosedSets`).
        let known = ceiling == 0 && (closedSets?.contains(candidates.breadthOrder) ?? false)

        // 1. The initial states.
        let initial = try diagram(Array(labels.indices.prefix { labels[$0] == 0 }), at: a)
        if !known, let outcome = try ask(plain, try z3.and([try encoding.initial(a), domainA, try z3.not(initial)]), remaining: remaining,
                                 record: { record("check: initial states", $0) }) {
            return fail(outcome, "does not contain every initial state with label 0")
        }

        // 3. The properties (before the closure: cheaper, and a failure here needs no closure).
        // The whole set's diagram is built once, and its formula at most once per frame (memoised per node, where
        // the builder before walked every state's path and Z3's substitution then copied the result per frame).
        let wholeSet = try set(Array(labels.indices))
        var wholeAt: [String: Term] = [:]
        func whole(at frame: Frame, _ name: String) throws -> Term {
            if let known = wholeAt[name] { return known }
            let term = try wholeSet.membership(z3, at: frame)
            wholeAt[name] = term
            return term
        }
        let bads = try shortness.map { ($0.below, try encoding.instantiate($0.bad, at: a)) }
        let holdsAtA = try holds.map { try encoding.instantiate($0, at: a) }
        var groupStart = 0
        while groupStart < labels.count {
            let applicable = { (label: Int) in bads.indices.filter { bads[$0].0 > label } }
            let asked = applicable(labels[groupStart])
            var groupEnd = groupStart
            while groupEnd < labels.count, applicable(labels[groupEnd]) == asked { groupEnd += 1 }
            let conditions = holdsAtA + asked.map { bads[$0].1 }
            if !conditions.isEmpty {
                let states = groupStart == 0 && groupEnd == labels.count
                    ? try whole(at: a, "a") : try diagram(Array(groupStart..<groupEnd), at: a)
                if let outcome = try ask(plain, try z3.and([states, domainA, try z3.or(conditions)]), remaining: remaining,
                                         record: { record("check: properties", $0) }) {
                    return fail(outcome, "holds a bad state of a proved property, or a violation shorter than the explorer's")
                }
            }
            groupStart = groupEnd
        }

        if known { return .passed }
        // 2. The closure, chunk by chunk, with the transition relation asserted once.
        var closure = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        try closure.assert(domainA)
        try closure.assert(try encoding.transition(from: a, to: b))
        let domainB = try encoding.domain(b)
        // The states labelled with the ceiling (every state when no violation is asked) need only stay in the set:
        // first one query for all of them with the whole set as the target, as the certificate was checked before
        // the chunks, which is the faster shape where the set's diagram is regular (v1-region-any-user: under a
        // second for 86,814 states, against tens of seconds in chunks). It gets a third of the time left; when that
        // runs out, its chunks are asked instead (the faster shape on v2-qemu-p2p: chunks 26 s, one query not
        // finished in 58 s).
        var tailDone = false
        if let tailStart = labels.firstIndex(of: ceiling), !(progress?.tailRanOut ?? false),
           !(progress?.answers(tailStart..<labels.count) ?? false) {
            let target = try z3.and(try whole(at: b, "b"), domainB)
            let share = remaining().map { max(1, $0 / 3) }
            let source = tailStart == 0 ? try whole(at: a, "a") : try diagram(Array(tailStart..<labels.count), at: a)
            let query = try z3.and(source, try z3.not(target))
            switch try ask(closure, query, remaining: { share }, record: { record("check: closure", $0) }) {
            case nil:
                tailDone = true
                progress?.answer(tailStart..<labels.count)
            case .some(.unknown(let reason)):
                if let left = remaining(), left <= 0 { return .gaveUp(reason) }
                progress?.tailRanOut = true
                // A solver whose check was interrupted is not asked again: on Z3 4.8.12, after this query ran out at
                // 1 ms and was popped, a check on the same solver with the pre-state given as assumptions answered
                // satisfiable with a "successor" that was no transition at all, as if the transition relation were
                // gone (seen on v2-hypothetical-no-p2p-step's first combination; not seen with push and pop, not
                // pursued). A fresh solver costs one more bit-blasting of the transition relation.
                closure = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
                try closure.assert(domainA)
                try closure.assert(try encoding.transition(from: a, to: b))
            case .some(let outcome):
                return fail(outcome, "is not closed under the transition relation")
            }
        }
        for chunk in chunks where !(tailDone && labels[chunk.lowerBound] == ceiling) {
            if progress?.answers(chunk) ?? false { continue }
            let label = labels[chunk.lowerBound]
            var targets = Set<Int>()
            for state in chunk {
                for edge in Int(candidates.successorStart[state])..<Int(candidates.successorStart[state + 1]) {
                    let successor = Int(candidates.successors[edge])
                    if label == ceiling || labels[successor] <= label + 1 { targets.insert(successor) }
                }
            }
            let query = try z3.and(try diagram(Array(chunk), at: a), try z3.not(try z3.and(try diagram(targets.sorted(), at: b), domainB)))
            if let outcome = try ask(closure, query, remaining: remaining, record: { record("check: closure", $0) }) {
                return fail(outcome, "is not closed under the transition relation with labels growing by at most one")
            }
            progress?.answer(chunk)
        }
        closedSets?.insert(candidates.breadthOrder)
        return .passed
    }

    /// Asks `query` inside push/pop (`Z3Solver.refute`): nil when unsatisfiable, else the outcome.
    private func ask(_ solver: Z3Solver, _ query: Term, remaining: () -> Int?, record: (Double) -> Void) throws -> SolverOutcome? {
        try solver.refute(query, limit: remaining(), record: record)
    }

    private func fail(_ outcome: SolverOutcome, _ failure: String) -> Outcome {
        if case .unknown(let reason) = outcome { return .gaveUp(reason) }
        return .failed("the layered reachable set (\(candidates.breadthOrder.count) states) \(failure)")
    }

    /// The states `rows` (indices into `breadthOrder`) as one formula over `frame`'s cells: their `StateDiagram`
    /// (the builder both certificates share), false for no state.
    func diagram(_ rows: [Int], at frame: Frame) throws -> Term {
        try set(rows).membership(z3, at: frame)
    }

    /// The states `rows` (indices into `breadthOrder`) as a `StateDiagram`.
    private func set(_ rows: [Int]) throws -> StateDiagram {
        let (cells, table) = candidates.rows
        let width = cells.count
        let fields = encoding.system.layout.fields
        var selected: [Int64] = []
        selected.reserveCapacity(rows.count * width)
        for row in rows { selected.append(contentsOf: table[(row * width)..<((row + 1) * width)]) }
        return try StateDiagram(cells: cells, cardinalities: cells.map { fields[$0].type.cardinality }, widths: cells.map { fields[$0].width },
                                table: selected, labels: Array(repeating: 1, count: rows.count))
    }
}
