import Explorer
import PackedSystem

/// Decides the liveness properties (`eventually`, `leadsto` under weak fairness of the `fair` actions) after the
/// safety properties, on the same encoding and an unrolling of their own (never deeper than the lasso asked for,
/// see `LassoSearch`):
///
/// - under `auto`, before the safety properties (`decideFromGraph`): the explorer's lassos on the reachable graph
///   when its search completes within `SMTOptions.explicitLassoStates` (`ExplicitLassos`), each checked by Z3 in
///   the encoding (`LivenessEncoding.check(lasso:...)`) before it is reported, and its rankings for what holds
///   (`LivenessEncoding.check(ranking:...)`), within a quarter of the time left there; those that ran out are
///   asked again after the safety methods, with half the time left before liveness-to-safety under PDR and with
///   the rest after it, each resuming where its check stopped (`RankingProgress`);
/// - violations by lasso-shaped BMC (`LassoSearch`), shortest first, each checked on the concrete machine
///   (`TraceDecoder.lasso`) before it is reported;
/// - proofs by liveness-to-safety under PDR (`LivenessProof`), with the invariant checked.
///
/// Per `--smt-method`: `bmc` and `kind` only search for lassos up to the depth bound (k-induction has no
/// liveness counterpart here); `pdr` asks PDR first, then BMC for the lassos of what it refuted; `auto` searches
/// for lassos up to `autoDepth` (4) first, then resumes the rankings that ran out, then asks PDR about the rest,
/// then BMC again up to the bound, and past it for the lassos of what PDR refuted.
final class LivenessDriver {
    let liveness: LivenessEncoding
    let bmc: BoundedModelChecker
    let decoder: TraceDecoder
    let options: SMTOptions
    let memoryMegabytes: Int?
    /// Milliseconds left before the run's time limit (nil: none).
    let remaining: () -> Int?
    /// Counts one solver query: method, property, seconds.
    let record: (String, String, Double) -> Void

    /// Per property index in `system.properties`.
    private(set) var findings: [Int: Finding] = [:]
    /// The deepest lasso length searched completely.
    private(set) var depthReached = -1
    /// Whether PDR was asked.
    private(set) var proofsTried = false
    /// For each property PDR proved: its name and the product invariant.
    private(set) var invariants: [(property: String, invariant: String)] = []
    /// Why PDR did not decide a property.
    private(set) var rejections: [Int: String] = [:]
    /// Why the run stopped early, if it did.
    private(set) var stopReason: StopReason?
    /// Liveness properties (indices into `liveness.properties`) PDR found violated: BMC looks past the bound.
    private var refuted: Set<Int> = []
    /// Liveness properties (indices into `liveness.properties`) without a fair lasso in the explicit graph: lasso
    /// BMC cannot find one either (the Z3-checked lassos and the differential tests hold the encoding to the
    /// machine), so it skips them and they are left to liveness-to-safety under PDR, which alone proves them.
    private var lassoFree: Set<Int> = []
    /// The reachable states of the explicit graph, when its lassos were used.
    private(set) var graphStates: Int?
    private let lassos: LassoSearch
    /// The reachable sets shown closed in this run (a `leadsto` ranking's closure is checked once per set).
    let closedSets: ClosedSets?

    init(liveness: LivenessEncoding, bmc: BoundedModelChecker, decoder: TraceDecoder, options: SMTOptions, memoryMegabytes: Int?,
         closedSets: ClosedSets? = nil, remaining: @escaping () -> Int?, record: @escaping (String, String, Double) -> Void) {
        self.closedSets = closedSets
        self.liveness = liveness
        self.bmc = bmc
        self.decoder = decoder
        self.options = options
        self.memoryMegabytes = memoryMegabytes
        self.remaining = remaining
        self.record = record
        lassos = LassoSearch(liveness: liveness, bmc: bmc)
        // Decided by an earlier run of the combination (the second pass): skipped, reported unknown, merged later.
        for property in liveness.properties where options.settled.contains(property.index) {
            findings[property.index] = .decided(.unknown, nil, note: nil)
        }
    }

    private var system: TransitionSystem { liveness.system }
    private func name(_ p: Int) -> String { system.properties[liveness.properties[p].index].info.name }
    private func isUndecided(_ p: Int) -> Bool { findings[liveness.properties[p].index] == nil }
    private var undecided: [Int] { liveness.properties.indices.filter(isUndecided) }

    private func timed<T>(_ method: String, _ property: String, _ query: () throws -> T) rethrows -> T {
        let begin = Clock.now()
        defer { record(method, property, Clock.now() - begin) }
        return try query()
    }

