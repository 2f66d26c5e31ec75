import Foundation
import ModelLanguage
import PackedSystem

/// A log replayed against every combination of a model's variants: which readings of the protocol allow what a
/// real system did. Each combination is replayed as `Replayer` replays one model.
public struct MatrixReplay: Sendable {
    /// One combination and its replay.
    public struct Run: Sendable {
        /// The combination.
        public let assignment: VariantAssignment
        /// The replay under it.
        public let result: ReplayResult
    }

    /// The runs, in combination order.
    public let runs: [Run]

    /// Replays `log` against each combination from its start points (`ReplayDriver.startPoints`: the initial states
    /// and the declared entry points), as `ReplayDriver` replays one model.
    public init(combinations: [(assignment: VariantAssignment, system: TransitionSystem)], log: EventLog, logName: String,
                options: ReplayOptions = ReplayOptions()) throws {
        runs = try combinations.map { combination in
            let result = try ReplayDriver.replay(log, logName: logName, system: combination.system,
                                                 starts: ReplayDriver.startPoints(of: combination.system), options: options)
            return Run(assignment: combination.assignment, result: result)
        }
    }

    /// Replays `log` against each combination from the given start states (`--start`: `ReplayStart.loadCombinations`).
    /// A combination in which no state satisfies the start expression rejects the log at its first event.
    public init(started combinations: [(assignment: VariantAssignment, system: TransitionSystem, start: [[UInt64]])],
                startName: String, log: EventLog, logName: String, options: ReplayOptions = ReplayOptions()) throws {
        runs = try combinations.map { combination in
            let point = ReplayStartPoint(name: startName, states: combination.start)
            let result = try ReplayDriver.replay(log, logName: logName, system: combination.system, starts: [point], options: options)
            return Run(assignment: combination.assignment, result: result)
        }
    }

    /// The combinations that allow the whole log.
    public var accepting: [VariantAssignment] { runs.filter(\.result.conforms).map(\.assignment) }

    /// 0 when some combination allows the log, 1 when none does.
    public var exitCode: Int32 { accepting.isEmpty ? 1 : 0 }
}
