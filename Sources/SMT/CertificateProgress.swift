/// What a layered certificate check (`LayeredCertificate`) had Z3 answer before its time ran out, so that a later
/// run of the same variant combination asks only the rest: the second pass (`SecondPass.continueRun`) hands it to
/// its run (`SMTOptions.resumeCertificate`).
///
/// Why: a certificate that does not fit in a combination's first-pass share is checked again in the second pass,
/// and it was checked from its first chunk. On v2-qemu-p2p (`vfio-mc check --engine both --smt-stats --timeout 90`)
/// a 39,886-state combination asked 258 closure queries in its two passes (272 in another run) where one whole
/// check asks 165: 16 to 18 s of queries asked twice in a run whose limit was all but used up (docs/smt.md,
/// "Variant combinations share the limit").
///
/// What it records is per state: the states whose step obligation Z3 answered (every closure chunk holding them,
/// or the tail's one query, was unsatisfiable), under the ceiling of that check. Why that carries over, for the
/// same states with the same unclipped labels (`Identity`: the sample's rows and each state's label before the
/// ceiling clips it) and a ceiling `c2` no higher than the recorded `c1`: an answered state `s` with unclipped
/// label `d` has every successor `t` of the encoding in the set, and, when `d < c1`, `min(d(t), c1) <= d + 1`. Under
/// `c2` the obligation is `t` in the set when `d >= c2`, else `min(d(t), c2) <= d + 1`, which follows because
/// `min(d(t), c2) <= min(d(t), c1)`. So a chunk of the later check whose states are all answered needs no query,
/// and the certificate's argument (every state reached in n steps is in the set with a label of at most n) rests
/// on the same per-state facts. The ceiling falls between the passes when the first run decided the properties
/// with the deepest violations (a witness's path replayed, for example), which is why it is not part of the
/// identity: measured on v2-qemu-p2p, 134 in the first pass and 19 in the second. A higher ceiling, other states or
/// other labels (a tampered certificate) start afresh. The initial states and the properties are always asked
/// again: they are few queries, and the properties asked may differ between the runs.
public struct CertificateProgress: Sendable {
    /// The states the progress is about: the sample's cells and rows in breadth-first order, and each state's
    /// label before the ceiling clips it.
    struct Identity: Sendable, Equatable {
        let cells: [Int]
        let rows: [Int64]
        let unclipped: [Int]
    }

    let identity: Identity
    /// The ceiling the answers hold under (and under every lower one).
    private(set) var ceiling: Int
    /// Per state (index into the breadth-first order): whether Z3 answered its step obligation.
    private(set) var answered: [Bool]
    /// Whether the tail's one query ran out of its own share: a resumed check goes straight to the ceiling's
    /// chunks, as the interrupted one did.
    var tailRanOut = false

    init(identity: Identity, ceiling: Int) {
        self.identity = identity
        self.ceiling = ceiling
        answered = Array(repeating: false, count: identity.unclipped.count)
    }

    /// This progress for a check of `identity` under `ceiling`: itself, lowered to that ceiling, when it is about
    /// the same states and labels and the ceiling is no higher; else a fresh one.
    func resumed(for identity: Identity, ceiling: Int) -> CertificateProgress {
        guard identity == self.identity, ceiling <= self.ceiling else { return CertificateProgress(identity: identity, ceiling: ceiling) }
        var progress = self
        progress.ceiling = ceiling
        return progress
    }

    /// Whether every state in `states` is answered.
    func answers(_ states: Range<Int>) -> Bool { states.allSatisfy { answered[$0] } }

    /// Records that Z3 answered the step obligation of `states`.
    mutating func answer(_ states: Range<Int>) {
        for state in states { answered[state] = true }
    }

    /// How many states are answered.
    var answeredCount: Int { answered.count { $0 } }

    /// Whether there is anything to resume.
    var answeredAny: Bool { tailRanOut || answered.contains(true) }

    /// The states a check of a certificate over `states` states is expected to cost, resuming from this progress:
    /// the states not answered, but at least an eighth of them, for what every check does again (the set's
    /// diagram, the initial states and the properties: about 15% of a whole check on v2-qemu-p2p, 2 of 14 s). An
    /// estimate for the time sharing: whether the answers carry over is the check's decision.
    func statesLeft(of states: Int) -> Int {
        guard states == answered.count else { return states }
        return max(states - answeredCount, states / 8)
    }
}

extension SMTRun {
    /// Whether a second run of this combination is expected to finish its reachable set's certificate within
    /// `seconds`, resuming from the progress this run handed on (`certificateProgress`; false without one), at the
    /// engine's cost per state (`SMTOptions.certificateSecondsPerState`).
    public func certificateResumable(within seconds: Double, options: SMTOptions) -> Bool {
        guard let progress = certificateProgress, let states = simulatedStates else { return false }
        return options.certificateSeconds(states: progress.statesLeft(of: states)) <= seconds
    }
}
