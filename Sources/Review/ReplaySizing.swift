import Analysis
import ModelLanguage
import PackedSystem

/// Finding the constant that sizes a model to a log: a model written for three devices replays a two-device log
/// with its third device idle, which is rarely what the reviewer meant.
public enum ReplaySizing {
    /// A `--const NAME=COUNT` that makes the model have exactly `devices` devices, or nil. Tries each integer
    /// constant whose value is the model's current device count (the likely size), not already overridden. A trial
    /// that `budget` stops, like one that does not load, suggests nothing.
    public static func suggest(_ input: ModelInput, system: TransitionSystem, overrides: [ConstantOverride], devices: Int,
                               budget: BuildBudget = BuildBudget()) -> String? {
        let current = DeviceProjection.detect(system).devices.count
        let given = Set(overrides.map(\.name))
        for constant in system.model.constants where constant.type == .int && constant.value == Int64(current) && !given.contains(constant.name) {
            let trial = overrides + [ConstantOverride(name: constant.name, value: String(devices))]
            guard let sized = try? ModelLoader.load(input, overrides: trial, budget: budget) else { continue }
            if DeviceProjection.detect(sized).devices.count == devices { return "--const \(constant.name)=\(devices)" }
        }
        return nil
    }
}
