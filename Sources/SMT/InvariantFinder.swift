/// What the invariant finder found.
enum HoudiniOutcome {
    /// The properties proved (none unless `found`).
    var proved: [Int] {
        if case .found(_, let proved, _, _, _) = self { return proved }
        return []
    }

    /// An inductive invariant (a template over `x`) that passed the independent one-step check, the
    /// properties it proves (those whose predicate is one of its lemmas), and how many lemmas it has. For the
    /// reachable set (`LayeredCertificate`) there is no formula to print (`invariant` nil): `states` is its
    /// number of states, and `shortest` the violated properties whose shortness conditions it checked (no
    /// state of the encoding at a distance below a condition's `below` meets it).
    case found(invariant: Term?, proved: [Int], lemmas: Int, states: Int?, shortest: [Int])
    /// No candidate survived (or none was proposed): nothing to prove with.
    case empty
    /// Z3 gave up (time or memory limit), on the search or on the independent check of its invariant, with its
    /// reason.
    case unknown(String)
    /// The conjunction failed the independent check (never a verdict; would be an internal error).
    case rejected(String)
}

/// One condition a violation's shortness rests on: no state that meets `bad` (a template over `x`) is fewer
/// than `below` steps from the initial states. For most properties there is one, the property's "bad" at the
/// depth of the explorer's bad state (for a failing action: the state it fails in); `bounds` has one per state
/// predicate that may fail to evaluate and one for a failing action (`SymbolicRun.shortnessConditions`).
struct ShortnessCondition {
    let bad: Term
    let below: Int
}

/// An invariant finder in the Houdini style (Flanagan and Leino): the largest inductive subset of a set of
/// candidate lemmas. The candidates are templates over the packed state (`InvariantCandidates`: a cell never
/// holds a value, a wide cell stays within the values seen, two small cells never hold a pair of values
/// together) that a cheap simulation did not falsify, plus the predicates of the undecided properties. Then,
/// with Z3:
///
/// 1. Initiation: is there an initial state (in the domain) violating a lemma? Drop the lemmas it violates and
///    ask again until none is violated.
/// 2. Consecution, one query per round: a state satisfying every remaining lemma, a transition, and a successor
///    (in the domain) violating some lemma. Drop every lemma the successor violates; repeat until unsatisfiable.
///
/// A lemma dropped is not in the largest inductive subset (its pre-state satisfies a superset of it), so the
/// loop ends with that subset, which holds in every reachable state. A property whose predicate survives is
/// proved. The conjunction is only believed after the same independent one-step check as PDR's invariants
/// (initial states, closure under the transition relation staying in the domain, each proved property
/// implied), asked of a fresh solver.
final class InvariantFinder {
    let encoding: SystemEncoding
    private let memoryMegabytes: Int?
    /// For tests only (`CertificateTampering.raiseLabels`): every non-initial state's label one too high.
    private let raiseLabels: Bool
    /// States per chunk of the reachable set's certificate (`LayeredCertificate`).
    private let chunkSize: Int
    /// Why the reachable set's certificate was rejected, when it was (`find` may still return Houdini's proof).
    private(set) var certificateRejection: String?
    private var z3: Z3Context { encoding.z3 }

    /// The reachable sets shown closed in this run: the certificate skips a closure already shown, and records its own.
    private let closedSets: ClosedSets?
    /// What the certificate's check had Z3 answer: given to `init` to resume an earlier check, and after `find`
    /// what this one and that one answered (`CertificateProgress`).
    private(set) var certificateProgress: CertificateProgress?

    init(encoding: SystemEncoding, memoryMegabytes: Int?, chunkSize: Int = LayeredCertificate.defaultChunkSize, raiseLabels: Bool = false,
         closedSets: ClosedSets? = nil, resuming: CertificateProgress? = nil) {
        self.encoding = encoding
        certificateProgress = resuming
        self.closedSets = closedSets
        self.memoryMegabytes = memoryMegabytes
        self.chunkSize = chunkSize
        self.raiseLabels = raiseLabels
    }

    /// The lemma as a term over the cells of `frame`.
    private func term(_ lemma: CandidateLemma, at frame: Frame, goods: [Int: Term]) throws -> Term {
        let fields = encoding.system.layout.fields
        func cell(_ index: Int) throws -> Term {
            guard let cell = frame.cells[index] else { throw SMTError("internal error: a lemma over a cell without bits") }
            return cell
        }
        switch lemma {
        case .differs(let field, let ordinal):
            return try z3.not(try z3.eq(try cell(field), try z3.number(ordinal, width: fields[field].width)))
        case .atMost(let field, let ordinal):
            return try z3.unsignedLessEqual(try cell(field), try z3.number(ordinal, width: fields[field].width))
        case .atLeast(let field, let ordinal):
            return try z3.unsignedLessEqual(try z3.number(ordinal, width: fields[field].width), try cell(field))
        case .excludes(let first, let a, let second, let b):
            return try z3.not(try z3.and(try z3.eq(try cell(first), try z3.number(a, width: fields[first].width)),
                                         try z3.eq(try cell(second), try z3.number(b, width: fields[second].width))))
        case .property(let index):
            guard let good = goods[index] else { throw SMTError("internal error: no predicate for property \(index)") }
            return try encoding.instantiate(good, at: frame)
        }
    }

