import ModelLanguage
import PackedSystem

/// One event the model followed.
public struct ReplayStep: Sendable {
    /// The event.
    public let event: ProtocolEvent
    /// The model device it was mapped to.
    public let device: String
    /// How many model states are consistent with the log up to and including this event.
    public let states: Int
    /// The device's state values in those model states (state-projection matching).
    public let deviceValues: [String]
    /// The actions that emitted the event (event matching); `(same step)` when the step before emitted it too.
    public var emittedBy: [String] = []
}

/// How a replay matched the log.
public enum ReplayMode: String, Sendable {
    /// Event by event against the events the model's actions emit (the model declares `emits`).
    case events
    /// By the device state cells (`DeviceProjection`), for a model that declares no events.
    case stateProjection = "state projection"
}

/// The first event the model cannot follow, and what the model could do instead.
public struct ReplayRejection: Sendable {
    /// The event's position in the log's events (0-based).
    public let eventIndex: Int
    /// The event.
    public let event: ProtocolEvent
    /// The model device it was mapped to.
    public let device: String
    /// How many model states were consistent with the log before the event.
    public let statesBefore: Int
    /// Per device, its state values in those model states.
    public let deviceStates: [(device: String, values: [String])]
    /// The device state changes the model can make next (after any number of steps that change no device state):
    /// `Dev 1: RUNNING -> RUNNING_P2P (k_step)`.
    public let moves: [String]
    /// Whether the search for the event stopped at the step limit with states left to explore.
    public let bounded: Bool
    /// When the device reaches the event's state only after other devices change: those changes, on a shortest path.
    public let hint: [String]?
    /// Whether the model can also stop (reach a state without successors) before the next device state change.
    public let canStop: Bool
}

/// The outcome of a replay: conformance, with the model states reached, or the first event the model cannot take.
public struct ReplayResult: Sendable {
    /// The log replayed.
    public let log: EventLog
    /// The device state variable the events were matched against.
    public let variable: String
    /// Log device name -> model device name, in order of first appearance.
    public let mapping: [(name: String, device: String)]
    /// The events the model followed.
    public let steps: [ReplayStep]
    /// The model states consistent with the whole log (when it conforms) or with the events before the rejected one.
    public let finalStates: [[UInt64]]
    /// The first event the model cannot take, if any.
    public let rejection: ReplayRejection?
    /// The system, to format states.
    public let system: TransitionSystem

    /// Whether the model allows the whole log.
    /// Whether a complete run was required, and whether the model can finish where the log ends.
    public enum Completion: Sendable {
        /// `--complete` was not given.
        case notRequired
        /// The model can finish after the last event.
        case finished
        /// The log stops in the middle of a run.
        case unfinished
    }

    /// Whether the log was required to be complete, and was.
    public var completion = Completion.notRequired
    /// The model's devices the log never names: they stay wherever the model lets them, which may be a mistake
    /// (a model sized for three devices replaying a two-device log).
    public var unloggedDevices: [String] = []
    /// A `--const` assignment that sizes the model to the log's devices, when one was found.
    public var sizing: String?
    /// How the log was matched.
    public var mode = ReplayMode.stateProjection
    /// Where the replay started (`the initial states`, `entry destination`, `--start EXPR`), when the command chose it.
    public var start: String?
    /// The other start points tried before this one, each with why it did not fit.
    public var attempts: [String] = []
    /// The log lines whose events were not checked: their kind is one the model never emits.
    public var uncheckedLines: [Int] = []
    /// The kinds of event the model emits and the log never records (so they were not required).
    public var unrecordedKinds: [String] = []

    public var conforms: Bool { rejection == nil && completion != .unfinished }

    /// 0 when the log conforms, 1 when the model rejects an event (or the run is incomplete under `--complete`).
    public var exitCode: Int32 { conforms ? 0 : 1 }
}
