import Foundation
import ModelLanguage
import PackedSystem
import Reports
import Review
import Testing

/// QEMU trace lines for the flows of the brief's section 3 (log backend format).
enum QEMUTrace {
    static func name(_ device: Int) -> String { "0000:0\(device + 1):00.0" }

    /// `set_state(new, recover)` and the cached state it leaves (the new state unless `result` says otherwise).
    static func set(_ device: Int, _ new: String, recover: String, result: String? = nil) -> [String] {
        ["vfio_migration_set_state  (\(name(device))) new state \(new), recover state \(recover)",
         "vfio_migration_set_device_state  (\(name(device))) state \(result ?? new)"]
    }

    static func vmstate(_ device: Int, running: Bool, reason: String, state: String, prepare: Bool = false) -> String {
        "vfio_vmstate_change\(prepare ? "_prepare" : "")  (\(name(device))) running \(running ? 1 : 0) reason \(reason) device state \(state)"
    }

    /// QEMU 8.2's source: pre-copy setup, the P2P step at VM stop, stop, complete, cleanup.
    static func source82(devices: Int, preCopy: Bool) -> [String] {
        let all = 0..<devices
        var lines = ["qemu-system-x86_64: info: migration starting"]
        if preCopy { for d in all { lines += set(d, "PRE_COPY", recover: "RUNNING") } }
        for d in all {
            let p2p = preCopy ? "PRE_COPY_P2P" : "RUNNING_P2P"
            lines += set(d, p2p, recover: "ERROR") + [vmstate(d, running: false, reason: "finish-migrate", state: p2p, prepare: true)]
        }
        for d in all {
            let stopped = preCopy ? "STOP_COPY" : "STOP"
            lines += set(d, stopped, recover: "ERROR") + [vmstate(d, running: false, reason: "finish-migrate", state: stopped)]
        }
        for d in all { lines += set(d, "STOP_COPY", recover: "STOP") }
        for d in all { lines += set(d, "STOP", recover: "ERROR") }
        return lines
    }

    /// QEMU 8.2's destination: RESUMING at load setup, the P2P step at VM start, then RUNNING.
    static func destination82(devices: Int) -> [String] {
        let all = 0..<devices
        var lines: [String] = []
        for d in all { lines += set(d, "RESUMING", recover: "RUNNING") }
        for d in all {
            lines += set(d, "RUNNING_P2P", recover: "ERROR") + [vmstate(d, running: true, reason: "running", state: "RUNNING_P2P", prepare: true)]
        }
        for d in all { lines += set(d, "RUNNING", recover: "ERROR") + [vmstate(d, running: true, reason: "running", state: "RUNNING")] }
        return lines
    }

    /// QEMU 8.0's source (no P2P step, no pre-copy), in the older trace format (traced only after a successful SET).
    static func source80(devices: Int) -> [String] {
        let all = 0..<devices
        var lines: [String] = []
        for d in all {
            lines += ["vfio_migration_set_state  (\(name(d))) state STOP",
                      vmstate(d, running: false, reason: "finish-migrate", state: "STOP")]
        }
        // The complete step, device by device: STOP_COPY, the data read, then STOP (8.0's vfio_save_complete_precopy).
        for d in all {
            lines += ["vfio_migration_set_state  (\(name(d))) state STOP_COPY", "vfio_migration_set_state  (\(name(d))) state STOP"]
        }
        return lines
    }

    /// QEMU 8.0's destination.
    static func destination80(devices: Int) -> [String] {
        let all = 0..<devices
        var lines: [String] = []
        for d in all { lines.append("vfio_migration_set_state  (\(name(d))) state RESUMING") }
        for d in all {
            lines += ["vfio_migration_set_state  (\(name(d))) state RUNNING", vmstate(d, running: true, reason: "running", state: "RUNNING")]
        }
        return lines
    }
}