    /// The ordinals of a frame's cells in a model (0 for cells without bits).
    private func ordinals(_ frame: Frame, in model: Z3Model) throws -> [Int64] {
        try frame.cells.map { cell in try cell.map { Int64(bitPattern: try model.unsignedValue($0)) } ?? 0 }
    }

    /// Which of `live` hold in the model at `frame`: templates evaluated on the decoded ordinals, properties by Z3.
    private func survivors(_ live: [Int], lemmas: [CandidateLemma], terms: [Term], at frame: Frame, in model: Z3Model) throws -> [Int] {
        let values = try ordinals(frame, in: model)
        return try live.filter { index in
            if let value = lemmas[index].holds(values) { return value }
            return try model.isTrue(terms[index])
        }
    }

    /// Runs the loop over `candidates` plus the predicates `goods` (property index to its "good" template).
    /// `remaining` gives the milliseconds each query may take (nil: no limit); `record` counts each query.
    /// `shortness` are the violated properties (with their conditions) whose shortness the reachable set's
    /// certificate is to check as well, when the sample is exhaustive.
    func find(candidates: InvariantCandidates, goods: [Int: Term], holding: Set<Int>, shortness: [Int: [ShortnessCondition]] = [:],
              remaining: () -> Int?, record: (_ what: String, _ seconds: Double) -> Void) throws -> HoudiniOutcome {
        do {
            var rejection: HoudiniOutcome?
            if candidates.exhaustive, !holding.isEmpty || !shortness.isEmpty {
                let outcome = try certificate(candidates: candidates, goods: goods, holding: holding, shortness: shortness,
                                              remaining: remaining, record: record)
                if case .found = outcome { return outcome }
                // A rejected certificate means the machine and the encoding disagree: said if nothing else proves.
                rejection = outcome
                if case .rejected(let reason) = outcome { certificateRejection = reason }
            }
            let houdini = try search(candidates: candidates, goods: goods, remaining: remaining, record: record)
            if case .found = houdini { return houdini }
            return rejection ?? houdini
        } catch let gaveUp as GaveUp {
            return .unknown(gaveUp.reason)
        }
    }

    private func search(candidates: InvariantCandidates, goods: [Int: Term], remaining: () -> Int?,
                        record: (_ what: String, _ seconds: Double) -> Void) throws -> HoudiniOutcome {
        let lemmas = candidates.lemmas + goods.keys.sorted().map { CandidateLemma.property($0) }
        guard !lemmas.isEmpty else { return .empty }
        let a = try encoding.makeFrame("ha")
        let b = try encoding.makeFrame("hb")
        let atA = try lemmas.map { try term($0, at: a, goods: goods) }
        let atB = try lemmas.map { try term($0, at: b, goods: goods) }
        var live = Array(lemmas.indices)

        // Initiation.
        let initial = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        try initial.assert(try encoding.initial(a))
        try initial.assert(try encoding.domain(a))
        live = try prune(live, solver: initial, assume: { _ in [] }, check: atA, frame: a, lemmas: lemmas,
                         remaining: remaining, record: { record("initiation", $0) })

        // Consecution.
        let step = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        try step.assert(try encoding.domain(a))
        try step.assert(try encoding.transition(from: a, to: b))
        try step.assert(try encoding.domain(b))
        live = try prune(live, solver: step, assume: { $0.map { atA[$0] } }, check: atB, frame: b, lemmas: lemmas,
                         remaining: remaining, record: { record("consecution", $0) })
        guard !live.isEmpty else { return .empty }

        let invariant = try z3.and(live.map { try term(lemmas[$0], at: encoding.pre, goods: goods) })
        let proved = live.compactMap { index -> Int? in
            if case .property(let property) = lemmas[index] { return property }
            return nil
        }
        let begin = Clock.now()
        defer { record("check", Clock.now() - begin) }
        let limit = remaining()
        if let limit, limit <= 0 { throw GaveUp(reason: "timeout") }
        switch try check(invariant, proved: proved, goods: goods, timeoutMilliseconds: limit) {
        case .passed: break
        case .failed(let failure): return .rejected(failure)
        case .gaveUp(let reason): throw GaveUp(reason: reason)
        }
        return .found(invariant: invariant, proved: proved, lemmas: live.count, states: nil, shortest: [])
    }

