import ModelLanguage
import PackedSystem

/// Which parts of a model are "devices" and their "state variables", found by a documented heuristic
/// (docs/reports.md, "The projection heuristic"):
///
/// 1. The device type is the first declared type whose name starts with `dev` (any case: `Dev`, `Device`) and
///    that indexes a one-dimensional array variable or types an action parameter; failing that, the first
///    scalarset that does. Its values are the devices, one lifeline each.
/// 2. Device state variables are the one-dimensional arrays indexed by the device type, with a non-boolean
///    element type, whose name looks like a state: `st`, `ds`, ending in `_st`, or containing `state`. When
///    no name matches, the arrays whose element type is an enum named like a state (`St`, `State`, ...) are
///    taken instead.
/// 3. Without a device type, a scalar (non-boolean) variable whose name looks like a state makes the model a
///    single-device model: one lifeline named `device`, and that variable is its state.
public struct DeviceProjection: Sendable {
    /// A device: a lifeline of the sequence diagram.
    public struct Device: Sendable, Hashable {
        /// The lifeline's name: `Dev 0`, `Dev#1`, or `device` for a single-device model.
        public let name: String
        /// The device's value of the device type (nil for the single device of a model without a device type).
        public let value: Int64?
    }

    /// A device state variable and, per device, the field that holds that device's state.
    public struct StateVariable: Sendable {
        /// The variable's name.
        public let name: String
        /// Index of the variable in `StateLayout.variables`.
        public let variable: Int
        /// Per device (parallel to `devices`), the index of its cell in `StateLayout.fields` (and in trace values).
        public let fields: [Int]
        /// The type of the state values.
        public let valueType: FiniteType
    }

    /// The name of the device type, when the model has one.
    public let deviceTypeName: String?
    /// The device type, when the model has one.
    public let deviceType: FiniteType?
    /// The devices, in the type's order.
    public let devices: [Device]
    /// The device state variables (usually one).
    public let stateVariables: [StateVariable]
    /// Per action name, the positions of its parameters whose type is the device type.
    public let deviceParameters: [String: [Int]]
    /// One-dimensional arrays over the device type whose element type can hold a device value (such as
    /// `fl: [Dev] 0..N`, "the peer a transaction targets"): layout variable index, per device field indices.
    public let pointerVariables: [(variable: Int, fields: [Int])]

    /// Whether the model has any device.
    public var hasDevices: Bool { !devices.isEmpty }

    /// A projection with no devices.
    public static let none = DeviceProjection(deviceTypeName: nil, deviceType: nil, devices: [], stateVariables: [],
                                              deviceParameters: [:], pointerVariables: [])

