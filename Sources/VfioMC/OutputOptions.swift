import ArgumentParser
import Foundation
import Reports

/// Where a command's standard output goes: `-o FILE` or nowhere (`-q`), shared by the commands that print a result.
///
/// Both work below `print`: the output file is a temporary file beside FILE put in place of descriptor 1, renamed
/// over FILE at exit when every byte was written (so a failed run never leaves half a file, and an existing FILE
/// stays as it was); `-q` puts /dev/null there. Errors and warnings still go to standard error.
struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the output to FILE (replaced only when complete).", valueName: "FILE"))
    var output: String?

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print nothing on standard output; the exit code tells the result.")
    var quiet = false

    func validate() throws {
        if quiet && output != nil { throw ValidationError("-q/--quiet and -o/--output exclude each other") }
    }

    /// Redirects standard output as asked.
    func start() throws {
        if quiet {
            let null = open("/dev/null", O_WRONLY)
            guard null >= 0 else { throw UsageProblem("error: /dev/null: cannot open: \(String(cString: strerror(errno)))") }
            fflushStandardOutput()
            dup2(null, STDOUT_FILENO)
            close(null)
        } else if let output {
            try StandardOutput.redirect(to: output)
        }
    }
}

extension StandardOutput {
    /// The file standard output is being written for, and the temporary file that holds it until exit.
    nonisolated(unsafe) private static var pending: (destination: String, temporary: String)?

    /// Puts a temporary file beside `path` in place of standard output; `exit` renames it over `path`.
    static func redirect(to path: String) throws {
        let temporary: (descriptor: Int32, path: String)
        do {
            temporary = try AtomicFile.createTemporary(beside: path)
        } catch {
            throw UsageProblem("error: \(error)", file: path)
        }
        fflushStandardOutput()
        dup2(temporary.descriptor, STDOUT_FILENO)
        close(temporary.descriptor)
        pending = (path, temporary.path)
    }

    /// After standard output was flushed: renames the temporary output file into place, or removes it when
    /// `written` is false. Returns an error message when the rename fails.
    static func finishRedirect(written: Bool) -> String? {
        guard let pending else { return nil }
        Self.pending = nil
        guard written else {
            unlink(pending.temporary)
            return nil
        }
        if fsync(STDOUT_FILENO) != 0 && errno != EINVAL {
            let reason = String(cString: strerror(errno))
            unlink(pending.temporary)
            return "error: \(pending.destination): cannot write: \(reason)"
        }
        if rename(pending.temporary, pending.destination) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(pending.temporary)
            return "error: \(pending.destination): cannot replace: \(reason)"
        }
        return nil
    }
}
