import ModelLanguage
import PackedSystem

/// What `replay` found: the replay of a model without variants, or one replay per combination of its variants.
public enum ReplayOutcome: Sendable {
    /// A model without variants.
    case single(ReplayResult)
    /// A model with variants: each combination that remains after the pins.
    case matrix(MatrixReplay)

    /// 0 when the log conforms (to some combination), else 1.
    public var exitCode: Int32 {
        switch self {
        case .single(let result): return result.exitCode
        case .matrix(let matrix): return matrix.exitCode
        }
    }
}

/// The whole of `vfio-mc replay` below the argument parsing: read the log, load the model (every combination of
/// its variants), choose the start points (the initial states and entry points, or the `--start` predicate),
/// replay, and for a log that names fewer devices than the model has, suggest the constant that sizes it.
public enum ReplaySession {
    /// Replays the log at `logPath` (`-`: standard input) in `format` against the model file `modelPath`.
    /// Unreadable, empty or malformed input and model errors are a `ReviewError`; so is `budget` running out while
    /// the model is lowered (its `stopReason` set: exit 3, as in `check`).
    public static func replay(model modelPath: String, log logPath: String, format: EventLog.Format,
                              overrides: [ConstantOverride], pins: [VariantPin], start: String?,
                              options: ReplayOptions, budget: BuildBudget = BuildBudget()) throws -> ReplayOutcome {
        let text: String
        do {
            text = try FileReading.text(atPath: logPath)
        } catch {
            throw ReviewError.unreadable(error)
        }
        if text.isEmpty { throw ReviewError.failure("\(FileReading.displayName(logPath)): the log is empty (0 bytes)") }
        let events = try EventLog.parse(text, name: logPath, format: format)
        let input = ModelInput.file(modelPath)
        // A model with variants: the log is replayed against every combination (docs/reviewing.md).
        let combinations = try ModelLoader.loadCombinations(input, overrides: overrides, pins: pins, budget: budget)
        if combinations.count > 1 || combinations.first?.assignment.isEmpty == false {
            guard let start else {
                return .matrix(try MatrixReplay(combinations: combinations, log: events, logName: logPath, options: options))
            }
            let started = try ReplayStart.loadCombinations(input, overrides: overrides, pins: pins, predicate: start,
                                                       budget: budget)
            return .matrix(try MatrixReplay(started: started, startName: "--start '\(start)'", log: events, logName: logPath,
                                            options: options))
        }
        let loaded = try ReplayStart.load(input, overrides: overrides, predicate: start, budget: budget)
        let starts: [ReplayStartPoint]
        if let states = loaded.start, let start {
            starts = [ReplayStartPoint(name: "--start '\(start)'", states: states)]
        } else {
            starts = ReplayDriver.startPoints(of: loaded.system)
        }
        var result = try ReplayDriver.replay(events, logName: logPath, system: loaded.system, starts: starts, options: options)
        if !result.unloggedDevices.isEmpty {
            result.sizing = ReplaySizing.suggest(input, system: loaded.system, overrides: overrides, devices: result.mapping.count,
                                                 budget: budget)
        }
        return .single(result)
    }
}
