import Foundation
import ModelLanguage
import PackedSystem
import Reports
import Review
import Testing

/// Replays a log (native format unless it carries QEMU trace events) against a model in Models/ as `vfio-mc replay`
/// does without `--start`: from the initial states and then each declared entry point.
func replayFromEntries(_ log: String, model: String, constants: [String: String] = [:],
                       options: ReplayOptions = ReplayOptions()) throws -> ReplayResult {
    let events = try EventLog.parse(log, name: "test.log")
    let system = try modelSystem(model, overrides: constants)
    return try ReplayDriver.replay(events, logName: "test.log", system: system, starts: ReplayDriver.startPoints(of: system),
                                   options: options)
}

/// The same for model text.
func replayFromEntries(_ log: String, modelText text: String, options: ReplayOptions = ReplayOptions()) throws -> ReplayResult {
    let events = try EventLog.parse(log, name: "test.log")
    let built = try system(text)
    return try ReplayDriver.replay(events, logName: "test.log", system: built, starts: ReplayDriver.startPoints(of: built),
                                   options: options)
}

/// A short form for expectation failures (the default would print the whole system).
extension ReplayResult: CustomTestStringConvertible {
    public var testDescription: String {
        "ReplayResult(conforms: \(conforms), rejected line: \(rejection.map { String($0.event.line) } ?? "none"), start: \(start ?? "-"))"
    }
}

/// The example logs of docs/examples.
func exampleLog(_ name: String) throws -> String {
    try String(contentsOfFile: repositoryRoot.appendingPathComponent("docs/examples/\(name)").path, encoding: .utf8)
}

/// Event matching (`emits`): the QEMU models declare the events QEMU traces, and a log is matched event by event.
@Suite struct EventReplayTests {
    /// The issue's case: QEMU 8.0's source for two devices (straight from RUNNING to STOP) used to conform to the
    /// QEMU 8.2 model through a hidden failed SET to RUNNING_P2P. With events that SET is observable, so the log is
    /// rejected at its first SET to STOP, and the report names the RUNNING_P2P SET the model would have emitted.
    @Test func qemu80SourceIsRejectedByTheQemu82ModelAtItsFirstStop() throws {
        let result = try replayFromEntries(try exampleLog("qemu80-source.log"), model: "v2-qemu-p2p.vmc", constants: ["N": "2"])
        let text = ReplayTextRenderer.render(result, logName: "test.log")
        #expect(result.mode == .events)
        #expect(!result.conforms, result.report)
        #expect(result.rejection?.event.line == 3)
        #expect(result.rejection?.event.description == "0000:01:00.0 set STOP ok")
        #expect(text.contains("What the model can emit there instead"))
        #expect(text.contains("  0000:01:00.0 set RUNNING_P2P ok recover ERROR  (q_result)"), result.report)
        // Failures are on (FAILURES = true): the failed P2P SET is listed too, as an event the log would show.
        #expect(text.contains("  0000:01:00.0 set RUNNING_P2P fail RUNNING recover ERROR  (q_result)"), result.report)
        #expect(result.exitCode == 1)
    }

    /// The state projection, on the same model and log, follows the first SET to STOP (line 3) through a hidden
    /// failed SET to RUNNING_P2P that the log would have shown: the unsoundness of issue 17. (It rejects the log only
    /// later, at line 5, where no hidden path is left.)
    @Test func theStateProjectionFollowedTheFirstStop() throws {
        let log = try EventLog.parse(try exampleLog("qemu80-source.log"), name: "test.log")
        let system = try modelSystem("v2-qemu-p2p.vmc", overrides: ["N": "2"])
        let result = try Replayer(system: system).replay(log, logName: "test.log")
        let followed = result.steps.map(\.event.line)
        #expect(followed.prefix(2) == [3, 4], result.report)
        #expect(result.mode == .stateProjection)
    }

