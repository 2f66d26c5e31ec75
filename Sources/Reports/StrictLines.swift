import ModelLanguage
import PackedSystem

/// The lines `check --strict` prints for what fails it beyond the expectations (issue 13, item 3): a holding
/// property that is trivial or vacuous without the `expect` line saying so, an `expect` line saying so of a
/// property that is not, a dead action without `expect dead`, and an `expect dead` action that fires. Each line
/// names the file, the property or action and, for a model with variants, the combination. Which runs fail is
/// decided by `VariantRun.strictFailures` and `deadActionFailures` (PackedSystem); this only words them.
public enum StrictLines {
    /// The lines of one model's matrix, in run order; empty when nothing fails `--strict`.
    public static func lines(_ matrix: MatrixResult) -> [String] {
        matrix.runs.enumerated().flatMap { index, run -> [String] in
            let column = matrix.hasVariants ? " under \(MatrixResult.columnName(index)) \(run.assignment)" : ""
            let properties = run.strictFailures.map { failure -> String in
                let head = "strict: \(matrix.file): \(failure.name)\(column)"
                if let mark = failure.meant {
                    let claimed = mark == .trivially ? "trivial" : "vacuous"
                    let found = failure.sanity == .ok ? "the sanity check finds it ok"
                        : "it is \(failure.sanity.label) (\(failure.sanity.note ?? ""))"
                    return "\(head): its expect line says 'holds \(mark.rawValue)', but \(found), not \(claimed)"
                }
                let mark: SanityMark
                if case .trivial = failure.sanity { mark = .trivially } else { mark = .vacuously }
                return "\(head) is \(failure.sanity.label) (\(failure.sanity.note ?? "")); its expect line does not say 'holds \(mark.rawValue)'"
            }
            let actions = run.deadActionFailures.map { failure -> String in
                if failure.marked {
                    return "strict: \(matrix.file): action \(failure.action)\(column) is marked 'expect dead' but fires"
                }
                return "strict: \(matrix.file): action \(failure.action)\(column) is dead (never enabled in a reachable state); "
                    + "mark it 'expect dead \(failure.action)' with the reason, or fix the model"
            }
            return properties + actions
        }
    }
}