/// Replays trace lines against a model in Models/. v2-qemu-p2p.vmc cannot be loaded with N=1 as it is (its goal
/// CompletedWithMixedPreCopy reads pre[1]); for one device that goal is dropped from a copy.
func replay(_ lines: [String], model: String, constants: [String: String] = [:], start: String? = nil,
            options: ReplayOptions = ReplayOptions()) throws -> ReplayResult {
    let log = try EventLog.parse(lines.joined(separator: "\n") + "\n", name: "test.log")
    var input = ModelInput.file(modelPath(model))
    if model == "v2-qemu-p2p.vmc" && constants["N"] == "1" {
        var text = try modelText(model)
        text = patched(text, "reachable CompletedWithMixedPreCopy: ph == D_DONE && !failed && pre[0] && !pre[1]\n", "")
        text = patched(text, "expect CompletedWithMixedPreCopy reachable\n", "")
        input = .text(name: "v2-qemu-p2p.vmc (one device)", text: text)
    }
    let loaded = try ReplayStart.load(input, overrides: constants.sorted { $0.key < $1.key }.map {
        ConstantOverride(name: $0.key, value: $0.value)
    }, predicate: start)
    return try Replayer(system: loaded.system, startStates: loaded.start, options: options).replay(log, logName: "test.log")
}

extension ReplayResult {
    /// The report, for failure messages (printing the result itself would print the whole system).
    var report: Comment { Comment(rawValue: ReplayTextRenderer.render(self, logName: "test.log")) }
}

@Suite struct ReplayFlowTests {
    @Test(arguments: [1, 2, 3])
    func qemu82SourceWithPreCopyConforms(devices: Int) throws {
        let result = try replay(QEMUTrace.source82(devices: devices, preCopy: true), model: "v2-qemu-p2p.vmc",
                                constants: ["N": String(devices), "FAILURES": "false"])
        let resultConforms = result.conforms
        #expect(resultConforms, result.report)
        #expect(result.steps.count == devices * 7)
        #expect(result.steps.last?.deviceValues == ["STOP"])
        let text = ReplayTextRenderer.render(result, logName: "test.log")
        #expect(text.contains("Result: the log conforms to the model"))
        #expect(text.contains("ph = S_CLEANUP"))
    }

    @Test func qemu82SourceWithoutPreCopyConformsWithFailuresPossible() throws {
        let result = try replay(QEMUTrace.source82(devices: 2, preCopy: false), model: "v2-qemu-p2p.vmc", constants: ["N": "2"])
        let resultConforms = result.conforms
        #expect(resultConforms, result.report)
        // Only states where no device has PRE_COPY remain.
        #expect(ReplayTextRenderer.render(result, logName: "test.log").contains("pre[0] = false, pre[1] = false"))
    }

    @Test(arguments: [1, 2])
    func qemu82DestinationConforms(devices: Int) throws {
        let result = try replay(QEMUTrace.destination82(devices: devices), model: "v2-qemu-p2p.vmc",
                                constants: ["N": String(devices), "FAILURES": "false"], start: "ph == D_SETUP")
        let resultConforms = result.conforms
        #expect(resultConforms, result.report)
        #expect(result.steps.last?.deviceValues == ["RUNNING"])
    }

    @Test(arguments: [1, 2])
    func qemu80FlowsConformToTheQemu80Model(devices: Int) throws {
        let constants = ["N": String(devices), "FAILURES": "false"]
        let source = try replay(QEMUTrace.source80(devices: devices), model: "v2-hypothetical-no-p2p-step.vmc", constants: constants)
        let sourceConforms = source.conforms
        #expect(sourceConforms, source.report)
        let destination = try replay(QEMUTrace.destination80(devices: devices), model: "v2-hypothetical-no-p2p-step.vmc",
                                     constants: constants, start: "ph == D_SETUP")
        let destinationConforms = destination.conforms
        #expect(destinationConforms, destination.report)
    }

