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
            let passes = details.passes > 1 ? ", first and second pass together" : ""
            parts.append("SMT solver time (\(file), method \(method)\(passes)):\n" + queryTable(details.queries))
        }
        return parts.map { $0 + "\n" }.joined()
    }

    /// Where the solver's time went: a text table, per-method totals first, then each method's queries about each
    /// property, slowest first.
    static func queryTable(_ statistics: SMTQueryStatistics) -> String {
        var lines = ["  method       queries   seconds  property"]
        func row(_ method: String, _ queries: Int, _ seconds: Double, _ property: String) -> String {
            let time = String(Double((seconds * 1000).rounded()) / 1000)
            return "  " + method.rightPadded(to: 11) + " " + String(queries).leftPadded(to: 8) + " " + time.leftPadded(to: 9) + "  " + property
        }
        var totals: [(method: String, queries: Int, seconds: Double)] = []
        for entry in statistics.entries {
            if let index = totals.firstIndex(where: { $0.method == entry.method }) {
                totals[index].queries += entry.queries
                totals[index].seconds += entry.seconds
            } else {
                totals.append((entry.method, entry.queries, entry.seconds))
            }
        }
        for total in totals { lines.append(row(total.method, total.queries, total.seconds, "(total)")) }
        for entry in statistics.entries.sorted(by: { $0.seconds > $1.seconds }) {
            lines.append(row(entry.method, entry.queries, entry.seconds, entry.property))
        }
        return lines.joined(separator: "\n")
    }
}
