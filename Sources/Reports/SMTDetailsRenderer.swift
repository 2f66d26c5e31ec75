import SMT

/// The details of one SMT run that `check` prints beside the verdicts when asked (`--show-invariant`,
/// `--smt-stats`; text output only): the inductive invariants PDR proved, and where the solver's time went.
/// Rendered here, not in the executable, which only decides whether to print them.
public enum SMTDetailsRenderer {
    /// The requested parts for the run of `file` with `method` (its name as on the command line), one after the
    /// other; the empty string when neither is requested.
    public static func render(_ details: SMTRun, file: String, method: String, invariants: Bool, statistics: Bool) -> String {
        var parts: [String] = []
        if invariants {
            // Properties proved together share one invariant: print it once, naming them all.
            var groups: [(properties: [String], invariant: String)] = []
            for (property, invariant) in details.invariants {
                if let last = groups.indices.last, groups[last].invariant == invariant {
                    groups[last].properties.append(property)
                } else {
                    groups.append(([property], invariant))
                }
            }
            for group in groups {
                parts.append("inductive invariant proving \(group.properties.joined(separator: ", ")) (\(file)):\n  \(group.invariant)")
            }
        }
        if statistics {
            parts.append("SMT solver time (\(file), method \(method)):\n" + details.queries.rendered())
        }
        return parts.map { $0 + "\n" }.joined()
    }
}
