@testable import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Testing
import TestSupport

/// `--native auto`'s compile beside the search (`BackgroundCompile`): it compiles only when started, loads the
/// library it built, lets one compile of the process run at a time, and `finish()` leaves no compiler and no
/// temporary directory behind, whether the compiler was running or never started. The slow compiler never ends by
/// itself (`SlowCompiler`), so a test that waits for it ends only because `finish()` worked; the deadlines are
/// guards against a hang, not measurements.
@Suite struct BackgroundCompileTests {
    static let model = NativeCompileLimitTests.model

    /// Polls `condition` every 10 ms for at most `seconds`.
    static func eventually(seconds: Double = 60, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    @Test(.enabled(if: NativeSwitchTests.compilerAvailable))
    func aStartedCompileLoadsTheLibrary() throws {
        let system = try buildSystem(Self.model)
        let compile = BackgroundCompile(system, compiler: NativeLibrary.defaultCompiler, sourceLimit: NativeLibrary.autoSourceLimit,
                                        stop: { nil })
        #expect(Self.eventually { compile.sourceBytes != nil })
        #expect((compile.sourceBytes ?? 0) > 0)
        #expect(!compile.hasEnded, "nothing compiles before start()")
        compile.start(waiting: true)
        #expect(Self.eventually { compile.hasEnded })
        #expect(compile.library() != nil)
        compile.finish()
        #expect(compile.library() != nil, "finish() after the end keeps the library")
    }

    @Test func finishKillsARunningCompiler() throws {
        let system = try buildSystem(Self.model)
        let compiler = try SlowCompiler(name: "background-running")
        defer { compiler.remove() }
        let compile = BackgroundCompile(system, compiler: compiler.path, sourceLimit: NativeLibrary.autoSourceLimit, stop: { nil })
        compile.start(waiting: true)
        #expect(Self.eventually { compiler.started }, "the compiler did not start")
        #expect(!compile.hasEnded)
        let finished = runWithDeadline(seconds: 120) { compile.finish(); return true }
        #expect(finished == true, "finish() did not return")
        #expect(compile.hasEnded)
        #expect(compile.library() == nil)
        #expect(compiler.outputs.count == 1)
        NativeCompileLimitTests.expectNothingLeft(compiler)
    }

    @Test func finishBeforeStartRunsNoCompiler() throws {
        let system = try buildSystem(Self.model)
        let compiler = try SlowCompiler(name: "background-unstarted")
        defer { compiler.remove() }
        let compile = BackgroundCompile(system, compiler: compiler.path, sourceLimit: NativeLibrary.autoSourceLimit, stop: { nil })
        compile.finish()
        #expect(compile.hasEnded)
        #expect(!compile.started)
        #expect(compile.library() == nil)
        #expect(compiler.processes.isEmpty)
    }

    /// While one compile of the process runs, another is not let start; once the first ends, it is.
    @Test func oneCompileAtATime() throws {
        let system = try buildSystem(Self.model)
        let compiler = try SlowCompiler(name: "background-gate")
        defer { compiler.remove() }
        let first = BackgroundCompile(system, compiler: compiler.path, sourceLimit: NativeLibrary.autoSourceLimit, stop: { nil })
        let second = BackgroundCompile(system, compiler: compiler.path, sourceLimit: NativeLibrary.autoSourceLimit, stop: { nil })
        first.start(waiting: true)
        #expect(Self.eventually { compiler.started })
        #expect(!second.start(), "a second compile started beside the first")
        #expect(!second.started)
        first.finish()
        // Another test's compile may take the gate in between: wait for it rather than fail.
        let started = runWithDeadline(seconds: 120) { second.start(waiting: true) }
        #expect(started == true)
        #expect(Self.eventually { compiler.processes.count == 4 }, "the second compiler did not start")
        second.finish()
        NativeCompileLimitTests.expectNothingLeft(compiler)
    }

    /// A stop the run's limits give kills the compiler too (the search's next poll then stops with that reason).
    @Test func theRunsLimitsStopTheCompiler() throws {
        let system = try buildSystem(Self.model)
        let compiler = try SlowCompiler(name: "background-limit")
        defer { compiler.remove() }
        let compile = BackgroundCompile(system, compiler: compiler.path, sourceLimit: NativeLibrary.autoSourceLimit,
                                        stop: { compiler.started ? .signal(name: "SIGTERM") : nil })
        compile.start(waiting: true)
        #expect(Self.eventually { compile.hasEnded }, "the compile did not stop")
        #expect(compile.library() == nil)
        compile.finish()
        NativeCompileLimitTests.expectNothingLeft(compiler)
    }
}