    @Test func qemu80SourceIsRejectedByTheQemu82Model() throws {
        // Several devices stopped one by one without the P2P step: the 8.2 model moves every device to RUNNING_P2P first.
        let result = try replay(QEMUTrace.source80(devices: 2), model: "v2-qemu-p2p.vmc", constants: ["N": "2", "FAILURES": "false"])
        let rejection = try #require(result.rejection)
        #expect(rejection.eventIndex == 0)
        #expect(rejection.event.line == 1)
        #expect(rejection.device == "Dev 0")
        #expect(rejection.hint == ["Dev 1: RUNNING -> RUNNING_P2P (k_step)"])
        #expect(rejection.moves.contains("Dev 0: RUNNING -> RUNNING_P2P (k_step)"))
        #expect(result.exitCode == 1)
        let text = ReplayTextRenderer.render(result, logName: "test.log")
        #expect(text.contains("The model cannot take line 1 (0000:01:00.0 set STOP ok) as Dev 0."))
        #expect(text.contains("The model lets Dev 0 reach STOP only after other devices move:"))
        #expect(text.contains("Result: the log does not conform to the model (first rejected event: line 1)"))
    }

    @Test func qemu82DestinationIsRejectedByTheQemu80Model() throws {
        let lines = QEMUTrace.destination82(devices: 2)
        let result = try replay(lines, model: "v2-hypothetical-no-p2p-step.vmc", constants: ["N": "2", "FAILURES": "false"], start: "ph == D_SETUP")
        let rejection = try #require(result.rejection)
        // Device 0's RUNNING_P2P is an arc of QEMU 8.0's SET RUNNING; device 1 cannot follow before device 0 is RUNNING.
        #expect(rejection.event.device == QEMUTrace.name(1))
        #expect(rejection.event.stateAfter == "RUNNING_P2P")
        #expect(rejection.deviceStates.map(\.values) == [["RUNNING_P2P"], ["RESUMING"]])
        #expect(rejection.hint == ["Dev 0: RUNNING_P2P -> RUNNING (k_step)"])
    }

    @Test func aForbiddenArcIsRejectedWithTheModelsMoves() throws {
        let lines = QEMUTrace.source82(devices: 1, preCopy: true).prefix(9) + QEMUTrace.set(0, "PRE_COPY", recover: "STOP")
        let result = try replay(Array(lines), model: "v2-qemu-p2p.vmc", constants: ["N": "1", "FAILURES": "false"])
        let rejection = try #require(result.rejection)
        #expect(rejection.event.stateAfter == "PRE_COPY")
        #expect(result.steps.last?.deviceValues == ["STOP_COPY"])
        #expect(rejection.moves == ["Dev 0: STOP_COPY -> STOP (k_step)"])
    }

    @Test func aFailedSetWithRecoveryNeedsAModelWithFailures() throws {
        // QEMU 8.2's source, two devices without pre-copy: the P2P step fails on device 0, which ends in ERROR and is
        // reset (the cache says RUNNING); QEMU goes on, stops both devices, then restarts the VM (the P2P step and
        // RUNNING) and the notifier sets RUNNING.
        var lines = QEMUTrace.set(0, "RUNNING_P2P", recover: "ERROR", result: "RUNNING") + QEMUTrace.set(1, "RUNNING_P2P", recover: "ERROR")
        lines += QEMUTrace.set(0, "STOP", recover: "ERROR") + QEMUTrace.set(1, "STOP", recover: "ERROR")
        for state in ["RUNNING_P2P", "RUNNING", "RUNNING"] {
            lines += QEMUTrace.set(0, state, recover: "ERROR") + QEMUTrace.set(1, state, recover: "ERROR")
        }
        let withFailures = try replay(lines, model: "v2-qemu-p2p.vmc", constants: ["N": "2"])
        let conforms = withFailures.conforms
        #expect(conforms, withFailures.report)
        #expect(withFailures.log.events.first?.description == "0000:01:00.0 set RUNNING_P2P fail RUNNING recover ERROR")
        let text = ReplayTextRenderer.render(withFailures, logName: "test.log")
        #expect(text.contains("failed = true"))
        #expect(text.contains("prog[0] = false"))
        // Without failures the device cannot have been reset: the model needs device 0 in RUNNING_P2P before device 1.
        let withoutFailures = try replay(lines, model: "v2-qemu-p2p.vmc", constants: ["N": "2", "FAILURES": "false"])
        #expect(withoutFailures.rejection?.eventIndex == 1)
        #expect(withoutFailures.rejection?.hint == ["Dev 0: RUNNING -> RUNNING_P2P (k_step)"])
    }

