import ModelLanguage

/// One `emits` clause of a ground action, compiled: programs that read the state the action leaves.
public struct GroundEmission: Sendable {
    /// The kind.
    public let kind: EventKind
    /// The device.
    public let device: Int32
    /// The requested state (`set` only).
    public let requested: Int32?
    /// The recover state (`set` with four arguments only).
    public let recover: Int32?
    /// The state afterwards (`set`, `reset`) or the state shown (`state`).
    public let state: Int32
    /// The condition, if the clause has one.
    public let condition: Int32?
}

/// An event a fired ground action emitted: its kind and its arguments' values (of the model's event signature).
public struct EmittedEvent: Sendable, Hashable {
    /// The kind.
    public let kind: EventKind
    /// The device's value.
    public let device: Int64
    /// The requested state (`set` only).
    public let requested: Int64?
    /// The recover state, when the clause gives one.
    public let recover: Int64?
    /// The state afterwards, or the state shown.
    public let state: Int64

    /// Creates an event.
    public init(kind: EventKind, device: Int64, requested: Int64?, recover: Int64?, state: Int64) {
        self.kind = kind
        self.device = device
        self.requested = requested
        self.recover = recover
        self.state = state
    }
}

/// A declared entry point, compiled.
public struct EntrySpec: Sendable {
    /// Its name.
    public let name: String
    /// The lowered predicate.
    public let predicate: LoweredExpression
    /// Address of the compiled predicate.
    public let program: Int32
}

extension ValueType {
    /// How a value of this type is shown: `RUNNING`, `3`, `Dev#1`, `true`.
    public func format(_ value: Int64) -> String {
        switch self {
        case .bool: return value != 0 ? "true" : "false"
        case .int, .error: return String(value)
        case .enumeration(let type): return FiniteType.enumeration(type).format(value)
        case .scalarset(let type): return FiniteType.scalarset(type).format(value)
        }
    }

    /// Every value of an enum or scalarset type, in order; nil for the unbounded types.
    public var finiteValues: [Int64]? {
        switch self {
        case .bool: return [0, 1]
        case .enumeration(let type): return Array(FiniteType.enumeration(type).values)
        case .scalarset(let type): return Array(FiniteType.scalarset(type).values)
        case .int, .error: return nil
        }
    }
}

extension TransitionRelation {
    /// The events ground action `action` emits when it fires and leaves `state`, in the order of its `emits` clauses:
    /// each clause whose condition holds there, with its arguments' values there. A clause whose evaluation fails (an
    /// index out of range) emits nothing.
    public func events(of action: Int, after state: [UInt64]) -> [EmittedEvent] {
        let emissions = system.actions[action].emissions
        guard !emissions.isEmpty else { return [] }
        var result: [EmittedEvent] = []
        for emission in emissions {
            if let condition = emission.condition {
                guard case .success(let value) = evaluate(condition, in: state), value != 0 else { continue }
            }
            guard case .success(let device) = evaluate(emission.device, in: state),
                  case .success(let value) = evaluate(emission.state, in: state) else { continue }
            var requested: Int64?
            var recover: Int64?
            if let program = emission.requested {
                guard case .success(let read) = evaluate(program, in: state) else { continue }
                requested = read
            }
            if let program = emission.recover {
                guard case .success(let read) = evaluate(program, in: state) else { continue }
                recover = read
            }
            result.append(EmittedEvent(kind: emission.kind, device: device, requested: requested, recover: recover, state: value))
        }
        return result
    }
}
