import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Reports
import Review
import Testing

/// A one-device model with a resolver, used in several versions.
private let baseModel = """
    model toy
    type St = enum { STOP, RUNNING, STOP_COPY, PRE_COPY }
    table arcs: [St][St] bool = {
      STOP:      { false, true,  true,  false },
      RUNNING:   { true,  false, false, true  },
      STOP_COPY: { true,  false, false, false },
      PRE_COPY:  { false, true,  true,  false },
    }
    var st: St = RUNNING
    var ended: bool = false
    def resolve(c: St, r: St): St = if arcs[c][r] then r else if c == RUNNING then STOP else c
    def einval(c: St, r: St): bool = !arcs[c][resolve(c, r)]
    action set(r: St) when arcs[st][r] {
      st := r
      ended := if r == RUNNING then false else ended
    }
    action finish when st == STOP_COPY { ended := true }
    invariant EndOnlyInStopCopy: ended -> st == STOP_COPY || st == STOP
    reachable Drained: ended
    terminal true
    """

@Suite struct DiffTests {
    @Test func identicalVersionsHaveNoRegression() throws {
        let diff = ModelDiff(base: try system(baseModel), baseName: "a", proposed: try system(baseModel), proposedName: "b")
        #expect(diff.regressions.isEmpty)
        #expect(diff.exitCode == 0)
        #expect(diff.devices.isEmpty)
        #expect(diff.paths?.changed.isEmpty == true)
        #expect(diff.properties.allSatisfy { $0.status == .unchanged })
        let text = DiffTextRenderer.render(diff)
        #expect(text.contains("Result: no regression"))
        #expect(text.contains("all 16 lines unchanged"))
    }

