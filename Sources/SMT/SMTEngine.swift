import ModelLanguage
import PackedSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the symbolic engine decides safety properties.
public enum SMTMethod: String, Sendable, CaseIterable {
    /// Bounded model checking only: finds violations and witnesses, proves nothing.
    case bmc
    /// BMC with k-induction at every depth (proofs up to k = `maxDepth`).
    case kind
    /// IC3/PDR (Z3's Spacer) proves or refutes each property without a bound; BMC rebuilds the shortest trace
    /// of every property PDR refutes, at whatever depth it takes.
    case pdr
    /// The invariant finder (`InvariantFinder`: the reachable set as a checked certificate when a simulation
    /// through the compiled machine saw every state, else Houdini over template lemmas the simulation did not
    /// falsify) proves what it can, then BMC to `maxDepth` finds violations and witnesses.
    case houdini
    /// The invariant finder's simulation; when it saw every state and the certificate is expected to fit in
    /// the time left, the certificate first (holds and violations), else BMC with k-induction up to a small
    /// depth (`autoDepth`) and then the finder; then BMC alone up to `maxDepth`, PDR for the rest, and BMC for
    /// the traces of what PDR refuted.
    case auto
}

/// Options of the symbolic engine: its own settings, and the limits every engine shares (`budget`).
public struct SMTOptions: Sendable {
    /// The run's limits: `timeoutSeconds` for the whole run (and passed to Z3 per query), `maxMemoryBytes` passed
    /// to Z3, `interruption` asked before every bound. `maxStates` does not apply: the engine stores no states.
    public var budget = EngineBudget()
    /// The deepest bound for bounded model checking and k-induction.
    public var maxDepth: Int = 40
    /// How safety properties are decided.
    public var method: SMTMethod = .auto
    /// For `auto`: the depth up to which BMC and k-induction run before PDR takes over.
    public var autoDepth: Int = 4
    /// The time limit of one PDR query, in seconds (nil: only the run's limit). Spacer is slow to find deep
    /// counterexamples (a goal 150 steps deep takes minutes where BMC takes seconds), so a query that runs out
    /// leaves its property to BMC instead of stopping the run.
    public var pdrQuerySeconds: Double? = 20
    /// Which IC3/PDR answers the safety PDR queries of `pdr` and `auto` (liveness-to-safety stays with Spacer).
    /// The own IC3 by default: it proves the wide counters Spacer does not (16 bits) or proves in twice the time
    /// (8 bits), and ties with Spacer on the library (docs/smt.md, "Spacer against the own IC3, measured").
    public var pdrEngine = PDREngine.ic3
    /// The time limit of the invariant finder (simulation and every query together), in seconds (nil: only the
    /// run's limit); it never takes more than half of what the run has left. When it runs out the finder proves
    /// nothing and the properties go on to BMC. Under `auto` the certificate of a whole state space that is
    /// expected to fit in the time left (`certificateSecondsPerState`) runs first and without this limit; 0
    /// switches the finder off.
    public var houdiniSeconds: Double? = 20
    /// Under `auto`: the explorer's lassos on the reachable graph are checked by Z3 and reported when its search
    /// completes within this many states (`ExplicitLassos`; 0: never). As the invariant finder's breadth-first
    /// limit: every combination of the library has fewer.
    var explicitLassoStates = 100_000
    /// The candidate templates and the simulation that prunes them.
    var candidateLimits = CandidateLimits()
    /// For tests only: the reachable set's certificate made wrong on purpose, to see it rejected.
    var tampering: CertificateTampering?
    /// Under `auto`: the CPU seconds per state the reachable set's certificate is expected to take, to decide
    /// whether it goes before k-induction (when it fits in the time left) or after it with at most half
    /// (`houdiniSeconds`). Measured on v2-qemu-p2p's first combination (39,886 states, release build): about
    /// 0.65 ms per state in chunks, on an idle machine as on a loaded one in CPU time.
    var certificateSecondsPerState = 0.000_65
    /// For tests only: the fraction of a core `certificateFits` takes the run to have (nil: measured).
    var coreFraction: Double?
    /// States per chunk of the reachable set's certificate (`LayeredCertificate`).
    var certificateChunk = LayeredCertificate.defaultChunkSize
    /// The seconds this run may use when it is one of several variant combinations sharing the command's time
    /// limit (nil: all of `budget.timeoutSeconds`). A run that used its share stops as at a time limit, with
    /// `StopReason.timeShare`, so the combinations after it are started (see `SystemChecking.checkMatrix`).
    public var timeShare: Double?
    /// The record of the simulations of the combinations sharing the limit: under `auto`, a run's `timeShare` is
    /// weighted by the states its simulation saw once it has counted them (`ShareWeights`). Nil: equal shares.
    public var shareWeights: ShareWeights?
    /// Under `auto`, what a run sharing the limit does when its reachable set's certificate does not fit its share
    /// but is expected to fit in the time left of the command (`CertificateOverShare`; the two passes over a
    /// model's combinations, `SystemChecking.checkMatrix`).
    public var overShare = CertificateOverShare.keepShare
    /// Properties (indices into `system.properties`) an earlier run of the same combination decided: this run
    /// skips them and reports them `unknown` (the second pass merges the two runs, `SMTRun.continued(by:)`).
    public var settled: Set<Int> = []
    /// Under `auto`: k-induction to `autoDepth` was already tried on every property not `settled` (the second pass
    /// continuing a deferred run), so BMC alone covers those depths.
    public var inductionDone = false
    /// What an earlier run of the same combination had Z3 answer of the reachable set's certificate before its time
    /// ran out (`SMTRun.certificateProgress`): this run's check of the same certificate asks only the rest.
    public var resumeCertificate: CertificateProgress?

    /// Default options.
    public init() {}

    /// The CPU seconds a reachable set's certificate over `states` states is expected to take
    /// (`certificateSecondsPerState` each): the one estimate the run's and the second pass's decisions share.
    func certificateSeconds(states: Int) -> Double { Double(states) * certificateSecondsPerState }

