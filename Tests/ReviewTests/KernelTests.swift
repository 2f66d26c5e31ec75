import Explorer
import Foundation
import PackedSystem
import Review
import Testing

/// The path of a kernel fixture in docs/examples/kernel/.
func kernelFixture(_ name: String) -> String { repositoryRoot.appendingPathComponent("docs/examples/kernel/\(name)").path }

/// Reads and checks a fixture.
func kernelAnalysis(_ name: String) throws -> KernelAnalysis {
    try KernelAnalysis(tables: try KernelExtractor.read(path: kernelFixture(name)))
}

extension KernelAnalysis {
    /// The verdict of `property` under `variant`.
    func verdict(_ property: String, _ variant: LoopVariant) -> Verdict? {
        result(variant)?.verdicts.first { $0.property == property }?.verdict
    }

    /// The rendered path of one request on one flag set.
    func path(_ flagSet: String, _ request: String, _ variant: LoopVariant) -> String? {
        result(variant)?.paths.first { $0.flagSet == flagSet && $0.request == request }?.rendered
    }

    /// The properties violated under `variant`.
    func violations(_ variant: LoopVariant) -> [String] {
        (result(variant)?.verdicts ?? []).filter { $0.verdict == .violated }.map(\.property)
    }
}

/// Reading the kernel's tables from C and checking them (`vfio-mc kernel`), on fixtures written for the purpose.
@Suite struct KernelExtractionTests {
    @Test func currentTableIsReadAsTheDataPageGivesIt() throws {
        let tables = try KernelExtractor.read(path: kernelFixture("vfio_main.c"))
        #expect(tables.states == ["ERROR", "STOP", "RUNNING", "STOP_COPY", "RESUMING", "RUNNING_P2P", "PRE_COPY", "PRE_COPY_P2P"])
        #expect(tables.table["RUNNING"]?["STOP"] == "RUNNING_P2P")
        #expect(tables.table["PRE_COPY"]?["STOP_COPY"] == "PRE_COPY_P2P")
        #expect(tables.table["STOP_COPY"]?["PRE_COPY"] == "ERROR")
        #expect(tables.uninitialised.isEmpty)
        #expect(tables.needs["PRE_COPY_P2P"] == StateNeeds(flags: ["STOP_COPY", "P2P", "PRE_COPY"], allBits: false))
        #expect(tables.needs["ERROR"]?.allBits == true)
        #expect(tables.optionalFlags == ["P2P", "PRE_COPY"])
        guard case .file = tables.needsSource else {
            Issue.record("the rule should come from the file: \(tables.needsSource)")
            return
        }
        guard case .shipped = tables.loop else {
            Issue.record("the loop should read as shipped: \(tables.loop)")
            return
        }
    }