    @Test func newArcBreaksAnInvariantAndShowsItsCounterexample() throws {
        // Permit STOP_COPY -> PRE_COPY: the end of the stream stays read in PRE_COPY.
        let proposed = patched(baseModel, "STOP_COPY: { true,  false, false, false },", "STOP_COPY: { true,  false, false, true  },")
        let diff = ModelDiff(base: try system(baseModel), baseName: "base.vmc", proposed: try system(proposed), proposedName: "new.vmc")
        let change = try #require(diff.properties.first { $0.name == "EndOnlyInStopCopy" })
        #expect(change.before?.verdict == .holds)
        #expect(change.after?.verdict == .violated)
        #expect(change.isRegression)
        #expect(change.status == .regression)
        let trace = try #require(change.newTrace)
        #expect(trace.steps.last?.values.contains("PRE_COPY") == true)
        #expect(diff.exitCode == 1)
        // The projected automaton gains exactly that arc.
        #expect(diff.devices.count == 1)
        let device = try #require(diff.devices.first)
        #expect(device.arcsAdded == [DeviceAutomatonChange.Arc(from: "STOP_COPY", to: "PRE_COPY", actions: ["set"])])
        #expect(device.arcsRemoved.isEmpty && device.statesAdded.isEmpty && device.statesRemoved.isEmpty)
        // The resolver changes for that request only.
        let paths = try #require(diff.paths)
        #expect(paths.changed.map { [$0.before?.line, $0.after?.line] }
                == [["STOP_COPY -> PRE_COPY: EINVAL", "STOP_COPY -> PRE_COPY: STOP_COPY -> PRE_COPY"]])
        let text = DiffTextRenderer.render(diff)
        #expect(text.contains("New counterexample for EndOnlyInStopCopy (invariant"))
        #expect(text.contains("+ arc STOP_COPY -> PRE_COPY (set)"))
        #expect(text.contains("  - STOP_COPY -> PRE_COPY: EINVAL"))
        #expect(text.contains("  + STOP_COPY -> PRE_COPY: STOP_COPY -> PRE_COPY"))
        #expect(text.contains("Result: 1 regression: EndOnlyInStopCopy (holds, now violated)"))
    }

    @Test func unreachableStatesAndRemovedPropertiesAreReported() throws {
        // No way into STOP_COPY any more: the goal becomes unreachable, a state and arcs disappear.
        var proposed = patched(baseModel, "STOP:      { false, true,  true,  false },", "STOP:      { false, true,  false, false },")
        proposed = patched(proposed, "PRE_COPY:  { false, true,  true,  false },", "PRE_COPY:  { false, true,  false, false },")
        proposed = patched(proposed, "invariant EndOnlyInStopCopy: ended -> st == STOP_COPY || st == STOP\n", "")
        let diff = ModelDiff(base: try system(baseModel), baseName: "a", proposed: try system(proposed), proposedName: "b")
        let goal = try #require(diff.properties.first { $0.name == "Drained" })
        #expect(goal.after?.verdict == .unreachable)
        #expect(goal.isRegression)
        let removed = try #require(diff.properties.first { $0.name == "EndOnlyInStopCopy" })
        #expect(removed.after == nil && removed.isRegression)
        let device = try #require(diff.devices.first)
        #expect(device.statesRemoved == ["STOP_COPY"])
        #expect(device.arcsRemoved.map { "\($0.from)>\($0.to)" }.sorted() == ["PRE_COPY>STOP_COPY", "STOP>STOP_COPY", "STOP_COPY>STOP"])
        #expect(DiffTextRenderer.render(diff).contains("- state STOP_COPY is no longer reachable"))
        #expect(diff.exitCode == 1)
    }

    @Test func fixedAndNewPropertiesAreNotRegressions() throws {
        let broken = patched(baseModel, "ended -> st == STOP_COPY || st == STOP", "!ended")
        var fixed = baseModel + "\ninvariant AlwaysFails: false\nexpect AlwaysFails holds\n"
        fixed = patched(fixed, "reachable Drained: ended", "reachable Drained: ended && st == STOP_COPY")
        let diff = ModelDiff(base: try system(broken), baseName: "a", proposed: try system(fixed), proposedName: "b")
        let repaired = try #require(diff.properties.first { $0.name == "EndOnlyInStopCopy" })
        #expect(repaired.status == .fixed && !repaired.isRegression)
        let new = try #require(diff.properties.first { $0.name == "AlwaysFails" })
        #expect(new.status == .new && !new.isRegression)
        #expect(diff.exitCode == 0)
    }

    @Test func expectationChangesStillFlagAPropertyThatHeld() throws {
        let proposed = patched(baseModel, "STOP_COPY: { true,  false, false, false },", "STOP_COPY: { true,  false, false, true  },")
            + "\nexpect EndOnlyInStopCopy violated\n"
        let diff = ModelDiff(base: try system(baseModel), baseName: "a", proposed: try system(proposed), proposedName: "b")
        let change = try #require(diff.properties.first { $0.name == "EndOnlyInStopCopy" })
        #expect(change.after?.meetsExpectation == true)
        #expect(change.isRegression)
        #expect(DiffTextRenderer.render(diff).contains("holds -> violated"))
    }

    @Test func pathsAreSkippedWithANoteWhenOnlyOneVersionDefinesThem() throws {
        let without = patched(patched(baseModel, "def resolve(", "def resolve2("), "!arcs[c][resolve(c, r)]", "!arcs[c][resolve2(c, r)]")
        let diff = ModelDiff(base: try system(baseModel), baseName: "a", proposed: try system(without), proposedName: "b")
        #expect(diff.paths == nil)
        #expect(diff.pathsNote?.message.contains("does not") == true)
        let other = ModelDiff(base: try system(baseModel), baseName: "a", proposed: try system(without), proposedName: "b",
                              paths: ModelDiff.PathDefinitions(next: "nothing", fails: "einval"))
        #expect(other.paths == nil && other.pathsNote == nil)
        #expect(DiffTextRenderer.render(other).contains("neither version defines nothing(current, requested)"))
    }

    @Test func aCombinationPathThatNoLongerEndsIsARegression() throws {
        // Never refusing makes the resolver stay in STOP_COPY forever when PRE_COPY is requested from it.
        let looping = patched(baseModel, "def einval(c: St, r: St): bool = !arcs[c][resolve(c, r)]", "def einval(c: St, r: St): bool = false")
        let diff = ModelDiff(base: try system(baseModel), baseName: "a", proposed: try system(looping), proposedName: "b")
        let paths = try #require(diff.paths)
        #expect(!paths.regressions.isEmpty)
        #expect(paths.regressions.allSatisfy { line in
            if case .unending = line.after?.outcome { return true }
            return false
        })
        #expect(diff.exitCode == 1)
        #expect(DiffTextRenderer.render(diff).contains("REGRESSION: the resolver no longer ends"))
        #expect(DiffTextRenderer.render(diff).contains("combination paths no longer end") || DiffTextRenderer.render(diff).contains("combination path no longer ends"))
        // The reverse direction (a loop fixed) is not a regression.
        let fixed = ModelDiff(base: try system(looping), baseName: "b", proposed: try system(baseModel), proposedName: "a")
        #expect(fixed.paths?.regressions.isEmpty == true)
    }

    @Test func pathDefinitionsOfTheWrongTypeAreAnError() throws {
        let swapped = ModelDiff(base: try system(baseModel), baseName: "a", proposed: try system(baseModel), proposedName: "b",
                                paths: ModelDiff.PathDefinitions(next: "einval", fails: "resolve"))
        #expect(swapped.exitCode == 2)
        #expect(swapped.pathsError?.contains("'einval' must return a St (the next state), but returns bool") == true)
        #expect(DiffTextRenderer.render(swapped).contains("Combination paths: error:"))
    }

    @Test func missingVerdictsExitThree() throws {
        var options = ExplorerOptions()
        options.budget.maxStates = 2
        let diff = ModelDiff(base: try system(baseModel), baseName: "a", proposed: try system(baseModel), proposedName: "b",
                             options: options)
        #expect(diff.regressions.isEmpty)
        #expect(diff.exitCode == 3)
    }

    @Test func permittingStopCopyToPreCopyInTheDeviceModel() throws {
        // The first worked example of docs/reviewing.md.
        let text = try modelText("v2-device.vmc")
        var proposed = patched(text, "  STOP_COPY:    { STOP,        STOP,        STOP_COPY,    STOP,        STOP,        ERROR,",
                               "  STOP_COPY:    { STOP,        STOP,        STOP_COPY,    STOP,        STOP,        PRE_COPY,")
        proposed = patched(proposed, "  STOP_COPY:    { true,  false, false, false, false, false, false, false },",
                           "  STOP_COPY:    { true,  false, false, false, false, true,  false, false },")
        proposed = patched(proposed, "(a == STOP_COPY && (b == PRE_COPY || b == PRE_COPY_P2P))", "(a == STOP_COPY && b == PRE_COPY_P2P)")
        let diff = ModelDiff(base: try system(text, name: "v2-device.vmc"), baseName: "base",
                             proposed: try system(proposed, name: "proposed.vmc"), proposedName: "proposed")
        #expect(diff.regressions.map(\.name) == ["StopCopyEndIsFinal"])
        #expect(diff.devices.first?.arcsAdded.map { "\($0.from) -> \($0.to)" } == ["STOP_COPY -> PRE_COPY"])
        #expect(diff.paths?.changed.count == 2)
        #expect(diff.exitCode == 1)
    }

    @Test func droppingTheP2PStepAppliesToTheModelAndRegresses() throws {
        // The second worked example of docs/reviewing.md: its patch must still apply to the model as it is, and
        // the proposed flow must lose the "no P2P into a stopped peer without failures" properties.
        guard installed("git") else {
            print("droppingTheP2PStep: git is not installed; skipped")
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let models = directory.appendingPathComponent("Models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let text = try modelText("v2-qemu-p2p.vmc")
        try text.write(to: models.appendingPathComponent("v2-qemu-p2p.vmc"), atomically: true, encoding: .utf8)
        let patch = repositoryRoot.appendingPathComponent("docs/examples/qemu-without-p2p-step.patch").path
        let applied = try run(["git", "apply", patch], in: directory)
        #expect(applied.status == 0, "the patch no longer applies: \(applied.output)")
        let proposed = try String(contentsOf: models.appendingPathComponent("v2-qemu-p2p.vmc"), encoding: .utf8)
        #expect(proposed != text)
        let diff = ModelDiff(base: try system(text, name: "v2-qemu-p2p.vmc", overrides: ["N": "2"]), baseName: "base",
                             proposed: try system(proposed, name: "proposed.vmc", overrides: ["N": "2"]),
                             proposedName: "proposed")
        #expect(diff.regressions.map(\.name) == ["NoDmaToStoppedPeerWithoutFailures",
                                                 "NoDmaToStoppedPeerOnDestinationWithoutFailures",
                                                 "NoDmaIntoHealthyStoppedPeer"])
        #expect(diff.exitCode == 1)
    }
}

