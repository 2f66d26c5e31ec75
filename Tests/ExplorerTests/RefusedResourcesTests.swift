@testable import Explorer
import ModelLanguage
import PackedSystem
import Synchronization
import Testing

/// What the search does when the system refuses it memory or threads (an address-space limit, `ulimit -v`, or
/// the kernel's overcommit limit): it stops with a reason, or runs on the threads it has, and never traps or
/// waits for a thread that does not exist. Refusals are asked for with a stack or a mapping beyond any address
/// space, or with the store's test limit (`ExplorerOptions.storeMappingLimit`), so they do not depend on the
/// machine.
@Suite struct RefusedResourcesTests {
    /// A stack or a mapping far beyond any address space.
    static let impossible = 1 << 60

    /// One-word states with parents that grow as a breadth-first search's do.
    static func fill(_ store: StateStore, upTo count: Int) -> Int {
        for index in 0..<count {
            let parent = index < 2 ? StateStore.noParent : UInt32(index / 3)
            guard store.insert([UInt64(index) &* 0x9E37_79B9_7F4A_7C15], parent: parent, action: 1) != nil else { return index }
        }
        return count
    }

    @Test func aRefusedGrowthLeavesTheStoreAsItWas() {
        let store = StateStore(wordCount: 1, actionCount: 4, initialCapacity: 16, mapping: StoreMapping(limit: 1 << 12))
        let stored = Self.fill(store, upTo: 100_000)
        #expect(stored == store.count)
        #expect(stored >= 16 && stored < 100_000)
        let capacity = store.capacity
        #expect(!store.reserve(states: capacity + 1))
        #expect(store.capacity == capacity)
        for index in 0..<stored {
            #expect(store.find([UInt64(index) &* 0x9E37_79B9_7F4A_7C15]) == index)
            if index >= 2 { #expect(store.parent(index) == UInt32(index / 3) && store.action(index) == 1) }
        }
        // A state already stored needs no room; a new one is refused again.
        #expect(store.insert([0], parent: StateStore.noParent, action: 0)?.inserted == false)
        #expect(store.insert([7], parent: 0, action: 0) == nil)
        #expect(store.count == stored)
    }

    /// The store's first arrays refused (before, `Fatal error: out of memory: cannot map N bytes`): the store starts
    /// with no room and grows at its first new state, as a full store grows; refused again, the insertion says so.
    @Test func aStoreWhoseFirstArraysAreRefusedStartsWithNoRoom() {
        let none = StateStore(wordCount: 1, actionCount: 4, mapping: StoreMapping(limit: 8))
        #expect(none.capacity == 0 && none.count == 0 && none.isFull)
        #expect(none.find([5]) == nil)
        #expect(none.insert([5], parent: StateStore.noParent, action: 0) == nil)
        #expect(!none.reserve(states: 1))
        #expect(none.count == 0)

        // 4,096 states' words (32 KiB) refused, 16 states' granted: the first growth gives room for 16.
        let small = StateStore(wordCount: 1, actionCount: 4, mapping: StoreMapping(limit: 200))
        #expect(small.capacity == 0)
        let stored = Self.fill(small, upTo: 100)
        #expect(stored == 16 && small.count == 16 && small.capacity == 16)
        for index in 0..<stored {
            #expect(small.find([UInt64(index) &* 0x9E37_79B9_7F4A_7C15]) == index)
            if index >= 2 { #expect(small.parent(index) == UInt32(index / 3) && small.action(index) == 1) }
        }
    }

    /// A search whose store gets no memory at all stops before its first state, with the reason, on one thread and
    /// on two.
    @Test(arguments: [1, 2])
    func theSearchStopsWhenTheStoreGetsNoMemory(threads: Int) throws {
        var options = ExplorerOptions()
        options.threads = threads
        options.storeMappingLimit = 8
        let result = try explore(ParallelTests.mixed, options: options)
        #expect(!result.statistics.complete)
        #expect(result.statistics.states == 0)
        guard case .outOfMemory = result.statistics.stopReason else {
            Issue.record("stopped for \(String(describing: result.statistics.stopReason))")
            return
        }
        #expect(try result.property("InRange").verdict == .unknown)
    }

    /// The same with the system's own refusal: room for 2^30 states of 2^17 words is 2^50 bytes, beyond the
    /// address space, whatever the overcommit policy.
    @Test func theSystemsRefusalLeavesTheStoreAsItWas() {
        let wordCount = 1 << 17
        let store = StateStore(wordCount: wordCount, actionCount: 4, initialCapacity: 16)
        var state = [UInt64](repeating: 0, count: wordCount)
        for index in 0..<20 {
            state[index] = 1
            #expect(store.insert(state, parent: index == 0 ? StateStore.noParent : 0, action: 0)?.index == index)
        }
        #expect(!store.reserve(states: 1 << 30))
        #expect(store.count == 20)
        state = [UInt64](repeating: 0, count: wordCount)
        for index in 0..<20 {
            state[index] = 1
            #expect(store.find(state) == index)
        }
    }

    /// A search whose store cannot grow stops with that reason, on one thread and on two (each round kind).
    @Test(arguments: [1, 2], ParallelTests.roundPatterns)
    func theSearchStopsWhenTheStoreCannotGrow(threads: Int, pattern: [RoundPacer.Mode]) throws {
        var options = ExplorerOptions()
        options.threads = threads
        options.roundModePattern = pattern
        options.storeMappingLimit = 40_000
        let result = try explore(ParallelTests.mixed, options: options)
        #expect(!result.statistics.complete)
        guard case .outOfMemory(let bytes) = result.statistics.stopReason else {
            Issue.record("stopped for \(String(describing: result.statistics.stopReason))")
            return
        }
        #expect(bytes > 40_000)
        #expect(result.statistics.stopReason?.description == "the system refused the memory to grow the state store to \(bytes) bytes")
        // The first growth (from 4,096 states, 32 KiB of words) is the one refused: the one-thread search stops
        // where a state limit of 4,096 stops it, with the same verdicts and traces; the parallel search before
        // the round that would need the room.
        #expect(result.statistics.states <= 4_096 && result.statistics.states > 0)
        #expect(try result.property("InRange").verdict == .unknown)
        if threads == 1 {
            var limited = ExplorerOptions()
            limited.budget.maxStates = 4_096
            let atLimit = try explore(ParallelTests.mixed, options: limited)
            #expect(result.statistics.states == 4_096)
            #expect(result.properties.count == atLimit.properties.count)
            for (refused, limited) in zip(result.properties, atLimit.properties) {
                #expect(refused.name == limited.name && refused.verdict == limited.verdict && refused.trace == limited.trace,
                        "\(refused.name)")
                if refused.verdict == .unknown { #expect(refused.note == result.statistics.stopReason?.description) }
            }
        }
    }

    /// Helper threads the system refuses: the search runs on the threads it has, with the same states,
    /// verdicts and traces, and says so.
    @Test func theSearchRunsOnTheThreadsItGets() throws {
        let one = try explore(ParallelTests.mixed)
        var options = ExplorerOptions()
        options.threads = 2
        options.roundModePattern = [.parallel]
        options.helperStackSize = Self.impossible
        let result = try explore(ParallelTests.mixed, options: options)
        ParallelTests.assertSameRun(result, one, threads: 1)
        #expect(result.statistics.notes.contains { $0.hasPrefix("ran on 1 of 2 threads: the system refused a thread (") },
                "\(result.statistics.notes)")
    }

    @Test func aPoolWithoutItsHelpersRunsEveryChunkOnTheCaller() throws {
        let system = try buildSystem(PhasePoolTests.model)
        let workers = (0..<3).map { _ in RoundWorker(system: system, symmetry: false, native: nil) }
        let pool = PhasePool(workers: workers, helperStackSize: Self.impossible)
        defer { pool.shutdown() }
        #expect(pool.threadCount == 1)
        #expect(pool.refusal?.hasPrefix("the system refused a thread") == true)
        for assignment in [ChunkAssignment.shared, .owned] {
            let order = Mutex<[Int]>([])
            pool.run(10, assignment: assignment) { chunk, _ in order.withLock { $0.append(chunk) } }
            #expect(order.withLock { $0 }.sorted() == Array(0..<10))
        }
    }

    /// A compile thread the system refuses: no compile, ended at once, and nothing to wait for.
    @Test func aRefusedCompileThreadEndsWithoutALibrary() throws {
        let system = try buildSystem(BackgroundCompileTests.model)
        let compile = BackgroundCompile(system, compiler: NativeLibrary.defaultCompiler, sourceLimit: NativeLibrary.autoSourceLimit,
                                        stackSize: Self.impossible, stop: { nil })
        #expect(compile.hasEnded)
        #expect(compile.sourceBytes == 0)
        #expect(!compile.start())
        #expect(!compile.started)
        compile.wait()
        compile.finish()
        #expect(compile.library() == nil)
        // The process's one-compile gate stays free: another compile can run.
        let other = BackgroundCompile(system, compiler: "/nonexistent/cc", sourceLimit: NativeLibrary.autoSourceLimit, stop: { nil })
        other.wait()
        #expect(other.hasEnded)
    }
}