    /// The seconds this run may use: its share, or the time left of the limit, whichever is shorter.
    var runSeconds: Double? {
        switch (budget.timeoutSeconds, timeShare) {
        case (let limit?, let share?): return min(limit, share)
        case (let limit, let share): return limit ?? share
        }
    }

    /// Why a run stops when `runSeconds` have passed: its share when that is shorter than the limit.
    var timeStopReason: StopReason {
        if let share = timeShare, share < budget.timeoutSeconds ?? .infinity {
            return .timeShare(seconds: share, of: budget.timeLimitShown)
        }
        return .timeLimit(seconds: budget.timeLimitShown)
    }
}

/// The symbolic engine: bounded model checking finds shortest violations and witnesses; k-induction and PDR
/// prove invariants; lasso-shaped BMC and liveness-to-safety under PDR decide liveness (`eventually`,
/// `leadsto`). Results use the explorer's types.
public final class SMTEngine: CheckingEngine {
    /// Results carry `.smt`.
    public static let id = EngineID.smt
    /// The system checked.
    public let system: TransitionSystem
    /// Limits.
    public let options: SMTOptions
    /// The file name reported in results.
    public let file: String

    /// Creates an engine for a system.
    public init(system: TransitionSystem, options: SMTOptions = SMTOptions(), file: String) {
        self.system = system
        self.options = options
        self.file = file
    }

    /// The limits of the run.
    public var budget: EngineBudget { options.budget }

    /// Checks every property, and also returns where the solver time went and the invariants PDR proved. Never
    /// throws: a Z3 error leaves the undecided properties unknown, with the error as their note.
    public func run() -> SMTRun {
        let system = self.system
        let options = self.options
        let file = self.file
        // Encoding recurses over expressions as deep as the model's: run where the stack is large.
        return LargeStack.run { SymbolicRun(system: system, options: options, file: file).run() }
    }
}

/// A run's result with the engine's own details.
public struct SMTRun: EngineRun, Sendable {
    /// The verdicts, in the explorer's types.
    public let result: CheckResult
    /// Per method and property: solver queries and seconds.
    public let queries: SMTQueryStatistics
    /// For each property PDR proved: its name and the checked inductive invariant (SMT-LIB, over the cells'
    /// ordinals). Properties proved together share one invariant.
    public let invariants: [(property: String, invariant: String)]
    /// The states the invariant finder's simulation saw (nil: it did not run), the size the second pass orders by.
    public internal(set) var simulatedStates: Int?
    /// Whether the run stopped after k-induction to leave its certificate to the second pass
    /// (`CertificateOverShare.deferToSecondPass`).
    public internal(set) var deferred = false
    /// The runs of the combination this one merges: 2 when the second pass continued it (`continued(by:)`).
    public internal(set) var passes = 1
    /// What Z3 answered of the reachable set's certificate when its check did not end (its time ran out), for the
    /// second pass to resume (`SMTOptions.resumeCertificate`); nil when there is nothing to resume.
    public internal(set) var certificateProgress: CertificateProgress?
}

/// Thrown to end a phase that has no query to interrupt (the encoding) when the run must stop.
private struct Stopped: Error {}

/// What is known about one property during a run.
enum Finding {
    case undecided
    case decided(Verdict, Trace?, note: String?)
}

/// One run of the symbolic engine. Owns the Z3 context; not Sendable.
private final class SymbolicRun {
    let system: TransitionSystem
    /// Its `timeShare` is weighted once the simulation has counted the states (`weighShare`).
    private(set) var options: SMTOptions
    let file: String
    let start = Clock.now()
    /// This thread's CPU seconds when the run started (see `certificateFits`).
    let startCPU = Clock.threadCPU()
    private var findings: [Finding]
    private var depthReached = -1
    private var inductionReached = -1
    private var stopReason: StopReason?
    private var queries = SMTQueryStatistics()
    private var invariants: [(property: String, invariant: String)] = []
    /// Properties PDR found violated (or reached): BMC looks for their traces beyond the depth bound.
    private var refuted: Set<Int> = []
    /// Why PDR did not decide a property: its proof was not believed, or its query ran out of time.
    private var rejections: [Int: String] = [:]
    /// The liveness search, once it has run.
    private var liveness: LivenessDriver?
    /// The reachable sets Z3 has shown closed: the finder's certificate and a leadsto ranking share the check.
    private let closedSets = ClosedSets()
    /// What the invariant finder did (nil: it did not run), for the note of a property left undecided.
    private var finderAttempt: FinderAttempt?
    /// The properties PDR was asked about, for the note of a property left undecided.
    private var pdrAsked: Set<Int> = []
    /// The states the simulation saw, and whether the run left its certificate to the second pass.
    private var simulatedStates: Int?
    private var deferred = false
    /// What the certificate's checks have had Z3 answer, starting from an earlier run's (`CertificateProgress`).
    private var certificateProgress: CertificateProgress?

    init(system: TransitionSystem, options: SMTOptions, file: String) {
        self.system = system
        self.options = options
        self.file = file
        certificateProgress = options.resumeCertificate
        findings = Array(repeating: .undecided, count: system.properties.count)
        for index in options.settled where index < findings.count { findings[index] = .decided(.unknown, nil, note: nil) }
        // The first run's k-induction counts in the notes of what stays undecided.
        if options.inductionDone { inductionReached = min(max(0, options.maxDepth), max(0, options.autoDepth)) }
    }

    private var memoryMegabytes: Int? { options.budget.maxMemoryBytes.map { max(1, $0 >> 20) } }

    /// Milliseconds left before the time limit (nil: no limit); zero or less means it has passed.
    private var remainingMilliseconds: Int? {
        guard let timeout = options.runSeconds else { return nil }
        return Int(((timeout - (Clock.now() - start)) * 1000).rounded(.down))
    }

    private var timedOut: Bool { (remainingMilliseconds ?? 1) <= 0 }

