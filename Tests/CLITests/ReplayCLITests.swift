import Foundation
import Testing

/// `replay` from the command line on the library's QEMU models, which declare events, an entry point and variants.
@Suite struct ReplayCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// A destination's log replays without --start under every combination of the 8.2 model's variants.
    @Test func destinationLogReplaysUnderEveryCombinationFromTheEntryPoint() throws {
        let run = try CLITests.run(["replay", Self.path("Models/v2-qemu-p2p.vmc"), Self.path("docs/examples/qemu82-destination.trace"),
                                    "--const", "N=2", "--const", "FAILURES=false"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("accepted by 7 of 7 combinations"), "\(run.stdout)")
        #expect(run.stdout.contains("start: entry destination"))
        #expect(run.stdout.contains("matching the events it emits (set, state)"))
    }

    @Test func dumpListsEmissionsAndEntryPoints() throws {
        let run = try CLITests.run(["dump", Self.path("Models/v2-qemu80.vmc")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("    emits set (conditional), state (conditional), read on the state it leaves\n"))
        #expect(run.stdout.contains("\nentry destination: ph == "))
    }

    /// The one-device model cannot take two log devices, not even by mapping both onto its device.
    @Test func twoLogDevicesOnTheOneDeviceModelAreAnError() throws {
        let run = try CLITests.run(["replay", Self.path("Models/v2-qemu80.vmc"), Self.path("docs/examples/qemu82-destination.trace"),
                                    "--map", "0000:01:00.0=0", "--map", "0000:02:00.0=0"])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("two log devices are mapped to device 0"), "\(run.stderr)")
    }

    @Test func pinsSelectTheCombinations() throws {
        let run = try CLITests.run(["replay", Self.path("Models/v2-qemu-p2p.vmc"), Self.path("docs/examples/qemu80-source.log"),
                                    "--const", "N=2", "--variant", "reading=FREEZE", "--variant", "async=A_NONE",
                                    "--variant", "error_dma=false", "--variant", "complete_after_error=false"])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("\(Self.path("docs/examples/qemu80-source.log")): accepted by 0 of 1 combination\n"), "\(run.stdout)")
        #expect(run.stdout.contains("  0000:01:00.0 set RUNNING_P2P ok recover ERROR  (q_result)"))
        #expect(run.stdout.contains("Before it, 4 model states are consistent with the log, with the devices in:\n  Dev 0 (st): RUNNING\n"),
                "\(run.stdout)")
        let bad = try CLITests.run(["replay", Self.path("Models/v2-qemu-p2p.vmc"), Self.path("docs/examples/qemu80-source.log"),
                                    "--variant", "reading=BOGUS"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--variant reading=BOGUS: 'BOGUS' is not a value of Reading"), "\(bad.stderr)")
    }

    @Test func startWorksOnAModelWithVariants() throws {
        let run = try CLITests.run(["replay", Self.path("Models/v2-hypothetical-no-p2p-step.vmc"),
                                    Self.path("docs/examples/qemu80-source.log"), "--const", "N=2", "--start", "ph == S_PRECOPY"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("start: --start 'ph == S_PRECOPY'"), "\(run.stdout)")
    }

    /// A `--start` predicate is parsed and checked on its own, not spliced into the model: its errors point into the
    /// predicate's text (`--start:1:COL`) with a caret, and the command exits 2.
    @Test func malformedAndIllTypedStartPredicatesNameTheColumn() throws {
        func replay(_ predicate: String) throws -> CLITests.Run {
            try CLITests.run(["replay", Self.path("Models/v2-hypothetical-no-p2p-step.vmc"),
                              Self.path("docs/examples/qemu80-source.log"), "--const", "N=2", "--start", predicate])
        }
        let malformed = try replay("ph == S_PRECOPY )")
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("--start:1:17: error: expected the end of the expression, found ')'\nph == S_PRECOPY )\n"
                                          + String(repeating: " ", count: 16) + "^"), "\(malformed.stderr)")
        let incomplete = try replay("ph ==")
        #expect(incomplete.status == 2)
        #expect(incomplete.stderr.contains("--start:1:6: error: expected an expression"), "\(incomplete.stderr)")
        let illTyped = try replay("ph == 1")
        #expect(illTyped.status == 2)
        #expect(illTyped.stderr.contains("--start:1:7: error: type mismatch: '==' compares enum Ph with integer"), "\(illTyped.stderr)")
        let notBoolean = try replay("N")
        #expect(notBoolean.status == 2)
        #expect(notBoolean.stderr.contains("--start:1:1: error: type mismatch: the expression must be bool, found integer"),
                "\(notBoolean.stderr)")
        #expect(malformed.stdout.isEmpty && illTyped.stdout.isEmpty)
    }
}
