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
        options.nativeCompileInForeground = true
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
                options.nativeCompileInForeground = true
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

    /// `--native auto` as the command line runs it: the compile beside the search, the switch at whatever chunk
    /// (or round) follows its end, if it ends before the search does. The results are the interpreter's either
    /// way, on one thread and two (`BackgroundCompileTests` checks that a compile stopped midway leaves nothing).
    @Test(.enabled(if: compilerAvailable), arguments: [1, 2])
    func aSearchCompilingBesideItGivesTheSameResults(threads: Int) throws {
        for model in ParallelTests.models + [ParallelTests.mixed] {
            let system = try buildSystem(model)
            var options = ExplorerOptions()
            options.threads = 1
            let plain = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
            options.threads = threads
            options.native = .auto
            options.nativeStateThreshold = 50
            options.nativeCompileAfterSeconds = 0
            options.parallelChunksPerRound = 1
            options.chunkStates = 16
            let result = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
            ParallelTests.assertSameRun(result, plain, threads: threads)
            #expect(result.coverage == plain.coverage)
            #expect(result.statistics.notes == plain.statistics.notes)
        }
    }

    /// A search long enough that the compile beside it ends well before it does (a debug build's search took about
    /// 0.6 s on one thread and on two, the compile about a tenth of a second): it switches, and its results are the
    /// interpreter's.
    @Test(.enabled(if: compilerAvailable), arguments: [1, 2])
    func aLongerSearchSwitchesToTheCompileBesideIt(threads: Int) throws {
        let system = try buildSystem("""
            model long
            type Dev = 0..3
            var a: [Dev] 0..11 = 0
            var b: 0..7 = 0
            action up(i: Dev) when a[i] < 11 { a[i] := a[i] + 1 }
            action down(i: Dev) when a[i] > 0 && b > 0 { a[i] := a[i] - 1 }
            action spin when b < 7 { b := b + 1 }
            action reset when b == 7 { b := 0 }
            invariant Bounded: a[0] + a[1] + a[2] + a[3] <= 44
            reachable Full: a[0] == 11 && a[1] == 11 && a[2] == 11 && a[3] == 11 && b == 7
            """)
        var options = ExplorerOptions()
        options.threads = 1
        let plain = ExplicitExplorer(system: system, options: options, file: "test.vmc").check()
        #expect(plain.statistics.states == 165_888)
        options.threads = threads
        options.native = .auto
        options.nativeStateThreshold = 100
        options.nativeCompileAfterSeconds = 0
        options.chunkStates = 64
        options.parallelChunksPerRound = 2
        let explorer = ExplicitExplorer(system: system, options: options, file: "test.vmc")
        let result = explorer.check()
        ParallelTests.assertSameRun(result, plain, threads: threads)
        #expect(result.coverage == plain.coverage)
        #expect(result.statistics.notes == plain.statistics.notes)
        #expect(explorer.nativeLibrary != nil, "the search ended before the compile beside it (\(result.statistics.seconds) s)")
    }
}