    /// When the simulation saw the whole reachable state space (its breadth-first search ran out of successors):
    /// the invariant is that set itself, and the properties true in every visited state (`holding`) are proved,
    /// and the violations in `shortness` shown shortest, when Z3 accepts the layered certificate
    /// (`LayeredCertificate`: the set cut into chunks of one breadth-first layer, each closed under the SMT
    /// encoding's transition relation into the machine's successors of the chunk at most one layer deeper).
    /// The check is what makes this a proof about the symbolic system: a disagreement between the compiled
    /// machine and the encoding is a rejected certificate, never a verdict.
    private func certificate(candidates: InvariantCandidates, goods: [Int: Term], holding: Set<Int>, shortness: [Int: [ShortnessCondition]],
                             remaining: () -> Int?, record: (_ what: String, _ seconds: Double) -> Void) throws -> HoudiniOutcome {
        let conditions = shortness.values.joined().filter { $0.below > 0 }
        let ceiling = conditions.map(\.below).max() ?? 0
        // In a Z3 context of its own, deleted when the check ends: the diagrams of tens of thousands of states would
        // otherwise stay in the run's context until the run ends (`SystemEncoding.init(translating:to:)`).
        let translating = Clock.now()
        let scratch = try Z3Context(memoryMegabytes: memoryMegabytes, interruption: z3.interruption)
        let local = try SystemEncoding(translating: encoding, to: scratch)
        func copy(_ term: Term) throws -> Term { try z3.translate(term, to: scratch) }
        let certificate = try LayeredCertificate(encoding: local, candidates: candidates, ceiling: ceiling, chunkSize: chunkSize,
                                                 memoryMegabytes: memoryMegabytes, raiseLabels: raiseLabels, closedSets: closedSets)
        let proved = holding.sorted()
        let holds = try proved.compactMap { goods[$0] }.map { try scratch.not(try copy($0)) }
        let localConditions = try conditions.map { ShortnessCondition(bad: try copy($0.bad), below: $0.below) }
        record("check: translation", Clock.now() - translating)
        let checking = Clock.now()
        defer { record("check", Clock.now() - checking) }
        switch try certificate.check(holds: holds, shortness: localConditions, remaining: remaining, record: record,
                                     progress: &certificateProgress) {
        case .passed:
            return .found(invariant: nil, proved: proved, lemmas: 0, states: candidates.breadthOrder.count, shortest: shortness.keys.sorted())
        case .failed(let failure):
            return .rejected(failure)
        case .gaveUp(let reason):
            throw GaveUp(reason: reason)
        }
    }

    /// Z3 gave up on a query, with its reason.
    private struct GaveUp: Error {
        let reason: String
    }

    private enum QueryOutcome {
        case satisfiable(Z3Model)
        case unsatisfiable
    }

    /// Drops lemmas until no state the solver allows (with `assume` of the live lemmas) violates one of them at
    /// `frame`: each round drops every lemma the model violates. Throws `GaveUp` when Z3 gives up.
    private func prune(_ start: [Int], solver: Z3Solver, assume: ([Int]) -> [Term], check terms: [Term], frame: Frame,
                       lemmas: [CandidateLemma], remaining: () -> Int?, record: (Double) -> Void) throws -> [Int] {
        var live = start
        while !live.isEmpty {
            switch try query(solver, assume: assume(live), violate: live.map { terms[$0] }, remaining: remaining, record: record) {
            case .unsatisfiable:
                return live
            case .satisfiable(let model):
                let kept = try survivors(live, lemmas: lemmas, terms: terms, at: frame, in: model)
                guard kept.count < live.count else { throw SMTError("internal error: the Houdini model violates no lemma") }
                live = kept
            }
        }
        return live
    }

    /// Asks whether the solver's assertions, `assume` and one of `violate` negated can hold together.
    private func query(_ solver: Z3Solver, assume: [Term], violate: [Term], remaining: () -> Int?,
                       record: (Double) -> Void) throws -> QueryOutcome {
        try solver.push()
        defer { try? solver.pop() }
        try solver.assert(try z3.and(assume))
        try solver.assert(try z3.not(try z3.and(violate)))
        let limit = remaining()
        if let limit, limit <= 0 { throw GaveUp(reason: "timeout") }
        let begin = Clock.now()
        let outcome = try solver.check(timeoutMilliseconds: limit)
        record(Clock.now() - begin)
        switch outcome {
        case .satisfiable: return .satisfiable(try solver.model())
        case .unsatisfiable: return .unsatisfiable
        case .unknown(let reason): throw GaveUp(reason: reason)
        }
    }

    /// The independent one-step check (as for PDR's invariants, on a fresh solver): the invariant contains every
    /// initial state, is closed under the transition relation (successors staying in the domain), and implies
    /// each proved property.
    private func check(_ invariant: Term, proved: [Int], goods: [Int: Term], timeoutMilliseconds: Int?) throws -> ObligationCheck {
        let solver = try Z3Solver(z3, memoryMegabytes: memoryMegabytes)
        let (inductive, atA, domainA, a) = try encoding.inductiveObligations(of: invariant, frames: "hca", "hcb")
        var obligations = inductive
        let bad = try proved.compactMap { goods[$0] }.map { try z3.not(try encoding.instantiate($0, at: a)) }
        if !bad.isEmpty {
            obligations.append(("does not exclude the bad states of every proved property", try z3.and([atA, domainA, try z3.or(bad)])))
        }
        return try solver.firstFailedObligation(obligations, of: "the Houdini invariant", timeoutMilliseconds: timeoutMilliseconds)
    }
}