    /// Runs the methods in `options.method`'s order. Returns when every property is decided, the methods are
    /// exhausted, or the run must stop (`stopReason`).
    func run() throws {
        guard !undecided.isEmpty else { return }
        let limit = max(0, options.maxDepth)
        switch options.method {
        case .bmc, .kind, .houdini:
            // The invariant finder proves safety only: liveness gets lassos, as under bmc and kind.
            try search(to: limit)
        case .pdr:
            guard try prove() else { return }
            try search(to: limit)
        case .auto:
            // A lasso search to the bound cost seconds even on models of a few states (measured when each query
            // had k loop candidates, before the linear loop encoding), where PDR decides in about one: shallow
            // lassos first, then PDR, then BMC for the lassos of what PDR refuted (and up to the bound for what
            // it left open).
            guard try search(to: min(limit, max(0, options.autoDepth))) else { return }
            // The rankings that ran out before the safety methods resume (`RankingProgress`) with at most half the
            // time left before PDR, and with the rest after it: kernel-next-state's `Terminates` ranking (6,659
            // region states) needs about a second of CPU, while its PDR query runs to the 20 s query limit and
            // took the rest of the combination's share, so the ranking was never asked again (measured, docs/smt.md);
            // on v1-region-any-user's leadsto (86,814 reachable states) PDR proves in about a second what its
            // ranking needs several for, and gets at least half the time.
            guard try askPendingRankings(share: 2) else { return }
            guard try prove() else { return }
            guard try askPendingRankings(share: nil) else { return }
            try search(to: limit)
        }
    }

    /// Whether the run must stop now; sets `stopReason`.
    private func mustStop() -> Bool {
        if let left = remaining(), left <= 0 {
            stopReason = options.timeStopReason
            return true
        }
        if let reason = options.budget.interruption?() {
            stopReason = reason
            return true
        }
        return false
    }

    /// The explicit graph's lassos (`ExplicitLassos`), each checked by Z3 in the encoding before it is a verdict:
    /// only under `auto`, and only when the explorer's search completes within `options.explicitLassoStates`
    /// states (else nothing changes). A lasso Z3 does not accept is never reported: the property stays undecided
    /// for the other methods, with the reason in its note. Returns false when the run stopped.
    func decideFromGraph() throws -> Bool {
        guard options.method == .auto, options.explicitLassoStates > 0, !liveness.properties.isEmpty else { return true }
        if mustStop() { return false }
        let seconds = remaining().map { Double(max(0, $0)) / 1000 }
        let graph = timed("graph", "(explorer search)") {
            ExplicitLassos.find(system: system, maxStates: options.explicitLassoStates, timeoutSeconds: seconds,
                                maxMemoryBytes: options.budget.maxMemoryBytes, interruption: options.budget.interruption)
        }
        guard let graph else { return !mustStop() }
        graphStates = graph.states
        for p in undecided {
            let index = liveness.properties[p].index
            switch graph.outcomes[index] {
            case .lasso(let trace, let note)?:
                if mustStop() { return false }
                guard let loopStart = trace.loopStart else { continue }
                let outcome = try timed("lasso check", name(p)) {
                    try liveness.check(lasso: trace.steps.map(\.state), loopStart: loopStart, property: p,
                                       memoryMegabytes: memoryMegabytes, timeoutMilliseconds: remaining())
                }
                switch outcome {
                case .accepted:
                    findings[index] = .decided(.violated, trace, note: note)
                case .rejected(let reason):
                    rejections[index] = "internal error: the explicit graph's lasso was rejected by Z3 (\(reason))"
                case .unknown(let reason):
                    if mustStop() { return false }
                    rejections[index] = "the explicit graph's lasso was not checked: \(SymbolicRunFormat.describe(reason))"
                }
            case .holds(let ranking)?:
                lassoFree.insert(p)
                rejections[index] = "the explicit graph (\(graph.states) states) has no fair lasso; lasso BMC skipped"
                guard let ranking else { continue }
                // Before the safety methods a ranking gets at most a quarter of what the run has left (a check that
                // runs to the query limit on a few thousand states would use the share the safety methods need:
                // measured on kernel-next-state and v2-device); what runs out is asked again after them.
                let budget = remaining().map { $0 / 4 }
                guard try certify(p, ranking, reachable: graph.reachable, budget: budget) else { return false }
            case nil:
                continue
            }
        }
        return true
    }

    /// Asks the pending rankings again, each resuming its check, within `1 / share` of the time left (nil: the
    /// whole query limit, the last attempt). Returns false when the run stopped.
    private func askPendingRankings(share: Int?) throws -> Bool {
        let pending = pendingRankings
        pendingRankings = []
        for (p, ranking, reachable, progress) in pending where isUndecided(p) {
            let budget = share.flatMap { share in remaining().map { $0 / share } }
            guard try certify(p, ranking, reachable: reachable, budget: budget, progress: progress) else { return false }
        }
        return true
    }

    /// Rankings (indices into `liveness.properties`) whose check ran out before the safety methods, with the
    /// reachable states they need and what their check had shown: asked again by `run()` after PDR, with the whole
    /// query limit, resuming where the check stopped (`RankingProgress`).
    private var pendingRankings: [(property: Int, ranking: LivenessRanking, reachable: [[UInt64]], progress: RankingProgress)] = []

