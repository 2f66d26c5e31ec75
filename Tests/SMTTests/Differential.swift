import Explorer
import ModelLanguage
import PackedSystem
import SMT

/// Builds systems from source text and compares the two engines on them.
enum Differential {
    /// Diagnostics of a model that did not build.
    struct Rejected: Error, CustomStringConvertible {
        let description: String
    }

    /// The system of a model's source text, or the rendered diagnostics.
    static func system(_ text: String, name: String = "test.vmc") -> Result<TransitionSystem, Rejected> {
        switch Frontend.check(SourceFile(name: name, text: text)) {
        case .failure(let errors): return .failure(Rejected(description: errors.diagnostics.map(\.rendered).joined(separator: "\n")))
        case .success(let model):
            switch SystemBuilder.build(model) {
            case .failure(let errors): return .failure(Rejected(description: errors.diagnostics.map(\.rendered).joined(separator: "\n")))
            case .success(let system): return .success(system)
            }
        }
    }

    /// One disagreement between the engines.
    struct Mismatch: CustomStringConvertible {
        let property: String
        let detail: String
        var description: String { "\(property): \(detail)" }
    }

    /// What comparing the engines on one system found.
    struct Comparison {
        var mismatches: [Mismatch] = []
        /// Properties both engines decided.
        var bothDecided = 0
        /// Properties the explorer decided.
        var explicitDecided = 0
        /// Traces whose lengths were compared.
        var tracesCompared = 0
        /// Liveness properties both engines decided (their verdicts compared, and the SMT lasso's shape checked).
        var livenessCompared = 0
        /// Of those, the violated ones (lassos checked).
        var lassosChecked = 0
        /// Of those, the lassos equal to the explorer's, step by step (the explicit graph's lassos are).
        var lassosIdentical = 0
        var explicit: CheckResult?
        var smt: CheckResult?
    }

    /// Runs both engines and compares every property both decide: verdicts must be equal, and traces of
    /// violations and witnesses must have the same length.
    static func compare(_ system: TransitionSystem, smtOptions: SMTOptions, explorerOptions: ExplorerOptions = ExplorerOptions()) -> Comparison {
        let explicit = ExplicitExplorer(system: system, options: explorerOptions, file: "test.vmc").check()
        let smt = SMTEngine(system: system, options: smtOptions, file: "test.vmc").check()
        var comparison = Comparison()
        comparison.explicit = explicit
        comparison.smt = smt
        for (a, b) in zip(explicit.properties, smt.properties) {
            switch a.kind {
            case .eventually, .leadsto:
                compareLiveness(a, b, into: &comparison)
                continue
            default: break
            }
            if a.verdict != .unknown { comparison.explicitDecided += 1 }
            if let note = b.note, note.contains("internal error") {
                comparison.mismatches.append(Mismatch(property: a.name, detail: note))
            }
            guard a.verdict != .unknown, b.verdict != .unknown else { continue }
            comparison.bothDecided += 1
            if a.verdict != b.verdict {
                comparison.mismatches.append(Mismatch(property: a.name, detail: "explicit \(a.verdict.rawValue), smt \(b.verdict.rawValue) (\(b.note ?? ""))"))
                continue
            }
            if let x = a.trace, let y = b.trace {
                comparison.tracesCompared += 1
                if x.length != y.length {
                    comparison.mismatches.append(Mismatch(property: a.name, detail: "trace lengths: explicit \(x.length), smt \(y.length)"))
                }
                if (x.failure == nil) != (y.failure == nil) && a.kind != .bounds {
                    comparison.mismatches.append(Mismatch(property: a.name, detail: "one trace ends in a failing action, the other does not"))
                }
                if let f = x.failure, let g = y.failure, a.kind == .assertion, f.message != g.message {
                    comparison.mismatches.append(Mismatch(property: a.name, detail: "failure messages differ: \(f.message) / \(g.message)"))
                }
            } else if (a.trace == nil) != (b.trace == nil) {
                comparison.mismatches.append(Mismatch(property: a.name, detail: "only one engine has a trace"))
            }
        }
        return comparison
    }

    /// Liveness: equal verdicts, and an SMT lasso that is one: `loopStart` set, its last state the state of step
    /// `loopStart` (or the trace stays in its last state), every step labelled with an action, and never longer
    /// than the state space allows to matter. Lasso lengths are not compared: the explorer's are not shortest.
    private static func compareLiveness(_ a: PropertyResult, _ b: PropertyResult, into comparison: inout Comparison) {
        if a.verdict != .unknown { comparison.explicitDecided += 1 }
        if let note = b.note, note.contains("internal error") {
            comparison.mismatches.append(Mismatch(property: a.name, detail: note))
        }
        guard a.verdict != .unknown, b.verdict != .unknown else { return }
        comparison.bothDecided += 1
        comparison.livenessCompared += 1
        if a.verdict != b.verdict {
            comparison.mismatches.append(Mismatch(property: a.name, detail: "explicit \(a.verdict.rawValue), smt \(b.verdict.rawValue) (\(b.note ?? ""))"))
            return
        }
        guard b.verdict == .violated else {
            if b.trace != nil { comparison.mismatches.append(Mismatch(property: a.name, detail: "smt has a trace for a property that holds")) }
            return
        }
        guard let trace = b.trace, let loopStart = trace.loopStart, let last = trace.steps.last, loopStart < trace.steps.count else {
            comparison.mismatches.append(Mismatch(property: a.name, detail: "smt's counterexample is not a lasso"))
            return
        }
        comparison.lassosChecked += 1
        if a.trace == trace { comparison.lassosIdentical += 1 }
        if trace.steps[loopStart].state != last.state {
            comparison.mismatches.append(Mismatch(property: a.name, detail: "smt's lasso does not come back to step \(loopStart)"))
        }
        if trace.steps.dropFirst().contains(where: { $0.action == nil }) || trace.failure != nil {
            comparison.mismatches.append(Mismatch(property: a.name, detail: "smt's lasso has an unlabelled step or a failing action"))
        }
    }
}
