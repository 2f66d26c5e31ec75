import Foundation
import ModelLanguage
import PackedSystem

/// A problem the reviewer's commands report to the user and exit 2 for: a model that does not load, a git
/// revision that does not exist, an unreadable or malformed log, a bad option value; or 3 when a budget (memory,
/// time, a signal) stopped the model's lowering, which says nothing about the model (as `check` does).
/// It carries typed problems (diagnostics with their positions, `LoadProblem`s, log lines with their numbers) and
/// renders them in one place, `message`, so nothing on the way formats a diagnostic early or edits rendered text.
public struct ReviewError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in order (a combination heading before the diagnostics of that combination).
    public let problems: [ReviewProblem]
    /// Set when a budget stopped the work rather than a problem in the input (`ModelErrors.stopReason`).
    public let stopReason: String?

    /// Creates an error from its problems.
    public init(_ problems: [ReviewProblem], stopReason: String? = nil) {
        self.problems = problems
        self.stopReason = stopReason
    }

    /// Creates an error of one problem.
    public init(_ problem: ReviewProblem) { self.init([problem]) }

    /// The exit status the commands use: 3 (no verdict) when a budget stopped the work, 2 otherwise.
    public var exitCode: Int32 { stopReason == nil ? 2 : 3 }

    /// A plain failure without a position: shown as `error: MESSAGE`.
    static func failure(_ message: String) -> ReviewError { ReviewError(.failure(message)) }

    /// A front-end stage's diagnostics, kept as values.
    static func model(_ errors: ModelErrors) -> ReviewError {
        ReviewError(errors.diagnostics.map { .load(.diagnostic($0)) }, stopReason: errors.stopReason)
    }

    /// A file that could not be read (a `FileProblem`, or any other error in its own words).
    static func unreadable(_ error: any Error) -> ReviewError {
        ReviewError(.load(.unreadable(error as? FileProblem ?? FileProblem(message: "\(error)"))))
    }

    /// The same error preceded by the heading of the combination of variants it belongs to.
    func inCombination(_ assignment: VariantAssignment, of file: String) -> ReviewError {
        ReviewError([.load(.combination(file: file, assignment))] + problems, stopReason: stopReason)
    }

    /// The problems, rendered ready to print, one after the other (a diagnostic spans three lines).
    public var message: String { problems.map(\.rendered).joined(separator: "\n") }

    /// The message.
    public var description: String { message }
}

/// One thing a reviewer's command could not do, as a value; `rendered` is the one place it becomes text.
public enum ReviewProblem: Sendable {
    /// A model that did not load: a diagnostic with its position, an unreadable file, a combination heading.
    case load(LoadProblem)
    /// A malformed line of a log: the log's name, the 1-based line, what is wrong, the line itself and the shape the
    /// parser expected there.
    case logLine(log: String, line: Int, message: String, text: String, expected: String)
    /// A well-formed log event that names something the model does not have (a state, a device).
    case logEvent(log: String, line: Int, message: String)
    /// A problem in a kernel source file, with its position when it has one.
    case kernelSource(KernelSourceError)
    /// A `--start` predicate that no reachable state satisfies, with the reason the search stopped early, if it did.
    case noStartState(expression: String, searchStopped: String?)
    /// Only one version of a diff defines the combination-path resolver (`next`, `fails`): a note, not an error.
    case pathDefinitionsInOneVersion(next: String, fails: String, baseDefines: Bool, baseName: String, proposedName: String)
    /// Anything else, without a position (the words after `error: `).
    case failure(String)

    /// The problem as printed.
    public var rendered: String {
        switch self {
        case .load(let problem):
            return problem.rendered()
        case .logLine(let log, let line, let message, let text, let expected):
            return "\(log):\(line): error: \(message)\n  \(text.trimmingCharacters(in: .whitespaces))\n  expected: \(expected)"
        case .logEvent(let log, let line, let message):
            return "\(log):\(line): error: \(message)"
        case .kernelSource(let error):
            if let line = error.line, let column = error.column {
                return "\(error.file):\(line):\(column): error: \(error.message)"
            }
            return "\(error.file): error: \(error.message)"
        case .noStartState(let expression, let searchStopped):
            let stopped = searchStopped.map { " (the search stopped early: \($0))" } ?? ""
            return "error: --start '\(expression)': no reachable state of the model satisfies it\(stopped)"
        case .pathDefinitionsInOneVersion(let next, let fails, let baseDefines, let baseName, let proposedName):
            return baseDefines
                ? "the base model defines '\(next)' and '\(fails)' but \(proposedName) does not"
                : "\(proposedName) defines '\(next)' and '\(fails)' but the base model \(baseName) does not"
        case .failure(let message):
            return "error: \(message)"
        }
    }
}
