import Explorer
import PackedSystem

/// The liveness lassos of the reachable graph, found by the explorer itself: a complete breadth-first search
/// (one thread, the explorer's `ExplicitExplorer`, which switches symmetry off for models with liveness
/// properties, so its states are the system's own) and its `LivenessChecker` on the stored graph. Calling the
/// explorer rather than writing a second liveness algorithm keeps one definition of a fair lasso and gives the
/// SMT engine the very lassos the explorer prints (stem to the nearest fair component, then a loop through
/// it), so `--engine both` shows one trace.
///
/// Nothing here is a verdict of the SMT engine: each lasso is checked by Z3 in the engine's own encoding
/// (`LivenessEncoding.check(lasso:...)`) before it is reported, and so is the ranking that certifies a property
/// the graph says holds (`LivenessEncoding.check(ranking:...)`, Manna and Pnueli's rule for weak fairness).
struct ExplicitLassos {
    /// One liveness property on the graph.
    enum Outcome {
        /// The explorer found no fair lasso; the ranking that certifies it (`LivenessRanking`), if one was built.
        case holds(LivenessRanking?)
        /// The explorer's lasso (`trace.loopStart` set) and its note (the dead end's remark).
        case lasso(Trace, note: String?)
    }

    /// Per property index (in `system.properties`) of every liveness property.
    let outcomes: [Int: Outcome]
    /// The number of reachable states.
    let states: Int
    /// The reachable states (packed words), for the certificates of `leadsto` properties.
    let reachable: [[UInt64]]

    /// Runs the explorer with at most `maxStates` states and the given limits. Nil when its search did not
    /// complete (a limit, or more states than `maxStates`): a partial graph proves no lasso absent and may miss
    /// the explorer's choice of lasso, so nothing is taken from it.
    static func find(system: TransitionSystem, maxStates: Int, timeoutSeconds: Double?, maxMemoryBytes: Int?,
                     interruption: (@Sendable () -> StopReason?)?) -> ExplicitLassos? {
        var options = ExplorerOptions()
        options.threads = 1
        options.budget.maxStates = maxStates
        options.budget.timeoutSeconds = timeoutSeconds
        options.budget.maxMemoryBytes = maxMemoryBytes
        options.budget.interruption = interruption
        let run = ExplicitExplorer(system: system, options: options, file: "").run()
        let result = run.result
        guard result.statistics.stopReason == nil else { return nil }
        let rankings = result.properties.contains { $0.verdict == .holds && ($0.kind == .eventually || $0.kind == .leadsto) }
            ? run.graph.livenessRankings() : [:]
        var outcomes: [Int: Outcome] = [:]
        for (index, property) in result.properties.enumerated() where property.kind == .eventually || property.kind == .leadsto {
            switch property.verdict {
            case .holds:
                outcomes[index] = .holds(rankings[index])
            case .violated:
                guard let trace = property.trace, trace.loopStart != nil else { return nil }
                outcomes[index] = .lasso(trace, note: property.note)
            default:
                return nil
            }
        }
        let leadsto = system.properties.contains { $0.info.kind == .leadsto }
        return ExplicitLassos(outcomes: outcomes, states: result.statistics.states,
                              reachable: leadsto ? (0..<run.graph.stateCount).map(run.graph.stateWords) : [])
    }
}
