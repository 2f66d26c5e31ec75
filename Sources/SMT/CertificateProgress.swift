/// What a layered certificate check (`LayeredCertificate`) had Z3 answer before its time ran out, so that a later
/// run of the same variant combination asks only the rest: the second pass (`SecondPass.continueRun`) hands it to
/// its run (`SMTOptions.resumeCertificate`).
///
/// Why: a certificate that does not fit in a combination's first-pass share is checked again in the second pass,
/// and it was checked from its first chunk. On v2-qemu-p2p (`vfio-mc check --engine both --smt-stats --timeout 90`)
/// one 39,886-state combination asked 180 closure queries in its two passes for a certificate of 94 chunks below
/// the ceiling and its tail, about 12 s of queries asked twice in a run whose limit was all but used up.
///
/// Sound for the reason a ranking's `RankingProgress` is: each obligation is a query of its own about the same
/// certificate (the same states, labels and chunks, over the same encoding), so an obligation Z3 answered stays
/// answered, and the certificate passes when every one is. The progress is used only for a certificate identical
/// to the one it was recorded for, state for state and label for label (`Identity`): a run whose properties left
/// to decide give another ceiling, hence other labels and chunks, starts afresh. The encoding is the same because
/// the second pass continues the run on the same built system (`SecondPass.Revisit`). The initial states and the
/// properties are always asked again: they are few queries, and the properties asked may differ between the runs.
public struct CertificateProgress: Sendable {
    /// What the progress is about: the sample's states (their cells and values, in breadth-first order), their
    /// labels and the chunks.
    struct Identity: Sendable, Equatable {
        let cells: [Int]
        let rows: [Int64]
        let labels: [Int]
        let chunks: [Range<Int>]
    }

    /// The one query over the states labelled with the ceiling, with the whole set as the target.
    enum Tail: Sendable, Equatable {
        /// Not asked, or interrupted because the whole run's time ran out: asked again.
        case notAsked
        /// Answered unsatisfiable: the ceiling's chunks need no query.
        case closed
        /// Its own share of the time ran out: the resumed check goes straight to the ceiling's chunks, as the
        /// interrupted one did.
        case ranOut
    }

    let identity: Identity
    /// Indices into `identity.chunks` whose closure query Z3 answered unsatisfiable.
    var closedChunks: Set<Int> = []
    var tail: Tail = .notAsked

    init(identity: Identity) {
        self.identity = identity
    }

    /// Whether Z3 answered any closure query of the certificate (else there is nothing to resume).
    var answeredAny: Bool { !closedChunks.isEmpty || tail != .notAsked }
}
