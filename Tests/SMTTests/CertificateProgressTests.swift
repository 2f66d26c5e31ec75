import PackedSystem
@testable import SMT
import Testing

/// A layered certificate's check resumed where an earlier one stopped (`CertificateProgress`): the second pass over a
/// model's combinations continues a run whose certificate ran out of time, and asks only the closure chunks Z3 had
/// not answered. These assert which queries are asked and the outcome, never durations: the interruption is a
/// `remaining` that says no time is left after a given number of queries.
@Suite struct CertificateProgressTests {
    /// A certificate of the counter that climbs to 100 (`CertifiedViolationTests.deep`: its assertion stops the climb at 80) over a fresh Z3
    /// context, as a run of its own would build it; with `ceiling` above every depth each label is a chunk of its own
    /// and there is no tail query, so each closure query is one chunk's.
    static func certificate(chunkSize: Int = 512, raiseLabels: Bool = false) throws -> LayeredCertificate {
        let system = try Differential.system(CertifiedViolationTests.deep).get()
        let candidates = InvariantCandidates(system: system, limits: CandidateLimits(), stop: { false })
        let encoding = try SystemEncoding(z3: try Z3Context(memoryMegabytes: nil), system: system)
        return try LayeredCertificate(encoding: encoding, candidates: candidates, ceiling: 1_000, chunkSize: chunkSize,
                                      memoryMegabytes: nil, raiseLabels: raiseLabels)
    }

    /// Checks `certificate` from `progress`, with no time left after `queries` queries (nil: no limit); returns the
    /// outcome and the closure queries asked.
    static func check(_ certificate: LayeredCertificate, progress: inout CertificateProgress?, queries: Int? = nil) throws
        -> (outcome: LayeredCertificate.Outcome, closureQueries: Int) {
        var calls = 0
        var closureQueries = 0
        let outcome = try certificate.check(holds: [], shortness: [], remaining: {
            calls += 1
            return queries.map { calls <= $0 ? 60_000 : 0 }
        }, record: { what, _ in if what == "check: closure" { closureQueries += 1 } }, progress: &progress)
        return (outcome, closureQueries)
    }

    /// Interrupted after the initial states and 20 chunks, the check records those 20; a check of the same certificate
    /// in another context, given that progress, asks the other chunks only and passes, and then holds every chunk.
    @Test func anInterruptedCheckResumesWhereItStopped() throws {
        let first = try Self.certificate()
        #expect(first.chunks.count > 50, "one chunk per breadth-first layer")
        var progress: CertificateProgress?
        let stopped = try Self.check(first, progress: &progress, queries: 21)
        guard case .gaveUp = stopped.outcome else {
            Issue.record("expected the check to run out, got \(stopped.outcome)")
            return
        }
        #expect(stopped.closureQueries == 20)
        #expect(progress?.closedChunks == Set(0..<20))
        #expect(progress?.answeredAny == true)

        let second = try Self.certificate()
        let resumed = try Self.check(second, progress: &progress)
        guard case .passed = resumed.outcome else {
            Issue.record("expected the resumed check to pass, got \(resumed.outcome)")
            return
        }
        #expect(resumed.closureQueries == second.chunks.count - 20)
        #expect(progress?.closedChunks == Set(second.chunks.indices))
    }

    /// Progress about another certificate (other chunks) is not used: every chunk is asked.
    @Test func progressAboutAnotherCertificateIsIgnored() throws {
        var progress: CertificateProgress?
        _ = try Self.check(try Self.certificate(), progress: &progress, queries: 21)
        #expect(progress?.closedChunks.count == 20)
        let other = try Self.certificate(chunkSize: 1)
        let checked = try Self.check(other, progress: &progress)
        guard case .passed = checked.outcome else {
            Issue.record("expected the check to pass, got \(checked.outcome)")
            return
        }
        #expect(checked.closureQueries == other.chunks.count)
    }

    /// A wrong certificate is rejected whatever an earlier check of the right one answered: its labels differ, so
    /// the progress is not about it.
    @Test func progressNeverPassesAWrongCertificate() throws {
        var progress: CertificateProgress?
        let honest = try Self.certificate()
        _ = try Self.check(honest, progress: &progress, queries: honest.chunks.count)
        #expect((progress?.closedChunks.count ?? 0) == honest.chunks.count - 1)
        let checked = try Self.check(try Self.certificate(raiseLabels: true), progress: &progress)
        guard case .failed = checked.outcome else {
            Issue.record("expected the raised labels to be rejected, got \(checked.outcome)")
            return
        }
    }
}
