import Explorer
import PackedSystem
@testable import SMT
import Testing

/// Violations decided by the reachable set's layered certificate (`LayeredCertificate`, `PathReplay`): the
/// explorer's shortest path, replayed by Z3 in the SMT encoding, and shown shortest there by the labelled set.
/// A certificate made wrong on purpose is rejected, never a verdict.
@Suite struct CertifiedViolationTests {
    /// A counter that climbs past BMC's default depth (40): `Below` fails after 60 steps, the goal needs 70 steps
    /// and a toggle, the assertion fails on the 81st step.
    static let deep = """
        model deep
        var x: 0..100 = 0
        var y: bool = false
        action step when x < 100 {
          assert Small: x < 80 : "x grew past 80"
          x := x + 1
        }
        action toggle { y := !y }
        invariant Below: x < 60
        reachable Top: x == 70 && y
        """

    static func options(_ method: SMTMethod, tampering: CertificateTampering? = nil) -> SMTOptions {
        var options = SMTOptions()
        options.method = method
        options.budget.timeoutSeconds = 300
        options.tampering = tampering
        return options
    }

    /// BMC to its default depth finds none of the three; the certificate finds each with the explorer's trace,
    /// step for step (the same states, actions and failure).
    @Test func deepViolationsHaveTheExplorersTraces() throws {
        let system = try Differential.system(Self.deep).get()
        let bmc = SMTEngine(system: system, options: Self.options(.bmc), file: "test.vmc").check()
        for name in ["Below", "Top", "Small"] {
            #expect(bmc.properties.first { $0.name == name }?.verdict == .unknown, "\(name)")
        }
        let comparison = Differential.compare(system, smtOptions: Self.options(.houdini))
        #expect(comparison.mismatches.isEmpty, "\(comparison.mismatches)")
        let smt = try #require(comparison.smt)
        let explicit = try #require(comparison.explicit)
        for (name, length) in [("Below", 60), ("Top", 71), ("Small", 81)] {
            let found = try #require(smt.properties.first { $0.name == name })
            #expect(found.verdict != .unknown, "\(name): \(found.note ?? "")")
            #expect(found.trace?.length == length, "\(name)")
            #expect(found.trace == explicit.properties.first { $0.name == name }?.trace, "\(name)")
        }
        // `auto` decides them the same way, before BMC past depth 4.
        let auto = SMTEngine(system: system, options: Self.options(.auto), file: "test.vmc").run()
        #expect(auto.result.properties.allSatisfy { $0.verdict != .unknown })
        #expect(auto.queries.entries.contains { $0.method == "houdini" && $0.property == "(trace)" })
    }

    /// A path that is not a path (the explorer's loses its second state) is rejected by Z3's replay: the
    /// violation stays undecided (BMC to depth 8 cannot reach it) with the reason in its note.
    @Test func aPathThatIsNotAPathIsRejected() throws {
        var options = Self.options(.houdini, tampering: .skipPathStep)
        options.maxDepth = 8
        let run = SMTEngine(system: try Differential.system(Self.deep).get(), options: options, file: "test.vmc").check()
        for name in ["Below", "Top", "Small"] {
            let property = try #require(run.properties.first { $0.name == name })
            #expect(property.verdict == .unknown, "\(name)")
            #expect(property.note?.contains("is not a path of the SMT encoding") == true, "\(name): \(property.note ?? "")")
        }
        // The properties that hold are still proved by the same certificate.
        #expect(run.properties.first { $0.name == "deadlock" }?.verdict == .holds)
    }

    /// Labels that claim a violation deeper than it is, or a layer that grows by two, fail the check: nothing
    /// is decided by the certificate (not even the properties that hold), and the reason is noted.
    @Test(arguments: [CertificateTampering.claimDeeper, .raiseLabels]) func wrongLabelsAreRejected(_ tampering: CertificateTampering) throws {
        var options = Self.options(.houdini, tampering: tampering)
        options.maxDepth = 8
        let run = SMTEngine(system: try Differential.system(Self.deep).get(), options: options, file: "test.vmc").check()
        for property in run.properties where property.kind != .eventually && property.kind != .leadsto {
            #expect(property.note?.hasPrefix("proved by the reachable set") != true, "\(property.name)")
            if property.name != "deadlock" && property.name != "bounds" {
                #expect(property.verdict == .unknown, "\(property.name)")
            }
        }
        let below = try #require(run.properties.first { $0.name == "Below" })
        #expect(below.note?.contains("the layered reachable set") == true, "\(below.note ?? "")")
    }
}