    @Test(arguments: ["true", "false"])
    func qemu82SourceConforms(failures: String) throws {
        let result = try replayFromEntries(try exampleLog("qemu82-source.trace"), model: "v2-qemu-p2p.vmc",
                                           constants: ["N": "2", "FAILURES": failures])
        #expect(result.conforms, result.report)
        #expect(result.steps.count == 14)
        #expect(result.start == nil || result.start == "the initial states")
        let text = ReplayTextRenderer.render(result, logName: "test.log")
        #expect(text.contains("matching the events it emits (set, state)"))
        #expect(text.contains("line  9  0000:01:00.0 state PRE_COPY_P2P  ->  (same step)"), result.report)
        #expect(text.contains("ph = S_CLEANUP"))
    }

    /// A destination's log needs no `--start`: the model declares `entry destination: ph == D_SETUP`.
    @Test func qemu82DestinationConformsFromItsEntryPoint() throws {
        let result = try replayFromEntries(try exampleLog("qemu82-destination.trace"), model: "v2-qemu-p2p.vmc",
                                           constants: ["N": "2"])
        #expect(result.conforms, result.report)
        #expect(result.start == "entry destination")
        #expect(result.attempts == ["the initial states: rejects line 3 (0000:01:00.0 set RESUMING ok recover RUNNING)"])
        #expect(ReplayTextRenderer.render(result, logName: "test.log").contains("start: entry destination"))
    }

    /// A failed SET is in the log (QEMU traces the request, then the state it caches: RUNNING after the reset), and
    /// the model follows the stop handlers' error path: stop, restart the VM (P2P step, RUNNING), then the notifier.
    @Test func failedP2PSetWithResetAndRestartConforms() throws {
        let log = """
            # QEMU 8.2 source, two devices, no pre-copy: device 0's P2P SET fails and QEMU resets it (recover ERROR).
            d0 set RUNNING_P2P fail RUNNING recover ERROR
            d0 state RUNNING
            d1 set RUNNING_P2P ok recover ERROR
            d1 state RUNNING_P2P
            d0 set STOP ok recover ERROR
            d0 state STOP
            d1 set STOP ok recover ERROR
            d1 state STOP
            d0 set RUNNING_P2P ok recover ERROR
            d0 state RUNNING_P2P
            d1 set RUNNING_P2P ok recover ERROR
            d1 state RUNNING_P2P
            d0 set RUNNING ok recover ERROR
            d0 state RUNNING
            d1 set RUNNING ok recover ERROR
            d1 state RUNNING
            d0 set RUNNING ok recover ERROR
            d1 set RUNNING ok recover ERROR

            """
        var options = ReplayOptions()
        options.requireComplete = true
        let result = try replayFromEntries(log, model: "v2-qemu-p2p.vmc", constants: ["N": "2"], options: options)
        #expect(result.conforms, result.report)
        #expect(result.completion == .finished)
        let text = ReplayTextRenderer.render(result, logName: "test.log")
        #expect(text.contains("ph = S_NOTIFY"), result.report)
        #expect(text.contains("mfail = true"), result.report)
        // Without the failure the same log is impossible: the stop handlers would not have restarted the VM.
        let strict = try replayFromEntries(log, model: "v2-qemu-p2p.vmc", constants: ["N": "2", "FAILURES": "false"])
        #expect(strict.rejection?.event.line == 2, strict.report)
    }

    /// A failed SET whose recover SET works: the cached state is the recover state, and the migration fails at setup.
    @Test func recoverSetConforms() throws {
        let log = """
            d0 set PRE_COPY fail RUNNING recover RUNNING
            d0 set RUNNING ok recover ERROR
            d1 set RUNNING ok recover ERROR

            """
        var options = ReplayOptions()
        options.requireComplete = true
        let result = try replayFromEntries(log, model: "v2-qemu-p2p.vmc", constants: ["N": "2"], options: options)
        #expect(result.conforms, result.report)
        #expect(ReplayTextRenderer.render(result, logName: "test.log").contains("pre[0] = true, ph = S_NOTIFY"), result.report)
        // A recover state the model never asks for at setup is rejected, and the report names the real one.
        let wrong = try replayFromEntries("d0 set PRE_COPY fail STOP recover STOP\n", model: "v2-qemu-p2p.vmc", constants: ["N": "2"])
        #expect(wrong.rejection?.event.line == 1)
        #expect(ReplayTextRenderer.render(wrong, logName: "test.log").contains("d0 set PRE_COPY fail RUNNING recover RUNNING  (q_result)"), wrong.report)
    }

