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
}