    @Test func currentTableVerdictsUnderBothReadings() throws {
        let analysis = try kernelAnalysis("vfio_main.c")
        #expect(analysis.countedVariants == [.shipped])
        #expect(analysis.violations(.shipped) == ["Terminates", "NoSavingInterior"])
        #expect(analysis.violations(.fixed) == ["NoSavingInterior"])
        #expect(analysis.violated)
        let terminates = analysis.result(.shipped)?.verdicts.first { $0.property == "Terminates" }
        #expect(terminates?.example?.hasSuffix("STOP_COPY -> PRE_COPY") == true || terminates?.example?.hasSuffix("STOP_COPY -> PRE_COPY_P2P") == true)
        #expect(analysis.path("{P2P,PRE_COPY}", "PRE_COPY -> STOP_COPY", .shipped) == "PRE_COPY -> PRE_COPY_P2P -> STOP_COPY")
        #expect(analysis.path("{P2P,PRE_COPY}", "PRE_COPY -> RESUMING", .shipped)
                == "PRE_COPY -> RUNNING -> RUNNING_P2P -> STOP -> RESUMING")
        #expect(analysis.path("{}", "RUNNING -> STOP", .shipped) == "RUNNING -> STOP")
        #expect(analysis.path("{PRE_COPY}", "STOP_COPY -> PRE_COPY", .shipped) == "STOP_COPY -> HANGS (the SET never returns)")
        #expect(analysis.path("{PRE_COPY}", "STOP_COPY -> PRE_COPY", .fixed) == "EINVAL")
        #expect(analysis.path("{}", "STOP -> PRE_COPY", .shipped) == "EINVAL")
    }

    /// The model generated from the fixture gives the same verdicts as the hand-written library model of the same
    /// table (Models/kernel-next-state.vmc) on every rule both check.
    @Test func generatedModelAgreesWithTheLibraryModel() throws {
        let analysis = try kernelAnalysis("vfio_main.c")
        let library = ExplicitExplorer(system: try modelSystem("kernel-next-state.vmc"), file: "kernel-next-state.vmc").check()
        for (property, _) in KernelModel.rules {
            let expected = library.properties.first { $0.name == property }?.verdict
            #expect(expected != nil, "the library model has no \(property)")
            #expect(analysis.verdict(property, .shipped) == expected, "\(property)")
        }
    }

    @Test func fileWithoutTheLoopCountsBothReadings() throws {
        let text = """
            static const u8 vfio_from_fsm_table[2][2] = {
            \t[VFIO_DEVICE_STATE_STOP] = { [VFIO_DEVICE_STATE_STOP] = VFIO_DEVICE_STATE_STOP, },
            };
            """
        let analysis = try KernelAnalysis(tables: try KernelExtractor.extract(source: Array(text.utf8), file: "t.c", header: nil))
        guard case .unknown = analysis.tables.loop else {
            Issue.record("expected an unknown loop: \(analysis.tables.loop)")
            return
        }
        guard case .documented = analysis.tables.needsSource else {
            Issue.record("expected the documented rule: \(analysis.tables.needsSource)")
            return
        }
        #expect(analysis.countedVariants == [.shipped, .fixed])
        #expect(analysis.tables.states == ["ERROR", "STOP"])
        #expect(analysis.fromError?.hasPrefix("no flag set supports ERROR") == true)
    }

    @Test func loopFixIsReadFromTheFile() throws {
        let analysis = try kernelAnalysis("vfio_main-loop-fix.c")
        guard case .fixed = analysis.tables.loop else {
            Issue.record("the loop should read as fixed: \(analysis.tables.loop)")
            return
        }
        #expect(analysis.countedVariants == [.fixed])
        #expect(analysis.violations(.fixed) == ["NoSavingInterior"])
        let comparison = KernelComparison(before: try kernelAnalysis("vfio_main.c"), after: analysis)
        #expect(comparison.entries.isEmpty)
        #expect(comparison.readingVerdicts.map(\.property) == ["Terminates"])
        #expect(!comparison.regressed)
    }

    @Test func changedEntryBreaksThePermittedArcsAndIsARegression() throws {
        let analysis = try kernelAnalysis("vfio_main-changed-entry.c")
        #expect(analysis.violations(.shipped) == ["Terminates", "ArcPermitted", "NoSavingInterior"])
        let arc = analysis.result(.shipped)?.verdicts.first { $0.property == "ArcPermitted" }
        #expect(arc?.example?.hasSuffix("RUNNING -> STOP") == true)
        let comparison = KernelComparison(before: try kernelAnalysis("vfio_main.c"), after: analysis)
        #expect(comparison.entries.map { "[\($0.current)][\($0.requested)]: \($0.before ?? "-") -> \($0.after ?? "-")" }
                == ["[RUNNING][STOP]: RUNNING_P2P -> STOP"])
        #expect(comparison.regressed)
        #expect(comparison.verdicts.contains { $0.property == "ArcPermitted" && $0.variant == .shipped && $0.regression })
        #expect(comparison.paths.contains {
            $0.variant == .shipped && $0.flagSet == "{P2P}" && $0.request == "RUNNING -> STOP"
                && $0.before == "RUNNING -> RUNNING_P2P -> STOP" && $0.after == "RUNNING -> STOP"
        })
        // Without P2P the entry is the same arc as before.
        #expect(!comparison.paths.contains { $0.flagSet == "{}" })
    }

    @Test func missingEntryHoldsErrorAsCZeroFillsIt() throws {
        let analysis = try kernelAnalysis("vfio_main-missing-entry.c")
        #expect(analysis.tables.uninitialised == [KernelRequest(current: "RESUMING", requested: "RUNNING")])
        #expect(analysis.tables.table["RESUMING"]?["RUNNING"] == "ERROR")
        #expect(analysis.tables.notes.contains { $0.contains("[RESUMING][RUNNING]") })
        #expect(analysis.path("{}", "RESUMING -> RUNNING", .shipped) == "RESUMING -> HANGS (the SET never returns)")
        #expect(analysis.path("{}", "RESUMING -> RUNNING", .fixed) == "EINVAL")
        #expect(analysis.violations(.shipped).contains("NonBlockedSucceeds"))
        #expect(analysis.violations(.fixed).contains("BlockedFailsUnchanged"))
    }

    @Test func newStateInATreeTakesItsValueAndFlagFromTheHeader() throws {
        let analysis = try kernelAnalysis("tree-new-state")
        let tables = analysis.tables
        #expect(tables.states.last == "QUIESCED")
        #expect(tables.values["QUIESCED"] == 8)
        #expect(tables.optionalFlags == ["P2P", "PRE_COPY", "QUIESCE"])
        #expect(tables.file.hasSuffix("drivers/vfio/vfio_main.c"))
        #expect(analysis.undocumentedStates == ["QUIESCED"])
        #expect(analysis.violations(.shipped).contains("ArcPermitted"))
        #expect(analysis.path("{P2P,QUIESCE}", "STOP -> QUIESCED", .shipped) == "STOP -> RUNNING_P2P -> QUIESCED")
        #expect(analysis.path("{P2P}", "STOP -> QUIESCED", .shipped) == "EINVAL")
        let comparison = KernelComparison(before: try kernelAnalysis("tree"), after: analysis)
        #expect(comparison.addedStates == ["QUIESCED"])
        #expect(comparison.regressed)
    }

    @Test func treeAndFileOfTheSameTableAgree() throws {
        let tree = try kernelAnalysis("tree")
        let file = try kernelAnalysis("vfio_main.c")
        #expect(tree.tables.enumSource.hasPrefix("enum vfio_device_mig_state in "))
        #expect(tree.results == file.results)
    }

    @Test func tableBeforeLinux62HoldsEveryRule() throws {
        let analysis = try kernelAnalysis("vfio-6.1.c")
        #expect(analysis.tables.states == ["ERROR", "STOP", "RUNNING", "STOP_COPY", "RESUMING", "RUNNING_P2P"])
        #expect(analysis.tables.optionalFlags == ["P2P"])
        #expect(analysis.violations(.shipped).isEmpty)
        #expect(analysis.violations(.fixed).isEmpty)
        #expect(!analysis.violated)
    }

    /// The paths are computed by running the algorithm, the verdicts by the checker: a SET that never returns
    /// shows in both or in neither.
    @Test func hangingPathsAndTerminatesAgree() throws {
        for name in ["vfio_main.c", "vfio_main-loop-fix.c", "vfio_main-changed-entry.c", "vfio_main-missing-entry.c",
                     "tree-new-state", "vfio-6.1.c"] {
            let analysis = try kernelAnalysis(name)
            for variant in LoopVariant.allCases {
                let hangs = analysis.result(variant)?.paths.contains { $0.outcome == .hangs } ?? false
                #expect(hangs == (analysis.verdict("Terminates", variant) == .violated), "\(name) \(variant)")
            }
        }
    }
}

