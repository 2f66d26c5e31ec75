/// Why a model cannot be translated, as a value: more initial states or `choose` combinations than the
/// translation writes out, or no initial state. `rendered` is the one place it becomes text (as Review's
/// `ReviewProblem.rendered`); the caller decides the exit status.
public enum PromelaExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model (shown as `file`) has `count` initial states; the translation writes out at most `limit`
    /// (`PromelaTranslator.maximumInitialStates`), each other than the first as its own alternative.
    case tooManyInitialStates(file: String, count: Int, limit: Int)
    /// The model (shown as `file`) has no initial state, so there is no declared state to start from.
    case noInitialState(file: String)
    /// An action has more than `limit` combinations of `choose` alternatives (`PromelaActions.maximumPaths`); the
    /// translation gives each its own alternative, so it stops at the first action past the limit.
    case tooManyChooseCombinations(limit: Int)

    /// The error as printed, starting with "error:".
    public var rendered: String {
        switch self {
        case .tooManyInitialStates(let file, let count, let limit):
            return "error: \(file): \(count) initial states; the Promela translation handles at most \(limit)"
        case .noInitialState(let file):
            return "error: \(file): the model has no initial state"
        case .tooManyChooseCombinations(let limit):
            return "error: an action has more than \(limit) combinations of choose alternatives; "
                + "the Promela translation gives each its own alternative and stops here"
        }
    }

    /// The rendered text.
    public var description: String { rendered }
}