    /// Whether the engine decides this kind of property.
    private static func isSafety(_ kind: CheckedPropertyKind) -> Bool {
        switch kind {
        case .invariant, .reachable, .assertion, .deadlock, .bounds: return true
        case .eventually, .leadsto: return false
        }
    }

    /// Whether bounded model checking found a violation or a witness of the property.
    private func hasTrace(_ index: Int) -> Bool {
        if case .decided(_, let trace?, _) = findings[index] { return trace.steps.count > 0 }
        return false
    }

    private func isUndecided(_ index: Int) -> Bool {
        if case .undecided = findings[index] { return true }
        return false
    }

    func run() -> SMTRun {
        do {
            try check()
        } catch is Stopped {
            // `mustStop()` recorded why.
        } catch {
            // A call Z3 refused as cancelled once the run's limit or interruption has come is that stop, whatever
            // word Z3 used (`Z3Context.clearInterrupt` keeps a late interrupt from causing one; this keeps the
            // reason right should another path do so).
            if !(SymbolicRunFormat.isCancellation(error) && mustStop()) { stopReason = .engineError("\(error)") }
        }
        var run = SMTRun(result: result(), queries: queries, invariants: invariants + (liveness?.invariants ?? []))
        run.simulatedStates = simulatedStates
        run.deferred = deferred
        // Only worth keeping while a property is open: a certificate that passed decided every one it was about.
        if run.result.hasUnknown, certificateProgress?.answeredAny ?? false { run.certificateProgress = certificateProgress }
        return run
    }

    private static let everyProperty = "(all undecided)"

    private func name(_ index: Int) -> String { system.properties[index].info.name }

    /// Runs one solver query, counting it under the method and property.
    private func timed<T>(_ method: String, _ property: String, _ query: () throws -> T) rethrows -> T {
        let begin = Clock.now()
        defer { queries.record(method: method, property: property, seconds: Clock.now() - begin) }
        return try query()
    }

    // MARK: The search

    private func check() throws {
        let z3 = try Z3Context(memoryMegabytes: memoryMegabytes, interruption: options.budget.interruption)
        let encoding = try timed("encoding", "(transition relation)") {
            try SystemEncoding(z3: z3, system: system, poll: { if self.mustStop() { throw Stopped() } })
        }
        let search = Search(z3: z3, encoding: encoding, decoder: TraceDecoder(system: system),
                            bmc: try BoundedModelChecker(encoding: encoding, memoryMegabytes: memoryMegabytes),
                            induction: try KInduction(encoding: encoding, memoryMegabytes: memoryMegabytes),
                            safety: system.properties.indices.filter { Self.isSafety(system.properties[$0].info.kind) },
                            properties: PropertyEncodings(encoding: encoding))
        let livenessEncoding = try timed("encoding", "(liveness)") { try LivenessEncoding(encoding: encoding) }
        guard livenessEncoding.properties.contains(where: { !options.settled.contains($0.index) }) else {
            if !search.safety.isEmpty { _ = try checkSafety(search) }
            return
        }
        // The lasso search gets an unrolling of its own, never the safety search's: that one may already be deeper
        // than the lasso asked for (BMC to --smt-depth), and every step asserted past frame k forces frame k to
        // have a successor, so a lasso ending in a dead end at k could not be found. On v1-framing's refused
        // setup (dead ends after 2 to 4 steps, BMC at depth 40 first, measured at 55ca92e) that left
        // MigrationSucceeds to PDR, which refuted it, and the search for its lasso past the bound then ran
        // until the limit (1,500 to 16,000 frames, 1 to 2.6 GB), where a term constructor stalled on Z3's
        // grown tables and the watchdog ended the command with no output (docs/smt.md).
        let lassoUnrolling = try BoundedModelChecker(encoding: encoding, memoryMegabytes: memoryMegabytes)
        let driver = LivenessDriver(liveness: livenessEncoding, bmc: lassoUnrolling, decoder: search.decoder, options: options,
                                    memoryMegabytes: memoryMegabytes, closedSets: closedSets, remaining: { self.remainingMilliseconds },
                                    record: { self.queries.record(method: $0, property: $1, seconds: $2) })
        liveness = driver
        // The explicit graph's lassos first (under auto): they cost the explorer's search, about a second on the
        // library's largest combinations, and a combination's share is often used up by the safety methods.
        guard try driver.decideFromGraph() else { return }
        if !search.safety.isEmpty {
            guard try checkSafety(search) else { return }
        }
        try driver.run()
    }

    /// Decides the safety properties by `options.method`. Returns false when the run stopped.
    private func checkSafety(_ search: Search) throws -> Bool {
        let maxDepth = max(0, options.maxDepth)
        switch options.method {
        case .bmc:
            return try deepen(search, to: maxDepth, induct: false)
        case .kind:
            return try deepen(search, to: maxDepth, induct: true)
        case .houdini:
            if let candidates = try simulate(search) {
                guard try findInvariant(search, candidates: candidates, uncapped: false) else { return false }
            } else if mustStop() {
                return false
            }
            return try deepen(search, to: maxDepth, induct: false)
        case .pdr:
            guard try prove(search) else { return false }
            return try deepen(search, to: maxDepth, induct: false)
        case .auto:
            // The simulation first (a breadth-first search through the compiled machine, at most 100,000
            // states, well under a second on the library's largest combinations). When it saw every state, the
            // reachable set's certificate decides every safety property at once, holds and violations (with the
            // explorer's traces), so it goes first and takes the time it needs when it is expected to finish in
            // the time left (`certificateFits`): run after k-induction with at most half the time left, it never
            // fitted v2-qemu-p2p's combinations; run first where it does not fit, it decided nothing where
            // k-induction decided a few properties (docs/smt.md "auto's order"). Otherwise k-induction's step queries grow quadratically with k (simple-path constraints) while
            // BMC's stay cheap: induction only at small depths, Houdini over the partial sample's candidates, BMC
            // alone to the bound (most violations), PDR for the rest (mostly properties that hold), then BMC for
            // the traces of what PDR refuted.
            let candidates = try simulate(search)
            if let candidates {
                simulatedStates = candidates.breadthOrder.count
                weighShare(states: candidates.breadthOrder.count)
            }
            // What the certificate is expected to cost: its states, less those an earlier run's check answered.
            let work = candidates.map { certificateProgress?.statesLeft(of: $0.breadthOrder.count) ?? $0.breadthOrder.count } ?? 0
            if let candidates, candidates.exhaustive, certificateFits(states: work) || stretchShare(states: work) {
                guard try findInvariant(search, candidates: candidates, uncapped: true) else { return false }
                guard try deepen(search, to: min(maxDepth, max(0, options.autoDepth)), induct: !options.inductionDone) else { return false }
            } else {
                if candidates == nil, mustStop() { return false }
                guard try deepen(search, to: min(maxDepth, max(0, options.autoDepth)), induct: !options.inductionDone) else { return false }
                if let candidates, candidates.exhaustive, deferCertificate(states: work) { return false }
                if let candidates { guard try findInvariant(search, candidates: candidates, uncapped: false) else { return false } }
            }
            guard try deepen(search, to: maxDepth, induct: false) else { return false }
            guard try prove(search) else { return false }
            return try deepen(search, to: maxDepth, induct: false)
        }
    }

