import Foundation
import Testing

/// `vfio-mc kernel`: exit codes, the text and JSON reports, `--against`.
@Suite struct KernelCLITests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/examples/kernel/\(name)").path
    }

    @Test func everyRuleHoldingExitsZero() throws {
        let run = try CLITests.run(["kernel", Self.fixture("vfio-6.1.c")])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Result: every rule holds."))
        #expect(run.stdout.contains("flag set {P2P}:"))
        #expect(run.stdout.contains("    RUNNING -> STOP: RUNNING -> RUNNING_P2P -> STOP"))
    }

    @Test func violatedRuleExitsOne() throws {
        let run = try CLITests.run(["kernel", Self.fixture("vfio_main.c")])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Result: violated: Terminates (shipped loop), NoSavingInterior (shipped loop)."))
        #expect(run.stdout.contains("STOP_COPY -> PRE_COPY: STOP_COPY -> HANGS (the SET never returns)"))
        #expect(run.stdout.contains("{PRE_COPY} STOP_COPY -> PRE_COPY: EINVAL"))
    }

    @Test func malformedFileExitsTwoWithItsLine() throws {
        let path = try CLITests.write("""
            static const u8 vfio_from_fsm_table[8][8] = {
            \t[VFIO_DEVICE_STATE_STOP] = {
            \t\t[VFIO_DEVICE_STATE_STOP] VFIO_DEVICE_STATE_STOP,
            \t},
            };
            """, name: "malformed.c")
        let run = try CLITests.run(["kernel", path])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("malformed.c:3:28: error: expected '=', found 'VFIO_DEVICE_STATE_STOP'"), "\(run.stderr)")
    }

    @Test func missingFileExitsTwo() throws {
        let run = try CLITests.run(["kernel", "/nonexistent/vfio_main.c"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("/nonexistent/vfio_main.c: error: no such file or directory"))
    }

    @Test func againstReportsTheChangedEntryAndExitsOneOnARegression() throws {
        let run = try CLITests.run(["kernel", Self.fixture("vfio_main-changed-entry.c"), "--against", Self.fixture("vfio_main.c")])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("    [RUNNING][STOP]: RUNNING_P2P -> STOP"))
        #expect(run.stdout.contains("ArcPermitted (shipped loop): holds -> violated  REGRESSION"))
        #expect(run.stdout.contains("      - RUNNING -> RUNNING_P2P -> STOP\n      + RUNNING -> STOP"))
        #expect(run.stdout.contains("Result: a rule regressed."))
    }

    @Test func againstWithoutRegressionExitsZero() throws {
        let run = try CLITests.run(["kernel", Self.fixture("vfio_main-loop-fix.c"), "--against", Self.fixture("vfio_main.c")])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("    Terminates: violated -> holds"))
        #expect(run.stdout.contains("Result: no rule regressed."))
    }

    @Test func jsonIsOneDocumentWithBothReadings() throws {
        let run = try CLITests.run(["kernel", "--json", Self.fixture("tree-new-state")])
        #expect(run.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let source = object?["source"] as? [String: Any]
        #expect(source?["undocumentedStates"] as? [String] == ["QUIESCED"])
        let variants = source?["variants"] as? [[String: Any]]
        #expect(variants?.compactMap { $0["variant"] as? String } == ["shipped", "fixed"])
        let verdicts = variants?.first?["verdicts"] as? [[String: Any]]
        #expect(verdicts?.first { $0["property"] as? String == "ArcPermitted" }?["verdict"] as? String == "violated")
        #expect(object?["violated"] as? Bool == true)
    }
}