    @Test func nativeLogsWithExplicitMapping() throws {
        let log = """
            # QEMU 8.2 destination, two devices; QEMU handles nic first
            nic set RESUMING ok
            gpu set RESUMING ok      # the second device
            nic set RUNNING_P2P ok
            gpu set RUNNING_P2P ok
            nic set RUNNING ok
            gpu set RUNNING ok
            """
        var options = ReplayOptions()
        options.mapping = ["gpu": "1"]
        let parsed = try EventLog.parse(log, name: "native.log")
        #expect(parsed.format == .native)
        #expect(parsed.skippedLines == 1)
        #expect(parsed.deviceNames == ["nic", "gpu"])
        let loaded = try ReplayStart.load(.file(modelPath("v2-qemu-p2p.vmc")),
                                          overrides: [ConstantOverride(name: "N", value: "2"), ConstantOverride(name: "FAILURES", value: "false")],
                                          predicate: "ph == D_SETUP")
        let result = try Replayer(system: loaded.system, startStates: loaded.start, options: options).replay(parsed)
        let conforms = result.conforms
        #expect(conforms, result.report)
        #expect(result.mapping.map { "\($0.name)=\($0.device)" } == ["nic=Dev 0", "gpu=Dev 1"])
        // With gpu as Dev 0 (and so nic as Dev 1) the first event is rejected: QEMU handles Dev 0 first.
        options.mapping = ["gpu": "Dev 0"]
        let swapped = try Replayer(system: loaded.system, startStates: loaded.start, options: options).replay(parsed)
        #expect(swapped.mapping.map { "\($0.name)=\($0.device)" } == ["nic=Dev 1", "gpu=Dev 0"])
        #expect(swapped.rejection?.eventIndex == 0)
    }
}