/// Random tables over the eight states: the checker and the direct computation agree on hanging SETs, and the
/// resolver never yields an unsupported state (its loop only ends on a supported one, or on ERROR with the fix).
@Suite struct KernelRandomTableTests {
    static let states = ["ERROR", "STOP", "RUNNING", "STOP_COPY", "RESUMING", "RUNNING_P2P", "PRE_COPY", "PRE_COPY_P2P"]

    static func source(_ generator: inout SplitMix) -> String {
        var text = "static const u8 vfio_from_fsm_table[8][8] = {\n"
        for current in states {
            text += "[VFIO_DEVICE_STATE_\(current)] = {\n"
            for requested in states {
                let next = current == requested ? requested : states[Int(generator.next() % UInt64(states.count))]
                text += "[VFIO_DEVICE_STATE_\(requested)] = VFIO_DEVICE_STATE_\(next),\n"
            }
            text += "},\n"
        }
        return text + "};\n"
    }

    @Test func checkerAndDirectComputationAgree() throws {
        var generator = SplitMix(seed: 5)
        for index in 0..<4 {
            let text = Self.source(&generator)
            let tables = try KernelExtractor.extract(source: Array(text.utf8), file: "random\(index).c", header: nil)
            let analysis = try KernelAnalysis(tables: tables)
            for variant in LoopVariant.allCases {
                let hangs = analysis.result(variant)?.paths.contains { $0.outcome == .hangs } ?? false
                #expect(hangs == (analysis.verdict("Terminates", variant) == .violated), "table \(index) \(variant)")
                #expect(analysis.verdict("YieldsSupported", variant) == .holds, "table \(index) \(variant)")
                #expect(analysis.verdict("NeverUnsupported", variant) == .holds, "table \(index) \(variant)")
            }
        }
    }

    @Test func tooManyStatesAreRefusedBeforeTheSearch() throws {
        var text = "static const u8 vfio_from_fsm_table[N][N] = {\n"
        for index in 0..<(KernelModel.maxStates + 1) { text += "[VFIO_DEVICE_STATE_S\(index)] = { [VFIO_DEVICE_STATE_S0] = VFIO_DEVICE_STATE_S0 },\n" }
        text += "};\n"
        #expect(throws: KernelSourceError.self) {
            try KernelExtractor.extract(source: Array(text.utf8), file: "big.c", header: nil)
        }
    }
}
