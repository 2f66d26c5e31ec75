import Foundation
import ModelLanguage
import PackedSystem
import Reports
import Review
import Testing

/// What a replay must not accept silently: an empty log, a truncated run under `--complete`, and a log for
/// fewer devices than the model has.
@Suite struct ReplayCompletenessTests {
    static let constants = ["N": "2", "FAILURES": "false"]

    @Test func aCompleteDestinationRunIsComplete() throws {
        var options = ReplayOptions()
        options.requireComplete = true
        let result = try replay(QEMUTrace.destination82(devices: 2), model: "v2-qemu-p2p.vmc", constants: Self.constants,
                                start: "ph == D_SETUP", options: options)
        #expect(result.completion == .finished, result.report)
        #expect(result.exitCode == 0)
        #expect(ReplayTextRenderer.render(result, logName: "test.log").contains("conforms to the model and is a complete run"))
    }

    @Test func aTruncatedRunIsRejectedOnlyUnderComplete() throws {
        // The destination stops after both devices reached RUNNING_P2P: the VM never ran.
        let lines = Array(QEMUTrace.destination82(devices: 2).prefix(10))
        let lenient = try replay(lines, model: "v2-qemu-p2p.vmc", constants: Self.constants, start: "ph == D_SETUP")
        #expect(lenient.conforms, lenient.report)
        var options = ReplayOptions()
        options.requireComplete = true
        let strict = try replay(lines, model: "v2-qemu-p2p.vmc", constants: Self.constants, start: "ph == D_SETUP", options: options)
        #expect(strict.completion == .unfinished)
        #expect(strict.exitCode == 1)
        #expect(ReplayTextRenderer.render(strict, logName: "test.log").contains("Result: the log is not a complete run of the model (--complete)"))
    }

    @Test func anEmptyLogIsAnError() throws {
        #expect(throws: ReviewError.self) {
            try replay(["# nothing but a comment"], model: "v2-qemu-p2p.vmc", constants: Self.constants)
        }
    }

    @Test func aLogForFewerDevicesWarnsAndOffersTheSizingConstant() throws {
        let result = try replay(QEMUTrace.source82(devices: 2, preCopy: true), model: "v2-qemu-p2p.vmc", constants: ["FAILURES": "false"])
        #expect(result.unloggedDevices == ["Dev 2"])
        let system = try ModelLoader.load(.file(modelPath("v2-qemu-p2p.vmc")), overrides: [ConstantOverride(name: "FAILURES", value: "false")])
        let sizing = ReplaySizing.suggest(.file(modelPath("v2-qemu-p2p.vmc")), system: system,
                                          overrides: [ConstantOverride(name: "FAILURES", value: "false")], devices: 2)
        #expect(sizing == "--const N=2")
        var sized = result
        sized.sizing = sizing
        #expect(ReplayTextRenderer.render(sized, logName: "test.log").contains("warning: the log names 2 devices and the model has 3; Dev 2 never appears in the log (--const N=2 sizes the model to the log)"))
        let exact = try replay(QEMUTrace.source82(devices: 2, preCopy: true), model: "v2-qemu-p2p.vmc", constants: Self.constants)
        #expect(exact.unloggedDevices.isEmpty)
    }
}