@Suite struct EventLogTests {
    @Test func nativeLinesAndTheirEvents() throws {
        let log = try EventLog.parse("""
            d0 set STOP ok
            d0 set STOP_COPY fail ERROR recover STOP
            d0 set PRE_COPY fail
            d0 set RUNNING unknown
            d0 state RUNNING
            d0 reset
            d1 reset STOP
            """, name: "x.log")
        #expect(log.format == .native)
        #expect(log.deviceNames == ["d0", "d1"])
        #expect(log.events.map(\.description) == [
            "d0 set STOP ok", "d0 set STOP_COPY fail ERROR recover STOP", "d0 set PRE_COPY fail", "d0 set RUNNING unknown",
            "d0 state RUNNING", "d0 reset", "d1 reset STOP",
        ])
        #expect(log.events[1].stateAfter == "ERROR" && log.events[2].stateAfter == nil && log.events[0].stateAfter == "STOP")
        #expect(log.events.map(\.line) == [1, 2, 3, 4, 5, 6, 7])
    }

    @Test(arguments: [
        ("d0 set STOP", "x.log:2: error: 'set' needs the requested state and the result"),
        ("d0 set STOP maybe", "x.log:2: error: the result of a SET is ok, fail or unknown, not 'maybe'"),
        ("d0 set STOP ok RUNNING", "x.log:2: error: a successful SET leaves the device in the requested state STOP, not RUNNING"),
        ("d0 jump STOP", "x.log:2: error: unknown verb 'jump'"),
        ("d0", "x.log:2: error: an event needs a device and a verb"),
        ("d0 state", "x.log:2: error: 'state' needs exactly one state"),
    ])
    func malformedNativeLinesNameTheirLine(line: String, message: String) throws {
        do {
            _ = try EventLog.parse("d0 set RUNNING ok\n\(line)\n", name: "x.log", format: .native)
            Issue.record("accepted: \(line)")
        } catch let error as ReviewError {
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }

    @Test func qemuLinesArePairedPerDevice() throws {
        let log = try EventLog.parse("""
            12345@1700000000.000001:vfio_migration_set_state  (0000:01:00.0) new state STOP_COPY, recover state STOP
            12345@1700000000.000002:vfio_migration_set_state  (0000:02:00.0) new state STOP, recover state ERROR
            qemu-system-x86_64: vfio: some unrelated message
            vfio_save_setup  (0000:01:00.0) data buffer size 1048576
            12345@1700000000.000003:vfio_migration_set_device_state  (0000:02:00.0) state RUNNING
            12345@1700000000.000004:vfio_migration_set_device_state  (0000:01:00.0) state STOP_COPY
            vfio_vmstate_change  (0000:01:00.0) running 0 reason finish-migrate device state STOP_COPY
            vfio_migration_set_state  (0000:01:00.0) new state STOP, recover state ERROR
            """, name: "q.log")
        #expect(log.format == .qemu)
        #expect(log.skippedLines == 2)
        #expect(log.events.map(\.description) == [
            "0000:02:00.0 set STOP fail RUNNING recover ERROR",
            "0000:01:00.0 set STOP_COPY ok recover STOP",
            "0000:01:00.0 state STOP_COPY",
            "0000:01:00.0 set STOP unknown recover ERROR",
        ])
        #expect(log.events.map(\.line) == [5, 6, 7, 8])
    }

    @Test func malformedQemuLinesAreErrorsWithTheirLine() throws {
        do {
            _ = try EventLog.parse("vfio_migration_set_state  (0000:01:00.0) new state STOP\n", name: "q.log")
            Issue.record("accepted a malformed line")
        } catch let error as ReviewError {
            #expect(error.message.hasPrefix("q.log:1: error: unexpected fields after the device name"))
            #expect(error.message.contains("expected: vfio_migration_set_state (NAME) new state S, recover state R"))
        }
        do {
            _ = try EventLog.parse("ok line\nvfio_vmstate_change  no device here\n", name: "q.log")
            Issue.record("accepted a malformed line")
        } catch let error as ReviewError {
            #expect(error.message.hasPrefix("q.log:2: error: the device name in parentheses is missing"))
        }
    }

    @Test func unknownStatesAndTooManyDevicesAreErrors() throws {
        let system = try modelSystem("v2-hypothetical-no-p2p-step.vmc", overrides: ["N": "1"])
        let replayer = try Replayer(system: system)
        #expect(replayer.value(of: "VFIO_DEVICE_STATE_STOP_COPY") == replayer.value(of: "STOP_COPY"))
        do {
            _ = try replayer.replay(try EventLog.parse("d0 set STOPPED ok\n", name: "x.log"), logName: "x.log")
            Issue.record("accepted an unknown state")
        } catch let error as ReviewError {
            #expect(error.message.hasPrefix("x.log:1: error: 'STOPPED' is not a state of st (its states: STOP, RUNNING,"))
        }
        do {
            _ = try replayer.replay(try EventLog.parse("d0 state RUNNING\nd1 state RUNNING\n", name: "x.log"))
            Issue.record("accepted two devices for a one-device model")
        } catch let error as ReviewError {
            #expect(error.message.contains("the log names 2 devices (d0, d1) but the model has 1 (Dev 0)"))
            #expect(error.message.contains("--const N=2"))
        }
        var options = ReplayOptions()
        options.mapping = ["d0": "Dev 7"]
        do {
            _ = try Replayer(system: system, options: options).replay(try EventLog.parse("d0 state RUNNING\n", name: "x.log"))
            Issue.record("accepted a mapping to a missing device")
        } catch let error as ReviewError {
            #expect(error.message.contains("the model has no device 'Dev 7'"))
        }
    }

    @Test func startPredicatesAreCheckedAsModelExpressions() throws {
        do {
            _ = try ReplayStart.load(.file(modelPath("v2-hypothetical-no-p2p-step.vmc")), overrides: [], predicate: "ph == NO_SUCH_PHASE")
            Issue.record("accepted an unknown name")
        } catch let error as ReviewError {
            #expect(error.message.hasPrefix("--start:1:7: error: unknown name 'NO_SUCH_PHASE'\nph == NO_SUCH_PHASE\n      ^"),
                    "\(error.message)")
        }
        do {
            _ = try ReplayStart.load(.file(modelPath("v2-hypothetical-no-p2p-step.vmc")), overrides: [], predicate: "ph == D_DONE && bad && !failed && !bad")
            Issue.record("accepted an unsatisfiable start")
        } catch let error as ReviewError {
            #expect(error.message.contains("no reachable state of the model satisfies it"))
        }
    }
}
