import Explorer
import PackedSystem
import SMT

/// Which engines a check runs. The library's side of `--engine`: the executable only parses the word.
public enum EngineSelection: String, CaseIterable, Sendable {
    /// The explicit-state engine alone.
    case explicit
    /// The Z3 engine alone.
    case smt
    /// Both, cross-checked (`CrossCheck.merge`).
    case both
}

/// What one check of one system returned: the result every renderer takes, and the SMT engine's own details
/// (solver time, PDR invariants) when it ran, for the commands that print them.
public struct SystemCheck: Sendable {
    /// The verdicts: one engine's, or the cross-check of both.
    public let result: CheckResult
    /// The SMT run, when the SMT engine ran.
    public let smt: SMTRun?
    /// The explicit engine's own result, when it ran with the SMT engine (the second pass over a model's
    /// combinations merges a second SMT run's verdicts and cross-checks again).
    public var explicit: CheckResult?
}

/// The facade's first piece: running the selected engines on one system and merging their verdicts, so the
/// executable does not hold the cross-engine policy. (The variant loop and the sanity run still live in the
/// executable; issue 12 keeps them open.)
public enum SystemChecking {
    /// Runs the selected engines on `system`, the explicit one first: the explicit engine with `explorer` (with
    /// `progress` called about once per `progressInterval` seconds, and `explicitFinished` when it ends), then the
    /// SMT engine with the options `smt` gives when it starts (so a command's deadline can give it the time left);
    /// with both, the cross-check.
    public static func check(_ system: TransitionSystem, file: String, engines: EngineSelection, explorer: ExplorerOptions,
                             smt: () -> SMTOptions, progress: ((ExplorerProgress) -> Void)? = nil,
                             explicitFinished: (() -> Void)? = nil) -> SystemCheck {
        var explicitResult: CheckResult?
        if engines != .smt {
            explicitResult = ExplicitExplorer(system: system, options: explorer, file: file).run(progress: progress).result
            explicitFinished?()
        }
        var smtRun: SMTRun?
        if engines != .explicit {
            smtRun = SMTEngine(system: system, options: smt(), file: file).run()
        }
        switch (explicitResult, smtRun?.result) {
        case (let explicit?, let smt?): return SystemCheck(result: CrossCheck.merge(explicit: explicit, smt: smt), smt: smtRun, explicit: explicit)
        case (let explicit?, nil): return SystemCheck(result: explicit, smt: nil)
        case (nil, let smt?): return SystemCheck(result: smt, smt: smtRun)
        case (nil, nil): preconditionFailure("every selection runs at least one engine")
        }
    }
}

/// The cross-engine verdict policy of `--engine both`.
public enum CrossCheck {
    /// The explicit result, with each property marked as a disagreement when both engines decided it differently.
    /// A property only one engine decides keeps that engine's verdict; one both decide alike is marked `both`.
    /// Every property also keeps both engines' own verdicts and notes (`PropertyResult.engines`), since the
    /// merged property carries one note: without them the reason the SMT engine left a property open (or the
    /// explorer's, when the SMT engine decided it) would be lost.
    public static func merge(explicit: CheckResult, smt: CheckResult) -> CheckResult {
        var merged = CheckResult(file: explicit.file, model: explicit.model, cellNames: explicit.cellNames,
                                 cellTypes: explicit.cellTypes, properties: explicit.properties,
                                 statistics: explicit.statistics, engine: .both)
        merged.coverage = explicit.coverage
        for (index, property) in explicit.properties.enumerated() {
            guard index < smt.properties.count else { continue }
            let other = smt.properties[index]
            let engines = CrossCheckedVerdicts(explicit: EngineVerdict(property), smt: EngineVerdict(other))
            if property.verdict == .unknown, other.verdict != .unknown {
                merged.properties[index] = other
            } else if engines.disagree {
                merged.properties[index].note = "ENGINES DISAGREE: explicit says \(property.verdict.rawValue), smt says \(other.verdict.rawValue)"
                merged.properties[index].engine = .both
                merged.disagreement = true
            } else {
                merged.properties[index].engine = other.verdict == .unknown ? property.engine : .both
            }
            merged.properties[index].engines = engines
        }
        return merged
    }
}
