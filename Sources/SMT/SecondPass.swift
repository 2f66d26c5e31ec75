import PackedSystem

/// What an `auto` run that shares the command's time limit with other variant combinations does when its reachable
/// set's certificate is not expected to fit in its share (`SMTOptions.certificateSecondsPerState`) but is expected
/// to fit in the time left of the command. The commands check a model's combinations in two passes
/// (`SystemChecking.checkMatrix`): the first in the combinations' order, each with its share, the second, with the
/// time the first left, over the combinations it left undecided, smallest simulation first. Measured reason
/// (docs/smt.md "Variant combinations share the limit"): v2-qemu-p2p's two 39,886-state combinations came first
/// with shares of 15 and 20 s against the certificate's 26 s, spent them on k-induction and a capped finder that
/// ran out, and the command ended with 15 s of its minute unused.
public enum CertificateOverShare: Sendable, Hashable {
    /// The share stays (the certificate runs after k-induction, capped at half the time left): runs alone, and the
    /// last run of each worker thread, whose share is all the time left anyway.
    case keepShare
    /// The first pass: after k-induction (to `autoDepth`, cheap verdicts every combination gets in its turn) the run
    /// ends, `SMTRun.deferred`, and the second pass runs the certificate with the time the others leave.
    case deferToSecondPass
    /// The second pass: the share becomes all the time left of the command. Its runs start smallest first, so the
    /// ones after it on the same thread would not fit in what it leaves either.
    case takeTimeLeft
}

extension SMTRun {
    /// This run (a combination's first) continued by `second`, a run of the same system with this run's decided
    /// properties `settled` (`SMTOptions.settled`): each property keeps the first verdict this run reached, else
    /// takes the second run's (its verdict, trace and note); the statistics add the seconds and queries, keep the
    /// deeper bound and the second run's stop, and the methods of both. Every decided verdict is one a run of this
    /// combination alone reaches, so the merge is one of verdicts, never of evidence.
    public func continued(by second: SMTRun) -> SMTRun {
        var result = second.result
        for (index, property) in self.result.properties.enumerated() where index < result.properties.count && property.verdict != .unknown {
            result.properties[index] = property
        }
        var statistics = second.result.statistics
        let first = self.result.statistics
        statistics.seconds += first.seconds
        statistics.depth = max(first.depth, statistics.depth)
        statistics.peakMemoryBytes = max(first.peakMemoryBytes, statistics.peakMemoryBytes)
        statistics.methods = first.methods + statistics.methods.filter { !first.methods.contains($0) }
        statistics.complete = !result.properties.contains { $0.verdict == .unknown }
        result.statistics = statistics
        var queries = self.queries
        queries.add(second.queries)
        var merged = SMTRun(result: result, queries: queries, invariants: invariants + second.invariants)
        merged.simulatedStates = second.simulatedStates ?? simulatedStates
        merged.passes = passes + second.passes
        return merged
    }
}
