import Foundation
import Testing

/// What CI must be able to trust: failures are visible, with the file named, and never exit 0.
@Suite struct FailureTests {
    /// Runs the binary with standard output sent to `output` and standard input read from `input`.
    static func run(_ arguments: [String], output: String? = nil, input: String? = nil) throws -> CLITests.Run {
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        if let output {
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        } else {
            process.standardOutput = out
        }
        process.standardError = err
        let inputPipe = Pipe()
        if input != nil { process.standardInput = inputPipe }
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        let stdout = output == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLITests.Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func aFailedWriteToStandardOutputExitsTwo() throws {
        let path = try CLITests.write(CLITests.passing, name: "full.vmc")
        for arguments in [["check", "--json", path], ["check", path], ["dump", path], ["export", "--format", "promela", path]] {
            let run = try Self.run(arguments, output: "/dev/full")
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("cannot write to standard output: No space left on device"), "\(arguments)")
        }
    }

    @Test func noArgumentsPrintsHelpAndExitsTwo() throws {
        let run = try CLITests.run([])
        #expect(run.status == 2)
        #expect(run.stderr.contains("USAGE: vfio-mc <subcommand>"))
        #expect(run.stdout.isEmpty)
    }

    @Test func versionIsPrinted() throws {
        let run = try CLITests.run(["--version"])
        #expect(run.status == 0)
        #expect(!run.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func jsonModeUsageErrorsStillPrintAJSONDocument() throws {
        let path = try CLITests.write(CLITests.passing, name: "present.vmc")
        for arguments in [["check", "--json", path, "/nonexistent/x.vmc"], ["check", "--json", "--threads", "0", path]] {
            let run = try CLITests.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            let errors = try #require(document?["errors"] as? [[String: Any]], "\(arguments): \(run.stdout)")
            #expect(errors.count == 1)
            #expect(run.stderr.lowercased().contains("error"))
        }
    }

    @Test func aBadConstValueIsNotFollowedByInventedErrors() throws {
        let model = """
            model sized
            const N = 3
            type Dev = 0..N-1
            var d: Dev = 0
            action step when d < N - 1 { d := d + 1 }
            """
        let path = try CLITests.write(model, name: "sized.vmc")
        let wrongType = try CLITests.run(["check", "--const", "N=true", path])
        #expect(wrongType.status == 2)
        #expect(wrongType.stderr.contains("--const N=true: 'N' is integer, not bool"))
        #expect(!wrongType.stderr.contains("unknown name"))
        let empty = try CLITests.run(["check", "--const", "N=0", path])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("empty range 0..-1"))
        #expect(empty.stderr.contains("with --const N=0; the model checks without it"))
        #expect(empty.stderr.components(separatedBy: "error:").count == 2, "one error only: \(empty.stderr)")
    }

    @Test func unreadableInputsAreNamedInWords() throws {
        let directory = try CLITests.write("", name: "emptydir/placeholder.txt")
        let emptyDirectory = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        let noModels = try CLITests.run(["check", emptyDirectory])
        #expect(noModels.status == 2)
        #expect(noModels.stderr.contains("\(emptyDirectory): no *.vmc models found"))
        let device = try CLITests.run(["dump", "/dev/zero"])
        #expect(device.status == 2)
        #expect(device.stderr.contains("/dev/zero: larger than"))
        let isDirectory = try CLITests.run(["dump", emptyDirectory])
        #expect(isDirectory.status == 2)
        #expect(isDirectory.stderr.contains("is a directory"))
        let log = try CLITests.write("\u{FF}\u{FE}", name: "bad.log")
        try Data([0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: log))
        let model = try CLITests.write(CLITests.passing, name: "log-model.vmc")
        let replay = try CLITests.run(["replay", model, log])
        #expect(replay.status == 2)
        #expect(replay.stderr.contains("\(log): not UTF-8 text"), "\(replay.stderr)")
    }

    @Test func aModelCanBeReadFromStandardInput() throws {
        let run = try Self.run(["check", "-"], input: CLITests.passing)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("model passing"))
    }

    @Test func anUnwritableJUnitFileIsAnErrorNamingIt() throws {
        let path = try CLITests.write(CLITests.passing, name: "junit-model.vmc")
        let blocker = try CLITests.write("a file, not a directory", name: "blocker")
        let run = try CLITests.run(["check", "--junit", blocker + "/out.xml", path])
        #expect(run.status == 2)
        #expect(run.stderr.contains(blocker), "\(run.stderr)")
    }

    @Test func pathsRejectDefinitionsOfTheWrongType() throws {
        let model = CLITests.repositoryModel("v2-device.vmc")
        let swapped = try CLITests.run(["paths", "--fails", "resolve", model])
        #expect(swapped.status == 2)
        #expect(swapped.stderr.contains("'resolve' must return a bool"))
        #expect(swapped.stdout.isEmpty)
        let next = try CLITests.run(["paths", "--next", "einval", model])
        #expect(next.status == 2)
        #expect(next.stderr.contains("'einval' must return a St"))
    }

    @Test func outputGoesToAFileOrNowhere() throws {
        let path = try CLITests.write(CLITests.passing, name: "output-model.vmc")
        let target = try CLITests.write("old contents\n", name: "output/result.txt")
        let written = try CLITests.run(["check", "-o", target, path])
        #expect(written.status == 0)
        #expect(written.stdout.isEmpty)
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("model passing"))
        let directory = URL(fileURLWithPath: target).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["result.txt"])
        let quiet = try CLITests.run(["check", "-q", path])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty)
        let failing = try CLITests.write(CLITests.passing.replacingOccurrences(of: "invariant Bounded: n <= MAX", with: "invariant Bounded: n < MAX"),
                                         name: "output-failing.vmc")
        #expect(try CLITests.run(["check", "-q", failing]).status == 1)
        let nowhere = try CLITests.run(["dump", "-o", "/nonexistent-dir/x.txt", path])
        #expect(nowhere.status == 2)
        #expect(nowhere.stderr.contains("/nonexistent-dir/x.txt: cannot create a file beside it"))
    }
}