    /// What one run's search works with.
    private struct Search {
        let z3: Z3Context
        let encoding: SystemEncoding
        let decoder: TraceDecoder
        let bmc: BoundedModelChecker
        let induction: KInduction
        let safety: [Int]
        let properties: PropertyEncodings
    }

    /// Whether BMC must go on past `depth`: a property PDR refuted has no trace yet. (`bounds` is excluded:
    /// PDR refutes its stricter notion, which the explorer's may not share.)
    private func mustDeepen() -> Bool {
        refuted.contains { isUndecided($0) && system.properties[$0].info.kind != .bounds }
    }

    /// Bounded model checking from the next depth up to `limit` (further while a property PDR refuted has no
    /// trace yet), with the k-induction step at each depth when `induct`. Returns false when the run stopped.
    @discardableResult
    private func deepen(_ search: Search, to limit: Int, induct: Bool) throws -> Bool {
        let z3 = search.z3
        let bmc = search.bmc
        let safety = search.safety
        var k = depthReached + 1
        while k <= limit || mustDeepen() {
            if !safety.contains(where: isUndecided) { return true }
            if mustStop() { return false }
            while bmc.depth < k { try timed("encoding", "(unrolling)") { try bmc.extend() } }
            // Base: the shortest violations (and witnesses) have exactly k transitions.
            let pending = safety.filter(isUndecided)
            let unfound = safety.filter { !hasTrace($0) }
            var bad: [(property: Int, condition: Term)] = []
            for index in pending {
                for condition in try search.properties.bmcBad(index, k: k, frames: bmc.frames, unfound: unfound) {
                    bad.append((index, condition))
                }
            }
            let anyBad = try z3.or(bad.map(\.condition))
            let (any, _) = try timed("bmc", Self.everyProperty) {
                try bmc.check(anyBad, timeoutMilliseconds: remainingMilliseconds)
            }
            switch any {
            case .unknown(let reason):
                stopAfterUnknown(reason)
                return false
            case .unsatisfiable:
                // No undecided property is violated at depth k on any path: kept as a fact, so the solver does
                // not rediscover it after the pop (measured: the "any" query takes about half the time on
                // v1-ndma-p2p and v2-qemu-p2p, docs/smt.md "Where the time goes").
                try bmc.learn(try z3.not(anyBad))
            case .satisfiable:
                for (index, condition) in bad where isUndecided(index) {
                    let (outcome, model) = try timed("bmc", name(index)) { try bmc.check(condition, timeoutMilliseconds: remainingMilliseconds) }
                    switch outcome {
                    case .unknown(let reason):
                        stopAfterUnknown(reason)
                        return false
                    case .unsatisfiable: continue
                    case .satisfiable:
                        guard let model else { continue }
                        findings[index] = counterexample(index, k: k, model: model, frames: bmc.frames, decoder: search.decoder, unfound: unfound)
                    }
                }
            }
            depthReached = k
            if induct {
                // Step: prove what is left by induction at depth k.
                guard try self.induct(k: k, safety: safety, properties: search.properties, induction: search.induction, bmc: bmc) else { return false }
                inductionReached = k
            }
            k += 1
        }
        return true
    }

    /// The invariant finder for every undecided property: a simulation through the compiled machine, then the
    /// reachable set as a layered certificate (when the simulation saw every state) or the Houdini loop over the
    /// candidates it left, then the independent check. With the whole state space, a property the sample
    /// violates is decided violated too, with the explorer's shortest trace, once Z3 has replayed the path in the
    /// encoding and the certificate has shown no shorter violation there (`certifiedViolation`); a sample that is
    /// not the whole state space refutes nothing (BMC gives the trace). Returns false when the run stopped.
    /// The invariant finder's simulation (`InvariantCandidates`), within the finder's own limit
    /// (`houdiniLimit`). Nil when the finder is switched off (`houdiniSeconds` 0), no property is undecided, or
    /// the run must stop.
    private func simulate(_ search: Search) throws -> InvariantCandidates? {
        guard options.houdiniSeconds.map({ $0 > 0 }) ?? true, search.safety.contains(where: isUndecided) else { return nil }
        if mustStop() { return nil }
        let limit = houdiniLimit(from: Clock.now())
        let candidates = timed("houdini", "(simulation)") {
            InvariantCandidates(system: system, limits: options.candidateLimits, stop: { (limit() ?? 1) <= 0 || self.mustStop() })
        }
        return mustStop() ? nil : candidates
    }

    /// Weights this run's share of the limit by the states its simulation saw (`ShareWeights`), when it shares
    /// the limit with other combinations.
    private func weighShare(states: Int) {
        guard let share = options.timeShare, let weights = options.shareWeights else { return }
        options.timeShare = weights.weighted(share, states: states, limit: options.budget.timeoutSeconds)
    }

