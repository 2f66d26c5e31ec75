@testable import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Testing

/// `--native auto` switches a running one-thread search to the generated code once the store passes its threshold:
/// the results are those of the interpreter alone, and of native code from the start.
@Suite struct NativeSwitchTests {
    static let compilerAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [NativeLibrary.defaultCompiler, "--version"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(.enabled(if: compilerAvailable))
    func aSearchSwitchedMidwayGivesTheSameResults() throws {
        let system = try buildSystem("""
            model switch
            type Dev = 0..2
            var a: [Dev] 0..5 = 0
            var b: -4..4 = 0
            action up(i: Dev) when a[i] < 5 { a[i] := a[i] + 1 }
            action move(i: Dev) when a[i] >= 2 {
              choose x: -1..1 where x != 0 { b := b + x * a[i] }
            }
            action reset(i: Dev) when a[i] == 5 { a[i] := 0 }
            invariant Small: b < 4
            reachable Far: a[0] == 5 && a[1] == 5 && b == -3
            """)
        var options = ExplorerOptions()
        options.threads = 1
        let plain = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
        options.native = .auto
        options.nativeStateThreshold = 300
        let switched = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
        options.native = .on
        let native = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
        #expect(plain.statistics.states > 1000)
        for result in [switched, native] {
            #expect(result.properties == plain.properties)
            #expect(result.coverage == plain.coverage)
            #expect(result.statistics.states == plain.statistics.states)
            #expect(result.statistics.transitions == plain.statistics.transitions)
            #expect(result.statistics.notes == plain.statistics.notes)
        }
    }

    /// The parallel search runs the interpreter: `on` says so in the notes rather than doing nothing silently,
    /// `auto` (the command line's default) stays silent, and the results are those of one thread.
    @Test func theParallelSearchNotesThatItRanTheInterpreter() throws {
        let system = try buildSystem("""
            model parallelnote
            type Dev = 0..2
            var a: [Dev] 0..3 = 0
            action up(i: Dev) when a[i] < 3 { a[i] := a[i] + 1 }
            invariant Small: a[0] <= 3
            """)
        let note = "native successor generation is used by the one-thread search only; --threads 2 ran the interpreter"
        var options = ExplorerOptions()
        options.threads = 1
        let single = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
        options.threads = 2
        options.native = .on
        let parallelOn = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
        options.native = .auto
        let parallelAuto = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
        #expect(parallelOn.statistics.notes.contains(note))
        #expect(!parallelAuto.statistics.notes.contains(note))
        #expect(!single.statistics.notes.contains(note))
        #expect(parallelOn.properties == single.properties)
        #expect(parallelOn.statistics.states == single.statistics.states)
    }
}
