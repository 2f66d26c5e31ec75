import Foundation
import Testing

/// Runs the built `vfio-mc` binary and checks exit codes and outputs.
@Suite struct CLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var binary: URL {
        // The test bundle lives in the build products directory, beside the executable.
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return products.appendingPathComponent("vfio-mc")
    }

    /// Runs `executable` (the built binary unless another is given, such as a shell that starts it) with
    /// `arguments`, and with `environment` added to this process's.
    static func run(_ arguments: [String], executable: URL = binary, environment: [String: String] = [:]) throws -> Run {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build vfio-mc first: \(binary.path)")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The path of a model in the repository's Models/.
    static func repositoryModel(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/\(name)").path
    }

    static func write(_ text: String, name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vfio-mc-cli-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let path = file.path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `check --json ARGUMENTS PATH`, expected to exit 0: the document's first model.
    static func checkedModel(_ arguments: [String], path: String) throws -> [String: Any] {
        let run = try run(["check", "--json"] + arguments + [path])
        #expect(run.status == 0, "\(arguments): \(run.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let models = try #require(document?["models"] as? [[String: Any]])
        return try #require(models.first)
    }

    static let passing = """
        model passing
        const MAX = 3
        var n: 0..MAX = 0
        action inc when n < MAX { n := n + 1 }
        invariant Bounded: n <= MAX
        reachable Top: n == MAX
        terminal n == MAX
        """

    @Test func metExpectationsExitZero() throws {
        let path = try Self.write(Self.passing, name: "passing.vmc")
        let run = try Self.run(["check", path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Bounded"))
        #expect(run.stdout.contains("4 states"))
    }

    @Test func missedExpectationExitsOne() throws {
        let path = try Self.write(Self.passing + "\nexpect Bounded violated\n", name: "missed.vmc")
        let run = try Self.run(["check", path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("FAIL"))
    }

    @Test func counterexampleListsNumberedStepsWithChangedCellsOnly() throws {
        let path = try Self.write("""
            model pair
            var a: 0..2 = 0
            var b: bool = false
            action incA when a < 2 { a := a + 1 }
            action setB { b := true }
            invariant Never: !(a == 2 && b)
            terminal true
            expect Never violated
            """, name: "pair.vmc")
        let run = try Self.run(["check", path])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Counterexample for Never (invariant, 3 steps):"))
        #expect(run.stdout.contains("  0. initial state\n       a = 0\n       b = false\n  1. incA\n       a = 1\n  2. incA\n       a = 2\n  3. setB\n       b = true"))
    }

    @Test func modelErrorsExitTwoWithPositions() throws {
        let path = try Self.write("model broken\nvar x: 0..3 = 0\naction a { x := y }\n", name: "broken.vmc")
        let run = try Self.run(["check", path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("broken.vmc:3:17: error: unknown name 'y'"))
        #expect(run.stderr.contains("action a { x := y }\n                ^"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try Self.run(["check"]).status == 2)
        #expect(try Self.run(["check", "--frobnicate", "x.vmc"]).status == 2)
        #expect(try Self.run(["check", "--max-memory", "lots", "x.vmc"]).status == 2)
        #expect(try Self.run(["check", "--const", "N", "x.vmc"]).status == 2)
        #expect(try Self.run(["no-such-command"]).status == 2)
        let missing = try Self.run(["check", "/nonexistent/model.vmc"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/model.vmc: no such file or directory"))
    }

    /// A negative number is the option's value, not an unknown option: the option's own check says what is wrong
    /// (argument-parser alone would report "Missing value" for `--timeout -1`).
    @Test func negativeNumbersGetTheOptionsOwnMessage() throws {
        let cases: [([String], String)] = [
            (["check", "--timeout", "-1"], "--timeout must be a positive number of seconds"),
            (["check", "--max-states", "-5"], "--max-states must be at least 1"),
            (["check", "--threads", "-2"], "--threads must be between 1 and 256"),
            (["check", "--smt-depth", "-1"], "--smt-depth must be at least 0"),
            (["check", "--pdr-query-timeout", "-3"], "--pdr-query-timeout must be a positive number of seconds"),
            (["replay", "--max-steps", "-3", "x.log"], "--max-steps must be at least 1"),
        ]
        for (arguments, message) in cases {
            let run = try Self.run(arguments + ["x.vmc"])
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
        // A value that is another option is still refused, by name.
        let swallowed = try Self.run(["check", "--timeout", "--json", "x.vmc"])
        #expect(swallowed.status == 2)
        #expect(swallowed.stderr.contains("The value '--json' is invalid for '--timeout <SECONDS>'"))
    }

    @Test func budgetExhaustionExitsThree() throws {
        let path = try Self.write(Self.passing, name: "budget.vmc")
        let run = try Self.run(["check", "--max-states", "2", path])
        #expect(run.status == 3)
        #expect(run.stdout.contains("search stopped early: state limit of 2 reached"))
        #expect(run.stdout.contains("UNKNOWN"))
    }

    @Test func timeAndMemoryBudgetsExitThree() throws {
        let path = try Self.write("""
            model big
            var a: 0..299 = 0
            var b: 0..299 = 0
            action incA when a < 299 { a := a + 1 }
            action incB when b < 299 { b := b + 1 }
            invariant Fine: a + b <= 598
            terminal a == 299 && b == 299
            """, name: "big.vmc")
        let timed = try Self.run(["check", "--timeout", "0.000001", path])
        #expect(timed.status == 3)
        #expect(timed.stdout.contains("search stopped early: time limit of 1e-06 s reached"))
        // --max-memory bounds the whole process, so a limit below what it holds at start is a usage error; the
        // search's own stop before growing past the limit is tested in ExplorerTests and CommandBudgetTests.
        let memory = try Self.run(["check", "--max-memory", "64K", path])
        #expect(memory.status == 2)
        #expect(memory.stderr.contains("--max-memory 64K is below the"))
        #expect(try Self.run(["check", path]).status == 0)
    }

    @Test func constantsAreOverridable() throws {
        let path = try Self.write(Self.passing, name: "consts.vmc")
        let run = try Self.run(["check", "--const", "MAX=7", path])
        #expect(run.status == 0)
        #expect(run.stdout.contains("8 states"))
        let unknown = try Self.run(["check", "--const", "NOPE=1", path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--const NOPE: the model has no constant named 'NOPE'"))
    }

    @Test func jsonDocumentHasTheDocumentedFields() throws {
        let path = try Self.write(Self.passing + "\ninvariant Small: n < 2\nexpect Small violated\n", name: "json.vmc")
        let run = try Self.run(["check", "--json", path])
        #expect(run.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let models = try #require(document["models"] as? [[String: Any]])
        let model = try #require(models.first)
        for key in ["file", "states", "transitions", "depth", "seconds", "statesPerSecond", "bytesPerState", "peakMemoryBytes", "properties"] {
            #expect(model[key] != nil, "missing \(key)")
        }
        #expect(model["states"] as? Int == 4)
        let properties = try #require(model["properties"] as? [[String: Any]])
        let small = try #require(properties.first { $0["name"] as? String == "Small" })
        #expect(small["kind"] as? String == "invariant")
        #expect(small["expected"] as? String == "violated")
        #expect(small["verdict"] as? String == "violated")
        let trace = try #require(small["trace"] as? [String: Any])
        let steps = try #require(trace["steps"] as? [[String: Any]])
        #expect(steps.count == 3)
        #expect(steps[1]["action"] as? String == "inc")
        #expect((steps[2]["state"] as? [String: Any])?["n"] as? Int == 2)
    }

    @Test func directoriesAreSearchedRecursively() throws {
        let first = try Self.write(Self.passing, name: "dir/a.vmc")
        _ = try Self.write(Self.passing, name: "dir/sub/b.vmc")
        _ = try Self.write("not a model", name: "dir/sub/ignored.txt")
        let directory = URL(fileURLWithPath: first).deletingLastPathComponent().path
        let run = try Self.run(["check", directory])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("2 models: 2 met every expectation"))
    }

    @Test func dumpShowsLayoutAndGroundActions() throws {
        let path = try Self.write("""
            model layout
            type S = enum { A, B, C }
            var s: [0..1] S = A
            var flag: bool = false
            action go(i: 0..1) when s[i] == A { s[i] := B }
            """, name: "layout.vmc")
        let run = try Self.run(["dump", path])
        #expect(run.status == 0)
        #expect(run.stdout.contains("model layout: 1 word per state, 5 bits used"))
        #expect(run.stdout.contains("s[0]  0     0       2      S"))
        #expect(run.stdout.contains("s[1]  0     2       2      S"))
        #expect(run.stdout.contains("flag  0     4       1      bool"))
        #expect(run.stdout.contains("go(0)"))
        #expect(run.stdout.contains("go(1)"))
    }

    @Test func junitFileIsWritten() throws {
        let path = try Self.write(Self.passing, name: "junit.vmc")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("vfio-mc-junit-\(getpid()).xml").path
        let run = try Self.run(["check", "--junit", output, path])
        #expect(run.status == 0)
        let xml = try String(contentsOfFile: output, encoding: .utf8)
        #expect(xml.hasPrefix("<?xml"))
    }

    @Test func pathsPrintsOneLinePerFlagSetAndPair() throws {
        let path = try Self.write("""
            model resolver
            type S = enum { A, B, C }
            var direct: bool in { false, true }
            // Without `direct`, A -> C goes through B; C -> A is refused.
            def resolve(c: S, r: S): S = if c == A && r == C && !direct then B else r
            def einval(c: S, r: S): bool = c == C && r == A
            action idle when false { direct := direct }
            terminal true
            """, name: "paths.vmc")
        let run = try Self.run(["paths", path])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 18)
        #expect(lines.contains("direct=false A -> C: A -> B -> C"))
        #expect(lines.contains("direct=true A -> C: A -> C"))
        #expect(lines.contains("direct=false C -> A: EINVAL"))
        #expect(lines.contains("direct=true B -> B: B"))
        let missing = try Self.run(["paths", "--next", "nope", path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("the model has no definition named 'nope'"))
    }

    @Test func reviewCommandsReportBadInputWithExitTwo() throws {
        let path = try Self.write(Self.passing, name: "review.vmc")
        let same = try Self.run(["diff", path, path])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        let log = try Self.write("this is not an event\n", name: "bad.log")
        let replay = try Self.run(["replay", path, log])
        #expect(replay.status == 2)
        #expect(replay.stderr.contains("bad.log:1"))
        #expect(try Self.run(["export", "--format", "svg", path]).status == 2)
        // A model without a device state variable has no automaton to export.
        let exported = try Self.run(["export", "--format", "dot", path])
        #expect(exported.status == 2)
        #expect(exported.stderr.contains("no device state variable found"))
    }

    @Test func rvDotExportOfTheDeviceAutomaton() throws {
        let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/v2-device.vmc").path
        let run = try Self.run(["export", "--format", "rv-dot", models])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("digraph state_automaton {"))
    }
}