    /// Whether the reachable set's certificate over `states` states is expected to finish in the time the run
    /// has left: `certificateSecondsPerState` of CPU per state, divided by the fraction of a core this run's
    /// thread has had since it started (Z3 answers on the calling thread), so that a loaded machine, where a
    /// run gets a third of a core, asks for three times the wall time. Always true without a time limit.
    private func certificateFits(states: Int) -> Bool {
        certificateFits(states: states, within: remainingMilliseconds)
    }

    /// As above, within `left` milliseconds (nil: no limit).
    private func certificateFits(states: Int, within left: Int?) -> Bool {
        guard let left else { return true }
        let elapsed = Clock.now() - start
        let used = Clock.threadCPU() - startCPU
        let fraction = options.coreFraction ?? (elapsed > 0.1 && used > 0 ? min(1, max(0.05, used / elapsed)) : 1)
        return options.certificateSeconds(states: states) / fraction * 1000 <= Double(left)
    }

    /// The milliseconds left of the command's limit, past this run's share (nil: no limit).
    private var commandMilliseconds: Int? {
        options.budget.timeoutSeconds.map { Int((($0 - (Clock.now() - start)) * 1000).rounded(.down)) }
    }

    /// Under `CertificateOverShare.takeTimeLeft` (the second pass): a certificate that does not fit this run's
    /// share but is expected to fit in the command's time left makes the share that time (the runs after it in
    /// the second pass are larger, so they would not fit in what it leaves). Returns whether it did.
    private func stretchShare(states: Int) -> Bool {
        guard options.overShare == .takeTimeLeft, options.timeShare != nil, certificateFits(states: states, within: commandMilliseconds) else { return false }
        options.timeShare = nil
        return true
    }

    /// Under `CertificateOverShare.deferToSecondPass` (the first pass), after k-induction: a certificate that
    /// does not fit this run's share but is expected to fit in the command's time left ends the run here, so that
    /// the second pass runs it with the time the other combinations leave. Returns whether it did.
    private func deferCertificate(states: Int) -> Bool {
        guard options.overShare == .deferToSecondPass, options.timeShare != nil, !certificateFits(states: states),
              certificateFits(states: states, within: commandMilliseconds) else { return false }
        deferred = true
        return true
    }

    /// The milliseconds the invariant finder started at `begin` may still use: at most `houdiniSeconds`, and at
    /// most half of the time the run had left, so that BMC keeps time for the violations (measured: on v1-p2p's
    /// combinations, 7 s shares of a 60 s limit, the finder took about 3.5 s).
    private func houdiniLimit(from begin: Double) -> () -> Int? {
        let ownSeconds = min(options.houdiniSeconds ?? .infinity, remainingMilliseconds.map { Double($0) / 2000 } ?? .infinity)
        return {
            guard ownSeconds.isFinite else { return self.remainingMilliseconds }
            return min(self.remainingMilliseconds ?? Int.max, Int((ownSeconds - (Clock.now() - begin)) * 1000))
        }
    }

    /// Runs the finder on the simulation's `candidates`, with whatever the run has left when `uncapped` (the
    /// certificate of a whole state space, which decides every safety property, holds and violations: under
    /// `auto` when it is expected to fit), else within `houdiniLimit`.
    private func findInvariant(_ search: Search, candidates: InvariantCandidates, uncapped: Bool) throws -> Bool {
        let pending = search.safety.filter(isUndecided)
        guard !pending.isEmpty else { return true }
        if mustStop() { return false }
        let capped = houdiniLimit(from: Clock.now())
        var limit: Int? { uncapped ? remainingMilliseconds : capped() }
        var goods: [Int: Term] = [:]
        for index in pending { goods[index] = try search.properties.good(index) }
        // With a sample that is the whole state space, the properties true in every state hold, and the others'
        // first findings (read the explorer's way) are their shortest violations: the certificate checks both.
        let sample = timed("houdini", "(sample verdicts)") {
            SampleVerdicts(candidates: candidates, decoder: search.decoder, asked: pending, stop: { (limit ?? 1) <= 0 || self.mustStop() })
        }
        if mustStop() { return false }
        var shortness: [Int: [ShortnessCondition]] = [:]
        for index in pending where !sample.holding.contains(index) {
            guard let violation = sample.violations[index] else { continue }
            shortness[index] = try shortnessConditions(index, violation, sample: sample, search: search)
        }
        let finder = InvariantFinder(encoding: search.encoding, memoryMegabytes: memoryMegabytes, chunkSize: options.certificateChunk,
                                     raiseLabels: options.tampering == .raiseLabels, closedSets: closedSets, resuming: certificateProgress)
        defer { certificateProgress = finder.certificateProgress }
        let outcome = try finder.find(candidates: candidates, goods: goods, holding: sample.holding, shortness: shortness, remaining: { limit },
                                      record: { self.queries.record(method: "houdini", property: "(\($0))", seconds: $1) })
        finderAttempt = Self.attempt(outcome)
        if let reason = finder.certificateRejection {
            // Said for every property the finder leaves undecided (a property Houdini proves is decided anyway).
            for index in pending { rejections[index] = reason }
        }
        switch outcome {
        case .found(let invariant, let proved, let lemmas, let states, let shortest):
            let text: String
            let note: String
            if let states {
                // The reachable set itself: far too long to print, and nothing a reader learns from.
                text = "; the \(states) reachable states of the compiled machine, as a decision diagram over the cells"
                    + " (closed under the SMT encoding's transition relation: checked)"
                note = "proved by the reachable set as an invariant (\(states) states, closure checked by Z3)"
            } else if let invariant {
                text = try search.encoding.render(invariant: invariant)
                note = "proved by Houdini (\(lemmas) lemmas, inductive invariant checked)"
            } else {
                throw SMTError("internal error: a Houdini invariant without its formula")
            }
            for index in proved {
                let kind = system.properties[index].info.kind
                findings[index] = .decided(kind == .reachable ? .unreachable : .holds, nil, note: note)
                invariants.append((name(index), text))
            }
            for index in shortest {
                guard let violation = sample.violations[index] else { continue }
                if mustStop() { return false }
                try certifiedViolation(index, violation, candidates: candidates, search: search)
            }
        case .empty:
            break
        case .rejected(let reason):
            for index in pending { rejections[index] = reason }
        case .unknown(let reason):
            if timedOut || options.budget.interruption?() != nil {
                stopAfterUnknown(reason)
                return false
            }
            // The finder's own limit: the properties go on to BMC and PDR.
        }
        return true
    }