    /// Z3's check of the explicit graph's ranking for property `p`, all obligations within `budget` milliseconds
    /// (nil: each query within the PDR query limit and the run's time). Returns false when the run stopped.
    private func certify(_ p: Int, _ ranking: LivenessRanking, reachable: [[UInt64]], budget: Int?,
                         progress: RankingProgress = RankingProgress()) throws -> Bool {
        if mustStop() { return false }
        let index = liveness.properties[p].index
        let deadline = budget.map { Clock.now() + Double($0) / 1000 }
        let limit: () -> Int? = {
            var limit = min(self.remaining() ?? Int.max, self.options.pdrQuerySeconds.map { Int($0 * 1000) } ?? Int.max)
            if let deadline { limit = min(limit, max(1, Int((deadline - Clock.now()) * 1000))) }
            return limit == Int.max ? nil : limit
        }
        let outcome = try timed("ranking check", name(p)) {
            try liveness.check(ranking: ranking, reachable: reachable, property: p, memoryMegabytes: memoryMegabytes, closedSets: closedSets,
                               progress: progress, timeoutMilliseconds: limit, record: { record("ranking check", "(\($0))", $1) })
        }
        switch outcome {
        case .accepted:
            let count = ranking.states.count
            findings[index] = .decided(.holds, nil, note: "proved by a ranking from the explicit graph (\(count) region state\(count == 1 ? "" : "s"), checked by Z3)")
        case .rejected(let reason):
            rejections[index] = "internal error: the explicit graph's ranking was rejected by Z3 (\(reason))"
        case .unknown(let reason):
            if mustStop() { return false }
            if budget != nil {
                pendingRankings.append((p, ranking, reachable, progress))
            } else {
                rejections[index] = (rejections[index] ?? "") + "; its ranking was not checked: \(SymbolicRunFormat.describe(reason))"
            }
        }
        return true
    }

    /// Lasso-shaped BMC from the next depth up to `limit`, further while a property PDR refuted has no lasso.
    /// Returns false when the run stopped.
    @discardableResult
    private func search(to limit: Int) throws -> Bool {
        var k = depthReached + 1
        while k <= limit || refuted.contains(where: isUndecided) {
            let open = undecided.filter { !lassoFree.contains($0) || refuted.contains($0) }
            if open.isEmpty { return true }
            if mustStop() { return false }
            for p in open {
                let condition = try timed("encoding", "(lasso)") { try lassos.violation(p, k: k) }
                let (outcome, model) = try timed("lasso bmc", name(p)) { try bmc.check(condition, timeoutMilliseconds: remaining()) }
                switch outcome {
                case .unknown(let reason):
                    if !mustStop() { stopReason = .solver(SymbolicRunFormat.describe(reason)) }
                    return false
                case .unsatisfiable:
                    continue
                case .satisfiable:
                    guard let model else { continue }
                    findings[liveness.properties[p].index] = counterexample(p, k: k, model: model)
                }
            }
            depthReached = k
            k += 1
        }
        return true
    }

    /// The finding for a lasso of k steps in the model: violated, or unknown with the internal error when the
    /// machine does not confirm it.
    private func counterexample(_ p: Int, k: Int, model: Z3Model) -> Finding {
        do {
            let states = try bmc.frames[0...k].map { try decoder.state($0, in: model) }
            let lasso = try decoder.lasso(states, property: liveness.properties[p].index)
            return .decided(.violated, lasso.trace, note: lasso.note)
        } catch {
            // Decoding refused as cancelled after the run's limit: the property stays undecided and the run's
            // stop reason says what stopped it (as `SMTEngine` treats a safety counterexample), instead of an
            // unknown verdict whose note is Z3's word for the cancellation.
            if SymbolicRunFormat.isCancellation(error), mustStop() { return .undecided }
            return .decided(.unknown, nil, note: "\(error)")
        }
    }

    /// Liveness-to-safety under PDR for every undecided property. Returns false when the run stopped.
    private func prove() throws -> Bool {
        proofsTried = true
        let proof = LivenessProof(liveness: liveness, memoryMegabytes: memoryMegabytes)
        for p in undecided {
            if mustStop() { return false }
            var limit = remaining()
            if let query = options.pdrQuerySeconds { limit = min(limit ?? Int.max, Int(query * 1000)) }
            let (outcome, template) = try timed("pdr", name(p)) {
                try proof.prove(p, timeoutMilliseconds: limit, check: remaining)
            }
            switch outcome {
            case .proved(let invariant):
                findings[liveness.properties[p].index] = .decided(.holds, nil, note: "proved by liveness-to-safety under PDR (inductive invariant checked)")
                if let template { invariants.append((name(p), try proof.render(invariant, template: template))) }
            case .reachable:
                refuted.insert(p)
            case .rejected(let reason):
                rejections[liveness.properties[p].index] = reason
            case .unknown(let reason):
                if remaining().map({ $0 <= 0 }) ?? false || options.budget.interruption?() != nil {
                    if !mustStop() { stopReason = .solver(SymbolicRunFormat.describe(reason)) }
                    return false
                }
                rejections[liveness.properties[p].index] = "PDR: \(SymbolicRunFormat.describe(reason))"
                    + (options.pdrQuerySeconds.map { " (\(SymbolicRunFormat.seconds($0)) s per query)" } ?? "")
            }
        }
        return true
    }
}
