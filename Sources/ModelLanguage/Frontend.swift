import Foundation

/// The front end's entry points: from source text or a file to a checked model, with every diagnostic.
public enum Frontend {
    /// Parses and checks source text. Variants not fixed by `pins` take their first listed value (`matrix` runs
    /// every combination instead).
    public static func check(_ source: SourceFile, overrides: [ConstantOverride] = [],
                             pins: [VariantPin] = []) -> Result<CheckedModel, ModelErrors> {
        LargeStack.run {
            let (syntax, diagnostics) = Parser.parse(source)
            guard let syntax else { return .failure(ModelErrors(diagnostics.diagnostics)) }
            let result = TypeChecker.check(syntax, source: source, diagnostics: diagnostics, overrides: overrides, pins: pins)
            guard case .failure(let errors) = result, !overrides.isEmpty else { return result }
            return .failure(attributeToOverrides(errors, syntax: syntax, source: source, overrides: overrides))
        }
    }

    /// When a model checks cleanly without its `--const` overrides, every error is a consequence of their values:
    /// an empty range, then the variables of that type missing, then "unknown name" wherever they are used. Only
    /// the root is worth reading, so keep the errors about the overrides themselves, or else the first error, said
    /// to follow from the values given, and count the rest instead of printing invented follow-on errors.
    static func attributeToOverrides(_ errors: ModelErrors, syntax: ModelSyntax, source: SourceFile,
                                     overrides: [ConstantOverride]) -> ModelErrors {
        let (_, fresh) = Parser.parse(source)
        guard case .success = TypeChecker.check(syntax, source: source, diagnostics: fresh, overrides: []) else { return errors }
        let given = overrides.map { "--const \($0.name)=\($0.value)" }.joined(separator: " ")
        let own = errors.diagnostics.filter { $0.message.hasPrefix("--const ") || $0.message.hasPrefix("--variant ") }
        var kept = own.isEmpty ? Array(errors.diagnostics.prefix(1)).map {
            Diagnostic(file: $0.file, line: $0.line, column: $0.column,
                       message: "\($0.message) (with \(given); the model checks without it)", sourceLine: $0.sourceLine)
        } : own
        let hidden = errors.diagnostics.count - kept.count
        if hidden > 0, let last = kept.popLast() {
            let more = hidden == 1 ? "1 further error follows from it and is not shown"
                : "\(hidden) further errors follow from it and are not shown"
            kept.append(Diagnostic(file: last.file, line: last.line, column: last.column, message: "\(last.message); \(more)",
                                   sourceLine: last.sourceLine))
        }
        return ModelErrors(kept)
    }

    /// Parses source text only.
    public static func parse(_ source: SourceFile) -> Result<ModelSyntax, ModelErrors> {
        LargeStack.run {
            let (syntax, diagnostics) = Parser.parse(source)
            guard let syntax, !diagnostics.hasErrors else { return .failure(ModelErrors(diagnostics.diagnostics)) }
            return .success(syntax)
        }
    }

    /// Reads a model file (`-`: standard input); the error says which file and what failed, in words.
    public static func load(path: String) throws -> SourceFile {
        SourceFile(name: path == FileReading.standardInputName ? "<stdin>" : path, bytes: try FileReading.bytes(atPath: path))
    }
}

/// A file that could not be read.
public struct FileProblem: Error, Sendable, CustomStringConvertible {
    /// What went wrong, starting with the path.
    public let message: String
    /// The path (or `standard input`) and the reason in words, when the message is `PATH: REASON`: kept apart so
    /// a renderer can show the file under another name (`LoadFailure.shown(as:)`).
    public let path: String?
    /// The reason, without the path.
    public let reason: String?
    /// Creates the error.
    public init(message: String) {
        self.message = message
        self.path = nil
        self.reason = nil
    }
    /// Creates the error `PATH: REASON`.
    public init(path: String, reason: String) {
        self.message = "\(path): \(reason)"
        self.path = path
        self.reason = reason
    }
    /// The message.
    public var description: String { message }
}

/// Runs recursive work on a thread with a large stack, so deeply nested (but legal) input cannot overflow it.
public enum LargeStack {
    /// The stack sizes tried in turn: 512 MiB, then 64 MiB and 8 MiB when the system refuses the larger (an
    /// address-space limit, `ulimit -v`, counts a stack's whole reservation). When it refuses every one the work
    /// runs on the calling thread, with the stack it has: a better chance than no run at all, though the deepest
    /// legal input was not measured on a stack that small.
    public static let stackSizes = [512 << 20, 64 << 20, 8 << 20]

    private final class Box<T>: @unchecked Sendable {
        var value: T?
    }

    /// Runs `body` on a fresh thread with the largest stack of `stackSizes` the system grants (else on this
    /// thread) and returns its result.
    public static func run<T>(stackSizes: [Int] = stackSizes, _ body: @escaping () -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let work = UncheckedSendable(body)
        for size in stackSizes {
            let refused = ThreadLauncher.start(stackSize: size) {
                box.value = work.value()
                done.signal()
            }
            guard refused == nil else { continue }
            done.wait()
            guard let value = box.value else { fatalError("large-stack worker produced no value") }
            return value
        }
        return body()
    }
}

/// Wraps a value for transfer to a thread that is joined before the value is used again.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