    /// The conditions a violation's shortness rests on (`ShortnessCondition`): no state of the encoding at a
    /// distance below the explorer's bad state meets the property's "bad". For `bounds` the explorer's rule:
    /// a state predicate failing to evaluate counts only while its own property has no finding, so property P's
    /// failures count below the shorter of the trace's length and P's own violation depth; a failing action
    /// counts one step earlier than a bad state (its trace has one step more).
    private func shortnessConditions(_ index: Int, _ violation: SampleViolation, sample: SampleVerdicts, search: Search) throws -> [ShortnessCondition] {
        let z3 = search.z3
        let encoding = search.encoding
        let claimed = options.tampering == .claimDeeper ? 1 : 0
        guard system.properties[index].info.kind == .bounds else {
            return [ShortnessCondition(bad: try z3.not(try search.properties.good(index)), below: violation.depth + claimed)]
        }
        let length = violation.length + claimed
        var conditions: [ShortnessCondition] = []
        for other in encoding.predicateFailure.keys.sorted() {
            guard let failure = encoding.predicateFailure[other] else { continue }
            var below = length
            if let own = sample.violations[other], own.shape == .state { below = min(below, own.depth) }
            conditions.append(ShortnessCondition(bad: failure, below: below))
        }
        conditions.append(ShortnessCondition(bad: encoding.actionBoundsFailure, below: length - 1))
        return conditions
    }

    /// Decides property `index` violated with the explorer's shortest path to `violation`, once Z3 has replayed
    /// that path in the SMT encoding (`PathReplay`): each frame's cells fixed to the path's values, the initial
    /// states and the transition relation asserted, and the property's bad condition at the last frame. The
    /// trace is then decoded from Z3's model and checked on the machine exactly like a BMC trace
    /// (`counterexample`). A path the encoding does not accept is never a verdict: the property stays
    /// undecided for BMC, with the reason noted.
    private func certifiedViolation(_ index: Int, _ violation: SampleViolation, candidates: InvariantCandidates, search: Search) throws {
        let encoding = search.encoding
        let bad: Term
        var unfound: [Int] = []
        switch (violation.shape, system.properties[index].info.kind) {
        case (.predicateFailure(let of), _):
            guard let failure = encoding.predicateFailure[of] else { throw SMTError("internal error: no predicate failure for property \(of)") }
            bad = failure
            unfound = [of]
        case (.failingAction, .bounds):
            bad = encoding.actionBoundsFailure
        default:
            bad = try search.z3.not(try search.properties.good(index))
        }
        var path = candidates.path(to: violation.state)
        if options.tampering == .skipPathStep, path.count > 2 { path.remove(at: 1) }
        let replay = PathReplay(encoding: encoding, memoryMegabytes: memoryMegabytes)
        let outcome = try timed("houdini", "(trace)") {
            try replay.replay(path, bad: bad, timeoutMilliseconds: remainingMilliseconds)
        }
        switch outcome {
        case .accepted(let model, let frames):
            findings[index] = counterexample(index, k: path.count - 1, model: model, frames: frames, decoder: search.decoder, unfound: unfound)
        case .rejected(let reason):
            rejections[index] = "internal error: \(reason)"
        case .unknown(let reason):
            stopAfterUnknown(reason)
            throw Stopped()
        }
    }

    /// PDR for every undecided property: first all of them at once (one invariant often proves them all),
    /// then one by one. Returns false when the run stopped.
    private func prove(_ search: Search) throws -> Bool {
        let z3 = search.z3
        let pdr = PropertyDirectedReachability(encoding: search.encoding, memoryMegabytes: memoryMegabytes, engine: options.pdrEngine)
        var groups: [[Int]] = []
        let pending = search.safety.filter(isUndecided)
        if pending.count > 1 { groups.append(pending) }
        groups += pending.map { [$0] }
        for group in groups {
            let open = group.filter { isUndecided($0) && !refuted.contains($0) }
            guard !open.isEmpty, open.count == group.count || group.count == 1 else { continue }
            if mustStop() { return false }
            let bad = try z3.or(try open.map { try z3.not(try search.properties.good($0)) })
            let label = open.count == 1 ? name(open[0]) : Self.everyProperty
            pdrAsked.formUnion(open)
            var limit = remainingMilliseconds
            if let query = options.pdrQuerySeconds { limit = min(limit ?? Int.max, Int(query * 1000)) }
            let outcome = try timed("pdr", label) {
                try pdr.prove(bad: bad, timeoutMilliseconds: limit, check: { self.remainingMilliseconds })
            }
            switch outcome {
            case .proved(let invariant):
                let text = try search.encoding.render(invariant: invariant)
                for index in open {
                    let kind = system.properties[index].info.kind
                    findings[index] = .decided(kind == .reachable ? .unreachable : .holds, nil, note: "proved by PDR (inductive invariant checked)")
                    invariants.append((name(index), text))
                }
            case .reachable:
                if open.count == 1 { refuted.insert(open[0]) }
            case .rejected(let reason):
                // Never a verdict; the property stays for BMC (and unknown, with this reason, if BMC does not
                // decide it).
                for index in open { rejections[index] = reason }
            case .unknown(let reason):
                if timedOut || options.budget.interruption?() != nil {
                    stopAfterUnknown(reason)
                    return false
                }
                // This query's own limit: leave the properties to BMC (and say why, if it does not decide them).
                let why = "PDR: \(Self.describe(reason))" + (options.pdrQuerySeconds.map { " (\(Self.format($0)) s per query)" } ?? "")
                for index in open where open.count == 1 { rejections[index] = why }
            }
        }
        return true
    }

