import Foundation
import ModelLanguage

/// Reads a file as it was at a git revision by running `git` as a subprocess.
public enum GitRevision {
    /// The text of `path` (a path in the file system, relative to the current directory or absolute) at `revision`.
    /// Runs `git -C DIR rev-parse --is-inside-work-tree`, `git -C DIR rev-parse --verify --quiet REV^{commit}` and
    /// `git -C DIR show REV:./NAME`, where DIR is the file's directory, so that the path need not be relative to the
    /// repository's root. Each failure gets its own message: git missing, not a checkout, unknown revision, file
    /// absent at that revision.
    public static func show(path: String, revision: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        guard !revision.isEmpty, !revision.hasPrefix("-") else {
            throw ReviewError.failure("'\(revision)' is not a git revision")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReviewError.failure("\(path): the directory \(directory) does not exist")
        }
        let inside = try run(["-C", directory, "rev-parse", "--is-inside-work-tree"])
        guard inside.status == 0, inside.output.trimmingCharacters(in: .whitespacesAndNewlines) == "true" else {
            throw ReviewError.failure("\(path) is not inside a git checkout (git says: \(inside.errorSummary)); --against needs one")
        }
        let verified = try run(["-C", directory, "rev-parse", "--verify", "--quiet", "\(revision)^{commit}"])
        guard verified.status == 0 else {
            throw ReviewError.failure("unknown git revision '\(revision)'")
        }
        let shown = try run(["-C", directory, "show", "\(revision):./\(name)"])
        guard shown.status == 0 else {
            throw ReviewError.failure("\(path) does not exist at revision '\(revision)' (git says: \(shown.errorSummary))")
        }
        return shown.output
    }

    /// The result of one git command.
    struct Outcome {
        let status: Int32
        let output: String
        let error: String

        /// The first line of standard error, or the exit status.
        var errorSummary: String {
            let line = error.split(separator: "\n").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            return line.isEmpty ? "exit status \(status)" : line
        }
    }

    /// Runs git with the arguments; standard output and error are collected (read concurrently, so a large file
    /// cannot fill a pipe and block the child).
    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_PAGER"] = "cat"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ReviewError.failure("cannot run git: \(error.localizedDescription)")
        }
        let collector = PipeCollector(error.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = collector.wait()
        process.waitUntilExit()
        if process.terminationReason == .exit, process.terminationStatus == 127 {
            throw ReviewError.failure("git is not installed (or not on PATH); --against needs it")
        }
        return Outcome(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                       error: String(decoding: errorData, as: UTF8.self))
    }
}

/// Reads a pipe to its end on another thread (or, when the system refuses one, in `wait()` on the caller's: git's
/// small outputs then still fit the pipes' buffers while the other is read).
private final class PipeCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    private let handle: FileHandle
    private var threadless = false

    init(_ handle: FileHandle) {
        self.handle = handle
        threadless = ThreadLauncher.start(stackSize: 1 << 20) { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        } != nil
    }

    func wait() -> Data {
        if threadless { return handle.readDataToEndOfFile() }
        done.wait()
        return data
    }
}
