import Foundation

/// The front end's entry points: from source text or a file to a checked model, with every diagnostic.
public enum Frontend {
    /// Parses and checks source text.
    public static func check(_ source: SourceFile, overrides: [ConstantOverride] = []) -> Result<CheckedModel, ModelErrors> {
        LargeStack.run {
            let (syntax, diagnostics) = Parser.parse(source)
            guard let syntax else { return .failure(ModelErrors(diagnostics.diagnostics)) }
            return Checker.check(syntax, source: source, diagnostics: diagnostics, overrides: overrides)
        }
    }

    /// Parses source text only.
    public static func parse(_ source: SourceFile) -> Result<ModelSyntax, ModelErrors> {
        LargeStack.run {
            let (syntax, diagnostics) = Parser.parse(source)
            guard let syntax, !diagnostics.hasErrors else { return .failure(ModelErrors(diagnostics.diagnostics)) }
            return .success(syntax)
        }
    }

    /// Reads a file; a missing or unreadable file is reported as a diagnostic-free error message.
    public static func load(path: String) throws -> SourceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw FileProblem(message: isDirectory.boolValue ? "\(path): is a directory" : "\(path): cannot read the file")
            }
            throw FileProblem(message: "\(path): no such file")
        }
        return SourceFile(name: path, bytes: [UInt8](data))
    }
}

/// A file that could not be read.
public struct FileProblem: Error, Sendable, CustomStringConvertible {
    /// What went wrong, starting with the path.
    public let message: String
    /// Creates the error.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Runs recursive work on a thread with a large stack, so deeply nested (but legal) input cannot overflow it.
public enum LargeStack {
    /// The stack size of the worker thread.
    public static let stackSize = 512 << 20

    private final class Box<T>: @unchecked Sendable {
        var value: T?
    }

    /// Runs `body` on a fresh thread with a large stack and returns its result.
    public static func run<T>(_ body: @escaping () -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let work = UncheckedSendable(body)
        let thread = Thread {
            box.value = work.value()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        guard let value = box.value else { fatalError("large-stack worker produced no value") }
        return value
    }
}

/// Wraps a value for transfer to a thread that is joined before the value is used again.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
