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

    /// The parallel search's workers run the generated code too: from the start under `on`, from the round after
    /// the threshold under `auto` (a switch midway). The results are those of the one-thread search without native
    /// code, on models with failing actions (handed back to the interpreter), choices, deadlocks and symmetry, and
    /// no note is added.
    @Test(.enabled(if: compilerAvailable), arguments: [2, 3])
    func theParallelSearchRunsNativeCodeWithTheSameResults(threads: Int) throws {
        for model in ParallelTests.models + [ParallelTests.mixed] {
            let system = try buildSystem(model)
            var options = ExplorerOptions()
            options.threads = 1
            let single = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
            options.threads = threads
            for (mode, chunksPerRound) in [(NativeMode.on, 3), (.auto, 1), (.auto, 64)] {
                options.native = mode
                options.nativeStateThreshold = 300
                options.parallelChunksPerRound = chunksPerRound
                let explorer = ExplicitExplorer(system: system, options: options, file: "test.vmc")
                let parallel = explorer.check()
                ParallelTests.assertSameRun(parallel, single, threads: threads)
                #expect(parallel.coverage == single.coverage)
                #expect(parallel.statistics.notes == single.statistics.notes)
                // `auto` compiles only once 300 states are stored: the smallest models never get there.
                #expect((explorer.nativeLibrary != nil) == (mode == .on || single.statistics.states >= 300),
                        "\(mode) with \(single.statistics.states) states")
            }
        }
    }
}
