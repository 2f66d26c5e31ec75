import ModelLanguage

/// A model that could not be loaded: its file and what went wrong, typed (diagnostics with their positions, the
/// file that could not be read, the combination a group of diagnostics belongs to) and rendered in one place,
/// `messages`, under the name the output shows for the file (`shown(as:)`).
/// Below every command's layer (the loader in Review, the variant loop of the checking facade, the report pages),
/// so one type carries a load failure from where it happens to the renderer that shows it.
public struct LoadFailure: Error, Sendable {
    /// The file as named on the command line, or the name it is shown under after `shown(as:)`.
    public let file: String
    /// What went wrong, in order.
    public let problems: [LoadProblem]
    /// Set when a budget stopped the loading (exit 3), not a problem of the model (exit 2).
    public let stopReason: String?
    /// The file as the problems name it (the command line's path): what `shown(as:)` renames.
    let loadedAs: String

    /// Creates a failure.
    public init(file: String, problems: [LoadProblem], stopReason: String? = nil) {
        self.file = file
        self.problems = problems
        self.stopReason = stopReason
        self.loadedAs = file
    }

    /// A failure from a front-end stage's errors.
    public init(file: String, errors: ModelErrors) {
        self.init(file: file, problems: errors.diagnostics.map(LoadProblem.diagnostic), stopReason: errors.stopReason)
    }

    private init(file: String, problems: [LoadProblem], stopReason: String?, loadedAs: String) {
        self.file = file
        self.problems = problems
        self.stopReason = stopReason
        self.loadedAs = loadedAs
    }

    /// The same failure shown under another name (a report shows paths relative to the working directory): every
    /// problem that names the file as loaded names it `path` instead.
    public func shown(as path: String) -> LoadFailure {
        LoadFailure(file: path, problems: problems, stopReason: stopReason, loadedAs: loadedAs)
    }

    /// The problems, each rendered ready to print (a diagnostic with its source line and caret).
    public var messages: [String] {
        problems.map { $0.rendered { path in path == loadedAs ? file : path } }
    }
}

/// One thing that went wrong while loading a model.
public enum LoadProblem: Sendable {
    /// An error in the model's text (or its `--const`/`--variant` values), with its position.
    case diagnostic(Diagnostic)
    /// The file could not be read.
    case unreadable(FileProblem)
    /// The diagnostics that follow are those of this combination of the model's variants.
    case combination(file: String, VariantAssignment)
}

extension LoadProblem {
    /// The problem ready to print, the one place a `LoadProblem` becomes text (`LoadFailure.messages`, Review's
    /// `ReviewError`): a diagnostic with its source line and caret, `error: FILE: REASON` for an unreadable file,
    /// `FILE: in combination ASSIGNMENT:` for a combination heading. `name` maps a file as loaded to the name shown.
    public func rendered(naming name: (String) -> String = { $0 }) -> String {
        switch self {
        case .diagnostic(let diagnostic):
            return Diagnostic(file: name(diagnostic.file), line: diagnostic.line, column: diagnostic.column,
                              message: diagnostic.message, sourceLine: diagnostic.sourceLine).rendered
        case .unreadable(let reading):
            guard let path = reading.path, let reason = reading.reason else { return "error: \(reading.message)" }
            return "error: \(name(path)): \(reason)"
        case .combination(let path, let assignment):
            return "\(name(path)): in combination \(assignment):"
        }
    }
}