    /// A request with no result (QEMU died, or the log was cut) has an unknown outcome: any emitted result fits.
    @Test func requestWithoutResultHasAnUnknownOutcome() throws {
        let lines = QEMUTrace.set(0, "PRE_COPY", recover: "RUNNING") + [
            "vfio_migration_set_state  (\(QEMUTrace.name(1))) new state PRE_COPY, recover state RUNNING",
        ]
        let result = try replayFromEntries(lines.joined(separator: "\n") + "\n", model: "v2-qemu-p2p.vmc", constants: ["N": "2"])
        #expect(result.conforms, result.report)
        #expect(result.steps.last?.event.outcome == .unknown)
    }

    /// The other direction: QEMU 8.2's source is rejected by the hypothetical flow without the P2P step, at its
    /// first P2P SET, and its destination at the first RUNNING_P2P SET (the hypothetical flow goes straight to
    /// RUNNING).
    @Test func qemu82LogsAreRejectedByTheFlowWithoutTheP2PStep() throws {
        let source = try replayFromEntries(try exampleLog("qemu82-source.trace"), model: "v2-hypothetical-no-p2p-step.vmc",
                                           constants: ["N": "2"])
        #expect(source.rejection?.event.line == 3, source.report)
        let destination = try replayFromEntries(try exampleLog("qemu82-destination.trace"), model: "v2-hypothetical-no-p2p-step.vmc",
                                                constants: ["N": "2"])
        #expect(destination.start == "entry destination", destination.report)
        #expect(destination.rejection?.event.line == 8, destination.report)
        #expect(ReplayTextRenderer.render(destination, logName: "test.log").contains("0000:01:00.0 set RUNNING ok recover ERROR  (q_result)"),
                destination.report)
    }

    /// The hand-written 8.0 log has no `state` lines: the model's VM-state events are then not required (a log that
    /// records no event of a kind says nothing about it), and the report says so.
    @Test func theHypotheticalFlowAcceptsQemu80sSourceLog() throws {
        let result = try replayFromEntries(try exampleLog("qemu80-source.log"), model: "v2-hypothetical-no-p2p-step.vmc",
                                           constants: ["N": "2"])
        #expect(result.conforms, result.report)
        #expect(result.unrecordedKinds == ["state"])
        #expect(ReplayTextRenderer.render(result, logName: "test.log").contains("note: the log records no 'state' events; the model's are not required"))
    }

    static let resetModel = """
        model resets
        type Dev = 0..1
        type St = enum { RUNNING, STOP, ERROR }
        var st: [Dev] St = RUNNING
        // A SET either works or leaves the device in ERROR; a reset gives RUNNING.
        action set(d: Dev, s: St) when s != ERROR && st[d] != ERROR emits set(d, s, st[d]) {
          choose ok: bool { st[d] := if ok then s else ERROR }
        }
        action reset(d: Dev) when st[d] == ERROR emits reset(d, st[d]) { st[d] := RUNNING }
        var t: bool = false
        action tick { t := !t }
        terminal true
        """

    @Test func resetsAreEventsToo() throws {
        let log = "a set STOP fail ERROR\na reset RUNNING\nb set STOP ok\na set STOP ok\n"
        let result = try replayFromEntries(log, modelText: Self.resetModel)
        #expect(result.conforms, result.report)
        // Without a's reset line the model cannot go on: leaving ERROR takes a reset, and the log records resets.
        let missing = try replayFromEntries("b set STOP fail ERROR\nb reset RUNNING\na set STOP fail ERROR\na set STOP ok\n",
                                            modelText: Self.resetModel)
        #expect(missing.rejection?.event.line == 4, missing.report)
        // A log that records no reset at all says nothing about them: the same lines without b's are accepted.
        let unrecorded = try replayFromEntries("a set STOP fail ERROR\na set STOP ok\n", modelText: Self.resetModel)
        #expect(unrecorded.conforms, unrecorded.report)
        #expect(unrecorded.unrecordedKinds == ["reset"])
        #expect(ReplayTextRenderer.render(missing, logName: "test.log").contains("  a reset RUNNING  (reset(1))"), missing.report)
    }

    @Test func eventsOfAKindTheModelNeverEmitsAreNotCheckedAndSaidSo() throws {
        let result = try replayFromEntries("a set STOP ok\na state STOP\n", modelText: Self.resetModel)
        #expect(result.conforms, result.report)
        #expect(result.uncheckedLines == [2])
        #expect(ReplayTextRenderer.render(result, logName: "test.log").contains("note: 1 event is not checked (line 2): the model emits no events of that kind"))
    }

    @Test func anUnknownStateNameIsAnError() throws {
        #expect(throws: ReviewError.self) {
            _ = try replayFromEntries("a set STOPP ok\n", modelText: Self.resetModel)
        }
    }

    @Test func aModelWithoutEventsSaysItMatchesByTheStateProjection() throws {
        let text = patched(Self.resetModel, " emits set(d, s, st[d])", "")
        let withoutEvents = patched(text, " emits reset(d, st[d])", "")
        let result = try replayFromEntries("a set STOP ok\n", modelText: withoutEvents)
        #expect(result.mode == .stateProjection)
        #expect(ReplayTextRenderer.render(result, logName: "test.log").contains("(state-projection matching: the model declares no events)"))
    }

    /// Variants: each combination replays from its own entry points, and `--start` works per combination.
    @Test func variantModelsReplayByEventsFromTheirEntryPoints() throws {
        let model = """
            model variants_events
            type St = enum { RUNNING, STOP, STOP_COPY }
            variant copy: bool
            var phase: 0..1 = 0
            var st: St = RUNNING
            action stop when phase == 0 && st == RUNNING emits set(0, STOP, st) { st := STOP }
            action copy_out when phase == 0 && st == STOP && copy emits set(0, STOP_COPY, st) { st := STOP_COPY }
            action handover when phase == 0 && st != RUNNING { phase := 1  st := RUNNING }
            action again when phase == 1 && st == RUNNING emits set(0, STOP, st) { st := STOP }
            entry second: phase == 1
            terminal true
            """
        let combinations = try ModelLoader.loadCombinations(.text(name: "m.vmc", text: model))
        let log = try EventLog.parse("d0 set STOP ok\nd0 set STOP_COPY ok\n", name: "run.log", format: .native)
        let replay = try MatrixReplay(combinations: combinations, log: log, logName: "run.log")
        #expect(replay.accepting.map(\.description) == ["copy=true"])
        let second = try EventLog.parse("d0 set STOP ok\n", name: "run.log", format: .native)
        let started = try ReplayStart.loadCombinations(.text(name: "m.vmc", text: model), overrides: [], predicate: "phase == 1")
        let fromStart = try MatrixReplay(started: started, startName: "--start 'phase == 1'", log: second, logName: "run.log")
        #expect(fromStart.accepting.count == 2)
        #expect(fromStart.runs.allSatisfy { $0.result.start == "--start 'phase == 1'" })
    }
}

