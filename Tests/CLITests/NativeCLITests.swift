import Foundation
import Testing
import TestSupport

/// `--native` on the command line: a compiler that fails leaves the search on the interpreter with a note and the
/// same verdicts; a compiler still running at `--timeout` or at SIGINT is killed with the processes it started and
/// its temporary directory removed; `dump --native` prints the generated C; a bad mode is a usage error.
@Suite struct NativeCLITests {
    /// Runs the binary with `CC` set to `compiler`.
    static func run(_ arguments: [String], compiler: String) throws -> CLITests.Run {
        try CLITests.run(arguments, environment: ["CC": compiler])
    }

    @Test func aFailingCompilerFallsBackToTheInterpreterWithANote() throws {
        let path = try CLITests.write(CLITests.passing, name: "native-passing.vmc")
        let failing = try Self.run(["check", "--json", "--threads", "1", "--native", "on", path], compiler: "false")
        #expect(failing.status == 0)
        #expect(failing.stdout.contains("native code off: false failed"))
        let quiet = try Self.run(["check", "--json", "--threads", "1", "--native", "auto", path], compiler: "false")
        #expect(quiet.status == 0)
        #expect(!quiet.stdout.contains("native code off"))
        let plain = try Self.run(["check", "--threads", "1", "--native", "off", path], compiler: "false")
        let fallback = try Self.run(["check", "--threads", "1", "--native", "on", path], compiler: "false")
        func verdicts(_ text: String) -> [Substring] { text.split(separator: "\n").filter { $0.hasSuffix(" ok") } }
        #expect(plain.status == 0 && fallback.status == 0)
        #expect(!verdicts(plain.stdout).isEmpty && verdicts(plain.stdout) == verdicts(fallback.stdout))
    }

    /// Starts the binary with `CC` set to `compiler`'s script and `TMPDIR` to a fresh directory of its own; when
    /// `interruptWhenStarted`, sends SIGINT once the script runs. Returns the run and the names left in `TMPDIR`.
    static func runSlow(_ arguments: [String], compiler: SlowCompiler,
                        interruptWhenStarted: Bool = false) throws -> (run: CLITests.Run, temporary: [String]) {
        try #require(FileManager.default.isExecutableFile(atPath: CLITests.binary.path), "build vfio-mc first")
        let temporary = try compiler.temporaryDirectory()
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CC"] = compiler.path
        environment["TMPDIR"] = temporary.path
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if interruptWhenStarted {
            #expect(compiler.waitUntilStarted(), "the compiler never started")
            kill(process.processIdentifier, SIGINT)
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let run = CLITests.Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                               stderr: String(decoding: stderr, as: UTF8.self))
        return (run, (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [])
    }

    /// `check --native on --timeout 1` with a compiler that never finishes ends at its limit (exit 3), the note
    /// naming the stopped compiler; no process and no temporary directory are left. The time bound only catches a
    /// run that waits for the compiler (a minute).
    @Test func theTimeoutStopsTheCompiler() throws {
        let path = try CLITests.write(CLITests.passing, name: "native-timeout.vmc")
        let compiler = try SlowCompiler(name: "cli-timeout")
        defer { compiler.remove() }
        let started = Date()
        let (run, temporary) = try Self.runSlow(["check", "--threads", "1", "--native", "on", "--timeout", "1", path],
                                                compiler: compiler)
        #expect(Date().timeIntervalSince(started) < 45)
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("search stopped early: time limit of 1 s reached"), "\(run.stdout)")
        #expect(run.stdout.contains("native code off: \(compiler.path) stopped: time limit of 1 s reached"), "\(run.stdout)")
        #expect(compiler.survivors().isEmpty)
        #expect(temporary.isEmpty, "left in TMPDIR: \(temporary)")
    }

    /// SIGINT while the compiler runs: the usual interrupted result and exit 130, the compiler's processes and
    /// temporary directory gone.
    @Test func sigintStopsTheCompiler() throws {
        let path = try CLITests.write(CLITests.passing, name: "native-sigint.vmc")
        let compiler = try SlowCompiler(name: "cli-sigint")
        defer { compiler.remove() }
        let (run, temporary) = try Self.runSlow(["check", "--json", "--threads", "1", "--native", "on", path],
                                                compiler: compiler, interruptWhenStarted: true)
        #expect(run.status == 130, "\(run.stdout)\(run.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let model = try #require((document?["models"] as? [[String: Any]])?.first, "\(run.stdout)")
        #expect(model["stopReason"] as? String == "interrupted by SIGINT")
        #expect((model["notes"] as? [String] ?? []).contains("native code off: \(compiler.path) stopped: interrupted by SIGINT"),
                "\(run.stdout)")
        #expect(compiler.processes.count == 2)
        #expect(compiler.survivors().isEmpty)
        #expect(temporary.isEmpty, "left in TMPDIR: \(temporary)")
    }

    @Test func dumpPrintsTheGeneratedC() throws {
        let path = try CLITests.write(CLITests.passing, name: "native-dump.vmc")
        let dump = try CLITests.run(["dump", "--native", path])
        #expect(dump.status == 0)
        #expect(dump.stdout.contains("int32_t vmc_expand("))
    }

    @Test func aBadModeIsAUsageError() throws {
        let path = try CLITests.write(CLITests.passing, name: "native-bad.vmc")
        let bad = try CLITests.run(["check", "--native", "sometimes", path])
        #expect(bad.status == 2)
    }
}