    /// The induction step at depth k for every undecided property. A proof becomes a lemma for the others, so
    /// the round repeats until it proves nothing more. Returns false when Z3 gave up (the run stops).
    private func induct(k: Int, safety: [Int], properties: PropertyEncodings, induction: KInduction, bmc: BoundedModelChecker) throws -> Bool {
        let z3 = properties.z3
        var progress = true
        while progress {
            progress = false
            for index in safety where isUndecided(index) {
                let good = try properties.good(index)
                let outcome = try timed("k-induction", name(index)) {
                    try induction.step(k: k, good: good, bad: try z3.not(good), timeoutMilliseconds: remainingMilliseconds)
                }
                switch outcome {
                case .unknown(let reason):
                    stopAfterUnknown(reason)
                    return false
                case .satisfiable:
                    continue
                case .unsatisfiable:
                    let kind = system.properties[index].info.kind
                    if kind == .bounds {
                        // The base so far covered the explorer's narrower notion of bounds; check the full one.
                        let clean = try bmc.frames.map { try properties.encoding.instantiate(try z3.not(good), at: $0) }
                        let (base, _) = try timed("k-induction", name(index)) {
                            try bmc.check(try z3.or(clean), timeoutMilliseconds: remainingMilliseconds)
                        }
                        if case .unknown(let reason) = base {
                            stopAfterUnknown(reason)
                            return false
                        }
                        if case .satisfiable = base { continue }
                    }
                    findings[index] = .decided(kind == .reachable ? .unreachable : .holds, nil, note: "proved by \(k)-induction")
                    try induction.addLemma(good)
                    progress = true
                }
            }
        }
        return true
    }

    private func stop(_ reason: StopReason) {
        stopReason = reason
    }

    /// After a query Z3 left unknown: the run's own limit or interruption when that is why (the watch
    /// interrupted the query), else Z3's reason.
    private func stopAfterUnknown(_ reason: String) {
        if !mustStop() { stop(.solver(Self.describe(reason))) }
    }

    /// Whether the run must stop before its next bound or query: the time limit passed, or the budget's
    /// interruption answered. Records why.
    private func mustStop() -> Bool {
        if timedOut {
            stop(options.timeStopReason)
            return true
        }
        if let reason = options.budget.interruption?() {
            stop(reason)
            return true
        }
        return false
    }

    private static func describe(_ reason: String) -> String { SymbolicRunFormat.describe(reason) }

    static func format(_ seconds: Double) -> String { SymbolicRunFormat.seconds(seconds) }

    /// The finding for a property violated (or a goal reached) at depth k in the model.
    private func counterexample(_ index: Int, k: Int, model: Z3Model, frames: [Frame], decoder: TraceDecoder, unfound: [Int]) -> Finding {
        let kind = system.properties[index].info.kind
        do {
            let states = try frames[0...k].map { try decoder.state($0, in: model) }
            switch kind {
            case .invariant, .reachable:
                let (value, _) = decoder.evaluate(property: index, in: states[k])
                guard let value, value == (kind == .reachable) else {
                    throw SMTError("internal error: the last state of the SMT trace does not \(kind == .reachable ? "reach" : "violate") \(system.properties[index].info.name)")
                }
                return .decided(kind == .reachable ? .reachable : .violated, Trace(steps: try decoder.steps(states)), note: nil)
            case .deadlock:
                guard decoder.isDeadlock(states[k]) else { throw SMTError("internal error: the last state of the SMT trace is not a deadlock") }
                return .decided(.violated, Trace(steps: try decoder.steps(states)), note: nil)
            case .assertion:
                let failure = try decoder.failure(in: states[k], kind: .assertion(index))
                return .decided(.violated, Trace(steps: try decoder.steps(states), failure: failure), note: nil)
            case .bounds:
                // Either a property's predicate fails in state k, or an action fails there.
                for other in unfound {
                    let kind = system.properties[other].info.kind
                    guard kind == .invariant || kind == .reachable else { continue }
                    if case (nil, let detail?) = decoder.evaluate(property: other, in: states[k]) {
                        return .decided(.violated, Trace(steps: try decoder.steps(states)), note: "while evaluating a property: \(detail)")
                    }
                }
                let failure = try decoder.failure(in: states[k], kind: .bounds)
                return .decided(.violated, Trace(steps: try decoder.steps(states), failure: failure), note: nil)
            case .eventually, .leadsto:
                return .undecided
            }
        } catch {
            // Decoding refused as cancelled after the run's limit: the property stays undecided, and its note says
            // what stopped the run.
            if SymbolicRunFormat.isCancellation(error), mustStop() { return .undecided }
            return .decided(.unknown, nil, note: "\(error)")
        }
    }

    // MARK: Results

