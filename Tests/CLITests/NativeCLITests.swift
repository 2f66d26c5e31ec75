import Foundation
import Testing

/// `--native` on the command line: a compiler that fails leaves the search on the interpreter with a note and the
/// same verdicts; `dump --native` prints the generated C; a bad mode is a usage error.
@Suite struct NativeCLITests {
    /// Runs the binary with `CC` set to `compiler`.
    static func run(_ arguments: [String], compiler: String) throws -> CLITests.Run {
        try #require(FileManager.default.isExecutableFile(atPath: CLITests.binary.path), "build vfio-mc first")
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CC"] = compiler
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLITests.Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                            stderr: String(decoding: stderr, as: UTF8.self))
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