@Suite struct GitRevisionTests {
    @Test func readsAModelAsOfARevisionAndReportsBadRevisions() throws {
        guard installed("git") else {
            print("GitRevisionTests: git is not installed; skipped")
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let models = directory.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let file = models.appendingPathComponent("toy.vmc")
        try baseModel.write(to: file, atomically: true, encoding: .utf8)
        for command in [["git", "init", "-q"], ["git", "add", "."],
                        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base"]] {
            let result = try run(command, in: directory)
            try #require(result.status == 0, "\(command): \(result.output)")
        }
        let proposed = patched(baseModel, "STOP_COPY: { true,  false, false, false },", "STOP_COPY: { true,  false, false, true  },")
        try proposed.write(to: file, atomically: true, encoding: .utf8)

        let old = try GitRevision.show(path: file.path, revision: "HEAD")
        #expect(old == baseModel)
        let diff = ModelDiff(base: try ModelLoader.load(.revision(path: file.path, revision: "HEAD")), baseName: "toy@HEAD",
                             proposed: try ModelLoader.load(.file(file.path)), proposedName: "toy")
        #expect(diff.regressions.map(\.name) == ["EndOnlyInStopCopy"])

        #expect(throws: ReviewError.self) { try GitRevision.show(path: file.path, revision: "no-such-revision") }
        do {
            _ = try GitRevision.show(path: file.path, revision: "no-such-revision")
        } catch let error as ReviewError {
            #expect(error.message == "error: unknown git revision 'no-such-revision'")
        }
        do {
            _ = try GitRevision.show(path: models.appendingPathComponent("other.vmc").path, revision: "HEAD")
            Issue.record("a file absent at the revision was read")
        } catch let error as ReviewError {
            #expect(error.message.contains("does not exist at revision 'HEAD'"))
        }
        #expect(ModelInput.revision(path: "m.vmc", revision: "HEAD~1").displayName == "m.vmc@HEAD~1")
    }

    @Test func outsideACheckoutIsAClearError() throws {
        guard installed("git") else {
            print("GitRevisionTests: git is not installed; skipped")
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A directory that is not a git work tree even if TMPDIR is inside one.
        let ceiling = try run(["git", "-C", directory.path, "rev-parse", "--is-inside-work-tree"])
        guard ceiling.status != 0 else {
            print("GitRevisionTests: the temporary directory is inside a git checkout; skipped")
            return
        }
        let file = directory.appendingPathComponent("toy.vmc")
        try baseModel.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try GitRevision.show(path: file.path, revision: "HEAD")
            Issue.record("a file outside a checkout was read")
        } catch let error as ReviewError {
            #expect(error.message.contains("is not inside a git checkout"))
        }
    }
}