    private func result() -> CheckResult {
        var results: [PropertyResult] = []
        for (index, property) in system.properties.enumerated() {
            let info = property.info
            var result = PropertyResult(name: info.name, kind: info.kind, expected: info.expected, verdict: .unknown, engine: SMTEngine.id)
            let finding = Self.isSafety(info.kind) ? findings[index] : liveness?.findings[index] ?? .undecided
            do {
                switch finding {
                case .decided(let verdict, let trace, let note):
                    result.verdict = verdict
                    result.trace = trace
                    result.note = note
                case .undecided:
                    result.note = Self.isSafety(info.kind) ? undecidedNote(index) : livenessUndecidedNote()
                    if let rejection = rejections[index] ?? liveness?.rejections[index] { result.note = (result.note ?? "") + "; \(rejection)" }
                }
            }
            results.append(result)
        }
        var statistics = RunStatistics()
        statistics.depth = max(0, depthReached, liveness?.depthReached ?? 0)
        statistics.seconds = Clock.now() - start
        statistics.peakMemoryBytes = ProcessMemory.peakResidentBytes()
        switch options.method {
        case .bmc: statistics.methods = ["bmc"]
        case .kind: statistics.methods = ["bmc", "k-induction"]
        case .houdini: statistics.methods = ["houdini", "bmc"]
        case .pdr: statistics.methods = ["pdr", "bmc"]
        case .auto: statistics.methods = ["bmc", "k-induction", "houdini", "pdr"]
        }
        if let liveness {
            if liveness.graphStates != nil { statistics.methods.append("explicit-graph lasso") }
            statistics.methods.append("lasso bmc")
            if liveness.proofsTried { statistics.methods.append("liveness-to-safety pdr") }
        }
        statistics.complete = !results.contains { $0.verdict == .unknown }
        statistics.stopReason = stopReason ?? liveness?.stopReason
        return CheckResult(file: file, model: system.name, cellNames: system.cellNames, cellTypes: system.layout.fields.map(\.type),
                           properties: results, statistics: statistics, engine: SMTEngine.id)
    }

    private func livenessUndecidedNote() -> String {
        guard let liveness else { return "no verdict" + (stopReason.map { " (\($0))" } ?? "") }
        var note = liveness.depthReached < 0 ? "no verdict"
            : "no fair lasso within \(liveness.depthReached) step\(liveness.depthReached == 1 ? "" : "s")"
                + (liveness.proofsTried ? " and not proved by liveness-to-safety under PDR" : " (the method \(options.method.rawValue) proves no liveness)")
        if let reason = liveness.stopReason ?? stopReason { note += " (\(reason))" } else if !liveness.proofsTried { note += " (the bound is --smt-depth \(options.maxDepth))" }
        return note
    }

    /// What the method tried on safety property `index` (`UndecidedSafetyNote`). The liveness search's stop
    /// counts too: the explicit graph's lassos run first and may use up a combination's share.
    private func undecidedNote(_ index: Int) -> String {
        UndecidedSafetyNote(method: options.method, depthReached: depthReached, inductionReached: inductionReached, finder: finderAttempt,
                            pdrAsked: pdrAsked.contains(index), stopReason: stopReason ?? liveness?.stopReason,
                            maxDepth: options.maxDepth).text
    }

    /// The finder's outcome as the note of a property it left undecided tells it.
    private static func attempt(_ outcome: HoudiniOutcome) -> FinderAttempt {
        switch outcome {
        case .found(_, _, let lemmas, let states, _): return states.map { .certificate(states: $0) } ?? .houdini(lemmas: lemmas)
        case .empty: return .empty
        case .unknown: return .outOfTime
        case .rejected: return .rejected
        }
    }
}

/// The state predicates of each property, as templates over `x`.
private struct PropertyEncodings {
    let encoding: SystemEncoding
    var z3: Z3Context { encoding.z3 }
    var system: TransitionSystem { encoding.system }

    /// The property is not violated in `x` (for a goal: `x` does not reach it). For `bounds`: no action fails
    /// with a bounds violation and no invariant or goal predicate fails to evaluate.
    func good(_ index: Int) throws -> Term {
        let kind = system.properties[index].info.kind
        switch kind {
        case .invariant, .reachable:
            guard let value = encoding.predicateValue[index], let failure = encoding.predicateFailure[index] else { return try z3.trueTerm }
            return try z3.not(try z3.and([try z3.not(failure), kind == .reachable ? value : try z3.not(value)]))
        case .assertion:
            return try z3.not(encoding.assertionFailure[index] ?? z3.falseTerm)
        case .deadlock:
            return try z3.not(encoding.deadlock)
        case .bounds:
            let failures = [encoding.actionBoundsFailure] + encoding.predicateFailure.keys.sorted().compactMap { encoding.predicateFailure[$0] }
            return try z3.not(try z3.or(failures))
        case .eventually, .leadsto:
            return try z3.trueTerm
        }
    }

    /// The conditions, in order of preference, for a shortest violation (or witness) of property `index`
    /// found at depth k. Lengths count transitions, as the explorer's traces do: a bad state at depth k has k, an
    /// action failing in the state at depth k has k + 1. Every kind but `bounds` has violations of one shape,
    /// so the depth order is the length order. For `bounds`, a predicate failing to evaluate at depth k
    /// (length k) is preferred to an action failing there (length k + 1, as long as the predicate failures at
    /// depth k + 1, found next round). A predicate that fails to evaluate counts only while its property has no
    /// violation or witness (`unfound`): the explorer stops evaluating a property once it has found one.
    func bmcBad(_ index: Int, k: Int, frames: [Frame], unfound: [Int]) throws -> [Term] {
        let kind = system.properties[index].info.kind
        switch kind {
        case .bounds:
            var conditions: [Term] = []
            for other in unfound {
                if let failure = encoding.predicateFailure[other] { conditions.append(try encoding.instantiate(failure, at: frames[k])) }
            }
            return [try z3.or(conditions), try encoding.instantiate(encoding.actionBoundsFailure, at: frames[k])]
        default:
            return [try encoding.instantiate(try z3.not(try good(index)), at: frames[k])]
        }
    }
}

/// How the engine words Z3's reasons and the seconds of its limits.
enum SymbolicRunFormat {
    /// Whether `error` is Z3 refusing a call because the context was cancelled or ran out of time.
    static func isCancellation(_ error: any Error) -> Bool {
        guard let error = error as? SMTError else { return false }
        return ["Z3: canceled", "Z3: timeout", "Z3: interrupted"].contains(error.message)
    }

    static func describe(_ reason: String) -> String {
        switch reason {
        case "timeout", "canceled", "interrupted": return "Z3 reached the time limit"
        case "max. memory exceeded", "memout": return "Z3 reached the memory limit"
        default: return "Z3 gave up: \(reason)"
        }
    }

    static func seconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// Wall-clock time, without Foundation.
enum Clock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The calling thread's CPU time in seconds.
    static func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
