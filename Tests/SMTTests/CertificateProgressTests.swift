import PackedSystem
@testable import SMT
import Testing

/// A layered certificate's check resumed where an earlier one stopped (`CertificateProgress`): the second pass over a
/// model's combinations continues a run whose certificate ran out of time, and asks only the closure chunks holding
/// states Z3 had not answered, under the same ceiling or a lower one. These assert which queries are asked and the
/// outcome, never durations: the interruption is a `remaining` that says no time is left after a given number of
/// queries.
@Suite struct CertificateProgressTests {
    /// A certificate of the counter that climbs to 80 (`CertifiedViolationTests.deep`: its assertion stops the climb
    /// at 80) over a fresh Z3 context, as a run of its own would build it. With `ceiling` above every depth each label
    /// is a chunk of its own and there is no tail query, so each closure query is one chunk's.
    static func certificate(ceiling: Int = 1_000, raiseLabels: Bool = false) throws -> LayeredCertificate {
        let system = try Differential.system(CertifiedViolationTests.deep).get()
        let candidates = InvariantCandidates(system: system, limits: CandidateLimits(), stop: { false })
        let encoding = try SystemEncoding(z3: try Z3Context(memoryMegabytes: nil), system: system)
        return try LayeredCertificate(encoding: encoding, candidates: candidates, ceiling: ceiling, chunkSize: 512,
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

    /// Interrupted after the initial states and 20 chunks, the check records those chunks' states; a check of the
    /// same certificate in another context, given that progress, asks the other chunks only and passes, and then
    /// every state is answered.
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
        let twenty = first.chunks[19].upperBound
        #expect(progress?.answeredCount == twenty)
        #expect(progress?.answers(0..<twenty) == true)
        #expect(progress?.answeredAny == true)

        let second = try Self.certificate()
        let resumed = try Self.check(second, progress: &progress)
        guard case .passed = resumed.outcome else {
            Issue.record("expected the resumed check to pass, got \(resumed.outcome)")
            return
        }
        #expect(resumed.closureQueries == second.chunks.count - 20)
        #expect(progress?.answeredCount == second.labels.count)
    }

    /// Answers under one ceiling carry over to a lower one (the second pass's, when the first run decided the
    /// properties with the deepest violations): with ceiling 10 the ten layers below it were answered, so only the
    /// tail's one query, over the states from depth 10 on, is asked (a fresh check asks it and the ten chunks).
    @Test func answersCarryOverToALowerCeiling() throws {
        var progress: CertificateProgress?
        _ = try Self.check(try Self.certificate(), progress: &progress, queries: 21)
        let lower = try Self.certificate(ceiling: 10)
        var fresh: CertificateProgress?
        let alone = try Self.check(lower, progress: &fresh)
        #expect(alone.closureQueries == 11, "the tail and the ten layers below the ceiling")
        let resumed = try Self.check(try Self.certificate(ceiling: 10), progress: &progress)
        guard case .passed = resumed.outcome else {
            Issue.record("expected the check to pass, got \(resumed.outcome)")
            return
        }
        #expect(resumed.closureQueries == 1, "the tail only")
    }

    /// Answers under a lower ceiling do not carry over to a higher one: every chunk is asked.
    @Test func aHigherCeilingStartsAfresh() throws {
        var progress: CertificateProgress?
        let lower = try Self.check(try Self.certificate(ceiling: 10), progress: &progress)
        guard case .passed = lower.outcome else {
            Issue.record("expected the check to pass, got \(lower.outcome)")
            return
        }
        let higher = try Self.certificate()
        let checked = try Self.check(higher, progress: &progress)
        guard case .passed = checked.outcome else {
            Issue.record("expected the check to pass, got \(checked.outcome)")
            return
        }
        #expect(checked.closureQueries == higher.chunks.count)
    }

    /// A wrong certificate is rejected whatever a whole check of the right one answered: its labels differ, so the
    /// progress is not about it.
    @Test func progressNeverPassesAWrongCertificate() throws {
        var progress: CertificateProgress?
        let honest = try Self.check(try Self.certificate(), progress: &progress)
        guard case .passed = honest.outcome else {
            Issue.record("expected the honest certificate to pass, got \(honest.outcome)")
            return
        }
        let checked = try Self.check(try Self.certificate(raiseLabels: true), progress: &progress)
        guard case .failed = checked.outcome else {
            Issue.record("expected the raised labels to be rejected, got \(checked.outcome)")
            return
        }
    }
}
