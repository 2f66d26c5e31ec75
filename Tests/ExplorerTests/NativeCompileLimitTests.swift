@testable import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Testing
import TestSupport

/// The native compile obeys the run's limits: a compiler still running at the deadline, or when the run is
/// interrupted, is killed with every process it started, its temporary directory is removed, and the search stops
/// with the limit's stop reason, keeping the verdicts the interpreter found before. The compiler is a script that
/// never finishes (`SlowCompiler`), so every test here ends only because the limit worked; the time bounds are
/// guards against a hang, not measurements.
@Suite struct NativeCompileLimitTests {
    /// A model whose first level already decides something (the goal at depth 1) and whose search takes longer than
    /// one chunk (so `auto` with a low threshold compiles midway).
    static let model = """
        model limits
        type Dev = 0..2
        var a: [Dev] 0..9 = 0
        var b: 0..7 = 0
        action up(i: Dev) when a[i] < 9 { a[i] := a[i] + 1 }
        action spin when b < 7 { b := b + 1 }
        action reset when b == 7 { b := 0 }
        reachable Early: b == 1
        invariant Bounded: a[0] + a[1] + a[2] <= 27
        """

    /// The interpreter's verdicts on the whole state space.
    static func interpreterVerdicts(_ system: TransitionSystem) -> [String: Verdict] {
        let result = ExplicitExplorer(system: system, options: ExplorerOptions(), file: "test.vmc").check()
        return Dictionary(uniqueKeysWithValues: result.properties.map { ($0.name, $0.verdict) })
    }

    /// Every verdict `result` decided is the interpreter's.
    static func decidedAsTheInterpreter(_ result: CheckResult, _ interpreter: [String: Verdict]) -> Bool {
        result.properties.allSatisfy { $0.verdict == .unknown || interpreter[$0.name] == $0.verdict }
    }

    /// What the compile left: processes still running, temporary directories still present.
    static func leftovers(_ compiler: SlowCompiler) -> (processes: [Int32], directories: [String]) {
        let directories = compiler.outputs.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        return (compiler.survivors(), directories.filter { FileManager.default.fileExists(atPath: $0) })
    }

    /// Expects that the compile left no process running and no temporary directory.
    static func expectNothingLeft(_ compiler: SlowCompiler, sourceLocation: SourceLocation = #_sourceLocation) {
        let left = leftovers(compiler)
        #expect(left.processes.isEmpty, "still running: \(left.processes)", sourceLocation: sourceLocation)
        #expect(left.directories.isEmpty, "still present: \(left.directories)", sourceLocation: sourceLocation)
    }

    @Test func aStoppedBuildKillsTheCompilersGroupAndRemovesItsDirectory() throws {
        let system = try buildSystem(Self.model)
        let compiler = try SlowCompiler(name: "build")
        defer { compiler.remove() }
        // Stop once the script runs with its child, so that there is a group to kill and a directory to remove.
        let outcome = runWithDeadline(seconds: 120) { () -> StopReason?? in
            do {
                _ = try NativeLibrary.build(system, compiler: compiler.path,
                                            stop: { compiler.started ? .signal(name: "SIGINT") : nil })
                return .some(nil)
            } catch let failure as NativeLibrary.Failure {
                return .some(failure.stopReason)
            } catch {
                return nil
            }
        }
        let reason = try #require(outcome, "the build did not return after its stop")
        #expect(reason == .signal(name: "SIGINT"))
        #expect(compiler.processes.count == 2)
        #expect(compiler.outputs.count == 1)
        Self.expectNothingLeft(compiler)
    }

    @Test func aBuildAskedToStopBeforeCompilingRunsNoCompiler() throws {
        let system = try buildSystem(Self.model)
        let compiler = try SlowCompiler(name: "before")
        defer { compiler.remove() }
        #expect(throws: NativeLibrary.Failure.self) {
            try NativeLibrary.build(system, compiler: compiler.path, stop: { .timeLimit(seconds: 1) })
        }
        #expect(compiler.processes.isEmpty)
    }

    /// `--native on` at the deadline: the note says the compiler was stopped, the run stops with the time limit.
    @Test(arguments: [1, 2])
    func onStopsAtTheDeadline(threads: Int) throws {
        let system = try buildSystem(Self.model)
        let interpreter = Self.interpreterVerdicts(system)
        let compiler = try SlowCompiler(name: "on-\(threads)")
        defer { compiler.remove() }
        var options = ExplorerOptions()
        options.threads = threads
        options.native = .on
        options.nativeCompiler = compiler.path
        options.budget.timeoutSeconds = 1
        let settings = options
        let result = try #require(runWithDeadline(seconds: 120) {
            ExplicitExplorer(system: system, options: settings, file: "test.vmc").check()
        }, "the run did not end after its deadline")
        #expect(result.statistics.stopReason == .timeLimit(seconds: 1))
        #expect(result.statistics.notes.first == "native code off: \(compiler.path) stopped: time limit of 1 s reached",
                "\(result.statistics.notes)")
        #expect(Self.decidedAsTheInterpreter(result, interpreter))
        Self.expectNothingLeft(compiler)
    }

    /// `--native auto` switching midway (compiling in the foreground, so that the search is still running when the
    /// compiler starts), interrupted while it compiles: no note (auto falls back silently), the
    /// run stops with the signal, the verdicts found before are the interpreter's (the depth-1 goal among them).
    @Test(arguments: [1, 2])
    func autoInterruptedWhileCompiling(threads: Int) throws {
        let system = try buildSystem(Self.model)
        let interpreter = Self.interpreterVerdicts(system)
        let compiler = try SlowCompiler(name: "auto-\(threads)")
        defer { compiler.remove() }
        var options = ExplorerOptions()
        options.threads = threads
        options.native = .auto
        options.nativeStateThreshold = 2
        options.nativeCompileInForeground = true
        options.parallelChunksPerRound = 1
        options.nativeCompiler = compiler.path
        options.budget.interruption = { compiler.started ? .signal(name: "SIGINT") : nil }
        let settings = options
        let result = try #require(runWithDeadline(seconds: 120) {
            ExplicitExplorer(system: system, options: settings, file: "test.vmc").check()
        }, "the run did not end after the interruption")
        #expect(result.statistics.stopReason == .signal(name: "SIGINT"))
        #expect(!result.statistics.notes.contains { $0.hasPrefix("native code off") })
        #expect(compiler.outputs.count == 1, "the search compiled once")
        #expect(try result.property("Early").verdict == .reachable)
        #expect(Self.decidedAsTheInterpreter(result, interpreter))
        Self.expectNothingLeft(compiler)
    }
}
