import Explorer
import PackedSystem

/// A set of states a replay may start from, with the name the report gives it.
public struct ReplayStartPoint: Sendable {
    /// `the initial states`, `entry destination`, `--start 'EXPR'`.
    public let name: String
    /// The states.
    public let states: [[UInt64]]

    /// Creates a start point.
    public init(name: String, states: [[UInt64]]) {
        self.name = name
        self.states = states
    }
}

/// What `vfio-mc replay` runs for one system: the matching its model allows (event by event when it declares
/// events, else by the state projection), from each start point in turn until one accepts the log.
public enum ReplayDriver {
    /// The start points of a system: its initial states, then each declared entry point (`entry NAME: P`: the states
    /// where P becomes true, found by exploring the model; an entry no reachable state satisfies is left out).
    public static func startPoints(of system: TransitionSystem, options: ExplorerOptions = ExplorerOptions()) -> [ReplayStartPoint] {
        var points = [ReplayStartPoint(name: "the initial states", states: system.initialStates)]
        guard !system.entries.isEmpty else { return points }
        let found = ReplayStart.states(becoming: system.entries.map(\.program), in: system, options: options)
        for (entry, states) in zip(system.entries, found.states) where !states.isEmpty {
            points.append(ReplayStartPoint(name: "entry \(entry.name)", states: states))
        }
        return points
    }

    /// Replays `log` from each start point in order and returns the first result that conforms; when none does, the
    /// one that followed the most events (the first of those), with the other attempts listed. With one start point
    /// the result names it only when it is not the initial states.
    public static func replay(_ log: EventLog, logName: String, system: TransitionSystem, starts: [ReplayStartPoint],
                              options: ReplayOptions = ReplayOptions()) throws -> ReplayResult {
        var results: [(point: ReplayStartPoint, result: ReplayResult)] = []
        for point in starts {
            let result: ReplayResult
            if system.declaresEvents {
                result = try EventReplayer(system: system, startStates: point.states, options: options).replay(log, logName: logName)
            } else {
                result = try Replayer(system: system, startStates: point.states, options: options).replay(log, logName: logName)
            }
            results.append((point, result))
            if result.conforms { break }
        }
        guard var chosen = results.last else {
            throw ReviewError.failure("no start point to replay from")
        }
        if !chosen.result.conforms, let best = results.max(by: { $0.result.steps.count < $1.result.steps.count }),
           let first = results.first(where: { $0.result.steps.count == best.result.steps.count }) {
            chosen = first
        }
        var result = chosen.result
        if starts.count > 1 || chosen.point.name != "the initial states" { result.start = chosen.point.name }
        result.attempts = results.filter { $0.point.name != chosen.point.name }.map { attempt in
            let outcome: String
            if let rejection = attempt.result.rejection {
                outcome = "rejects line \(rejection.event.line) (\(rejection.event.description))"
            } else {
                outcome = "accepts the events, but the run is not complete (--complete)"
            }
            return "\(attempt.point.name): \(outcome)"
        }
        return result
    }
}
