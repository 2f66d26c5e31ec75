import Analysis

/// Which model device each device name of a log stands for.
public enum DeviceMapping {
    /// Maps every name of `names` (in order of first appearance) to an index into `devices`. `explicit` maps log
    /// names to a device given by its position (`0`, `1`, ...) or its name in the projection (`Dev 1`, `Dev#1`);
    /// the other names take the remaining devices in order. Errors: an explicit target that does not exist or is
    /// taken twice, a mapping for a name the log does not use, more names than devices.
    public static func resolve(names: [String], explicit: [String: String], devices: [DeviceProjection.Device]) throws -> [String: Int] {
        try resolve(names: names, explicit: explicit, deviceNames: devices.map(\.name))
    }

    /// `resolve(names:explicit:devices:)` with the model's devices given by name.
    public static func resolve(names: [String], explicit: [String: String], deviceNames: [String]) throws -> [String: Int] {
        struct Named { let name: String }
        let devices = deviceNames.map(Named.init)
        var result: [String: Int] = [:]
        var taken: Set<Int> = []
        for (name, target) in explicit.sorted(by: { $0.key < $1.key }) {
            guard names.contains(name) else {
                throw ReviewError.failure("--map \(name)=\(target): the log has no device named '\(name)' (it has: "
                                  + names.joined(separator: ", ") + ")")
            }
            let index: Int
            if let number = Int(target), number >= 0, number < devices.count {
                index = number
            } else if let named = devices.firstIndex(where: { $0.name == target }) {
                index = named
            } else {
                throw ReviewError.failure("--map \(name)=\(target): the model has no device '\(target)' (its devices: "
                                  + devices.enumerated().map { "\($0.offset) = \($0.element.name)" }.joined(separator: ", ") + ")")
            }
            guard taken.insert(index).inserted else {
                throw ReviewError.failure("--map: two log devices are mapped to \(devices[index].name)")
            }
            result[name] = index
        }
        var next = 0
        for name in names where result[name] == nil {
            while taken.contains(next) { next += 1 }
            guard next < devices.count else {
                throw ReviewError.failure("the log names \(names.count) devices (\(names.joined(separator: ", "))) but the model has "
                                  + "\(devices.count) (\(devices.map(\.name).joined(separator: ", "))); give the model more devices "
                                  + "(its device-count constant, if it has one: for example --const N=\(names.count)), replay the "
                                  + "devices' lines one device at a time, or map the names with --map NAME=INDEX")
            }
            result[name] = next
            taken.insert(next)
        }
        return result
    }
}