    /// Whether a variable name looks like a device state.
    public static func isStateLikeName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "st" || lower == "ds" || lower.hasSuffix("_st") || lower.contains("state")
    }

    /// Whether a type name looks like a device type.
    public static func isDeviceLikeTypeName(_ name: String) -> Bool {
        name.lowercased().hasPrefix("dev")
    }

    /// Whether an enum type name looks like a state type.
    static func isStateLikeTypeName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "st" || lower.contains("state")
    }

    /// Applies the heuristic to a system. The model's source is parsed again to recover the names types were
    /// written with (a range type such as `type Dev = 0..N-1` keeps no name once checked).
    public static func detect(_ system: TransitionSystem) -> DeviceProjection {
        let model = system.model
        let layout = system.layout
        var writtenIndexType: [String: String] = [:]
        var writtenParameterTypes: [String: [String?]] = [:]
        var typeOrder: [String] = []
        if case .success(let syntax) = Frontend.parse(model.source) {
            for declaration in syntax.declarations {
                switch declaration {
                case .type(let name, _, _):
                    typeOrder.append(name.name)
                case .variable(let name, let type, _, _):
                    if case .array(let indices, _, _) = type, indices.count == 1, case .named(let index) = indices[0] {
                        writtenIndexType[name.name] = index.name
                    }
                case .action(let name, _, let parameters, _, _, _, _):
                    writtenParameterTypes[name.name] = parameters.map { binding in
                        if case .named(let type) = binding.type { return type.name }
                        return nil
                    }
                default:
                    break
                }
            }
        }
        let oneDimensional = layout.variables.indices.filter { layout.variables[$0].info.indexTypes.count == 1 }

        // 1. The device type.
        var deviceTypeName: String?
        var deviceType: FiniteType?
        for typeName in typeOrder where isDeviceLikeTypeName(typeName) {
            if let variable = oneDimensional.first(where: { writtenIndexType[layout.variables[$0].info.name] == typeName }) {
                deviceTypeName = typeName
                deviceType = layout.variables[variable].info.indexTypes[0]
                break
            }
            if let match = model.actions.lazy.compactMap({ action -> FiniteType? in
                let written = writtenParameterTypes[action.name] ?? []
                guard let position = written.firstIndex(of: typeName), position < action.parameters.count else { return nil }
                return action.parameters[position].type
            }).first {
                deviceTypeName = typeName
                deviceType = match
                break
            }
        }
        if deviceType == nil {
            for variable in oneDimensional {
                if case .scalarset(let scalarset) = layout.variables[variable].info.indexTypes[0] {
                    deviceTypeName = scalarset.name
                    deviceType = .scalarset(scalarset)
                    break
                }
            }
        }

        guard let deviceType, let deviceTypeName else {
            return singleDevice(system)
        }

        func indexedByDevice(_ variable: Int) -> Bool {
            let info = layout.variables[variable].info
            guard info.indexTypes.count == 1, info.indexTypes[0] == deviceType else { return false }
            if case .scalarset = deviceType { return true }
            // A range or enum index: the written name must be the device type's (another type may share its values).
            return writtenIndexType[info.name] == deviceTypeName || writtenIndexType.isEmpty
        }

        let devices = Array(deviceType.values).map { value -> Device in
            switch deviceType {
            case .scalarset: return Device(name: deviceType.format(value), value: value)
            case .enumeration: return Device(name: deviceType.format(value), value: value)
            default: return Device(name: "\(deviceTypeName) \(deviceType.format(value))", value: value)
            }
        }
        let arrays = oneDimensional.filter(indexedByDevice)
        func fields(_ variable: Int) -> [Int] {
            let first = layout.variables[variable].firstField
            return devices.indices.map { first + $0 }
        }
        var stateArrays = arrays.filter { variable in
            let info = layout.variables[variable].info
            return info.elementType != .bool && isStateLikeName(info.name)
        }
        if stateArrays.isEmpty {
            stateArrays = arrays.filter { variable in
                if case .enumeration(let e) = layout.variables[variable].info.elementType { return isStateLikeTypeName(e.name) }
                return false
            }
        }
        let stateVariables = stateArrays.map { variable in
            StateVariable(name: layout.variables[variable].info.name, variable: variable, fields: fields(variable),
                          valueType: layout.variables[variable].info.elementType)
        }
        let pointerVariables = arrays.filter { variable in
            !stateArrays.contains(variable) && canHoldDevice(layout.variables[variable].info.elementType, deviceType)
        }.map { (variable: $0, fields: fields($0)) }

        var deviceParameters: [String: [Int]] = [:]
        for action in model.actions {
            let written = writtenParameterTypes[action.name] ?? []
            let positions = action.parameters.indices.filter { position in
                guard action.parameters[position].type == deviceType else { return false }
                if case .scalarset = deviceType { return true }
                return position < written.count ? written[position] == deviceTypeName : written.isEmpty
            }
            if !positions.isEmpty { deviceParameters[action.name] = positions }
        }
        return DeviceProjection(deviceTypeName: deviceTypeName, deviceType: deviceType, devices: devices,
                                stateVariables: stateVariables, deviceParameters: deviceParameters,
                                pointerVariables: pointerVariables)
    }

    /// Whether cells of type `element` can name a device (the same type, or a range covering the device range).
    private static func canHoldDevice(_ element: FiniteType, _ deviceType: FiniteType) -> Bool {
        if element == deviceType { return true }
        if case .range(let low, let high) = element, case .range(let deviceLow, let deviceHigh) = deviceType {
            return low <= deviceLow && high >= deviceHigh
        }
        return false
    }

    /// Rule 3: a model without a device type but with a scalar state-like variable.
    private static func singleDevice(_ system: TransitionSystem) -> DeviceProjection {
        let layout = system.layout
        let scalars = layout.variables.indices.filter { variable in
            let info = layout.variables[variable].info
            return info.indexTypes.isEmpty && info.elementType != .bool && isStateLikeName(info.name)
        }
        func rank(_ variable: Int) -> Int {
            let lower = layout.variables[variable].info.name.lowercased()
            return ["state", "st", "ds"].contains(lower) ? 0 : 1
        }
        guard let chosen = scalars.min(by: { (rank($0), $0) < (rank($1), $1) }) else { return .none }
        let info = layout.variables[chosen].info
        return DeviceProjection(
            deviceTypeName: nil, deviceType: nil, devices: [Device(name: "device", value: nil)],
            stateVariables: [StateVariable(name: info.name, variable: chosen, fields: [layout.variables[chosen].firstField],
                                           valueType: info.elementType)],
            deviceParameters: [:], pointerVariables: [])
    }

    /// The device index of a device value, if it is one.
    public func deviceIndex(ofValue value: Int64) -> Int? {
        devices.firstIndex { $0.value == value }
    }

    /// A one-line description of what was detected, for the report.
    public var summary: String {
        guard hasDevices else {
            return "No device found: no type named like a device (Dev...) or scalarset indexes an array, and no scalar "
                + "variable is named like a state."
        }
        var text: String
        if let deviceTypeName {
            text = "Devices: the values of type \(deviceTypeName) (\(devices.map(\.name).joined(separator: ", ")))."
        } else {
            text = "A single device (no device type)."
        }
        if stateVariables.isEmpty {
            text += " No device state variable found."
        } else {
            text += " Device state: " + stateVariables.map(\.name).joined(separator: ", ") + "."
        }
        return text
    }
}