/// Models/v2-qemu80.vmc: QEMU 8.0 with its one device, and its own trace format (a SET is traced only when it
/// succeeded, without the recover state; the VM state handler traces the state it requested).
@Suite struct Qemu80ModelTests {
    @Test func oneDeviceSourceAndDestinationConform() throws {
        let source = try replayFromEntries(try exampleLog("qemu80-one-device-source.trace"), model: "v2-qemu80.vmc")
        #expect(source.conforms, source.report)
        #expect(source.steps.map(\.event.description) == ["0000:01:00.0 set STOP ok", "0000:01:00.0 state STOP",
                                                           "0000:01:00.0 set STOP_COPY ok", "0000:01:00.0 set STOP ok"])
        let destination = try replayFromEntries(try exampleLog("qemu80-one-device-destination.trace"), model: "v2-qemu80.vmc")
        #expect(destination.conforms, destination.report)
        #expect(destination.start == "entry destination")
    }

    /// QEMU 8.2's one-device source, without and with pre-copy: rejected at its first SET, and the report names
    /// what QEMU 8.0 traces there (its SET to STOP).
    @Test(arguments: [false, true])
    func qemu82OneDeviceSourceIsRejected(preCopy: Bool) throws {
        let lines = QEMUTrace.source82(devices: 1, preCopy: preCopy)
        let result = try replayFromEntries(lines.joined(separator: "\n") + "\n", model: "v2-qemu80.vmc")
        #expect(result.rejection?.event.line == 3, result.report)
        #expect(ReplayTextRenderer.render(result, logName: "test.log").contains("  0000:01:00.0 set STOP ok  (q_result)"), result.report)
    }

    /// A failed SET leaves no set line in 8.0's trace, but the VM state handler still traces the state it
    /// requested: the stop handler's failure shows only through what follows (the VM restarts, the notifier).
    @Test func failedStopShowsThroughTheRestart() throws {
        let log = """
            vfio_vmstate_change  (0000:01:00.0) running 0 reason finish-migrate device state STOP
            vfio_migration_set_state  (0000:01:00.0) state RUNNING
            vfio_vmstate_change  (0000:01:00.0) running 1 reason running device state RUNNING
            vfio_migration_set_state  (0000:01:00.0) state RUNNING

            """
        var options = ReplayOptions()
        options.requireComplete = true
        let result = try replayFromEntries(log, model: "v2-qemu80.vmc", options: options)
        #expect(result.conforms, result.report)
        #expect(ReplayTextRenderer.render(result, logName: "test.log").contains("ph = S_NOTIFY"), result.report)
        // Without failures the first line is already impossible: a successful SET to STOP is traced before it.
        let noFailures = try replayFromEntries(log, model: "v2-qemu80.vmc", constants: ["FAILURES": "false"])
        #expect(noFailures.rejection?.event.line == 1, noFailures.report)
        #expect(ReplayTextRenderer.render(noFailures, logName: "test.log").contains("  0000:01:00.0 set STOP ok  (q_result)"), noFailures.report)
    }

    /// On the destination, a failed SET to RUNNING followed by a reset (the device lost its migrated state) leaves
    /// no SET line in 8.0's trace; the VM-state line still says RUNNING. Replay tells it from a good run.
    @Test func lostDeviceShowsInTheTrace() throws {
        let lost = "vfio_migration_set_state  (0000:01:00.0) state RESUMING\n"
            + "vfio_vmstate_change  (0000:01:00.0) running 1 reason running device state RUNNING\n"
        let result = try replayFromEntries(lost, model: "v2-qemu80.vmc")
        #expect(result.conforms, result.report)
        #expect(ReplayTextRenderer.render(result, logName: "test.log").contains("prog = false"), result.report)
        let good = try replayFromEntries(try exampleLog("qemu80-one-device-destination.trace"), model: "v2-qemu80.vmc")
        #expect(ReplayTextRenderer.render(good, logName: "test.log").contains("prog = true"), good.report)
    }

    /// QEMU 8.0 took one migratable device (disputes.md D8): a two-device log is an error against this model.
    @Test func aTwoDeviceLogIsAnError() throws {
        #expect(throws: ReviewError.self) {
            _ = try replayFromEntries(try exampleLog("qemu80-source.log"), model: "v2-qemu80.vmc")
        }
    }
}
