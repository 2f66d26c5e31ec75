@testable import Explorer
import PackedSystem
import Synchronization
import Testing

/// The parallel search's thread pool runs every chunk of a phase exactly once, whichever assignment it uses (which
/// thread runs which chunk with more than one thread depends on timing, so it is not asserted); the per-thread
/// memory the workers write never shares a cache line pair with another allocation.
@Suite struct PhasePoolTests {
    static let model = """
        model pool
        var a: 0..3 = 0
        action inc when a < 3 { a := a + 1 }
        terminal a == 3
        """

    @Test(arguments: [ChunkAssignment.shared, .owned], [1, 2, 3])
    func everyChunkRunsOnce(assignment: ChunkAssignment, threads: Int) throws {
        let system = try buildSystem(Self.model)
        let workers = (0..<threads).map { _ in RoundWorker(system: system, symmetry: false, native: nil) }
        let pool = PhasePool(workers: workers)
        defer { pool.shutdown() }
        for count in [1, 2, 7, 64, 2048] {
            let runs = Mutex(Array(repeating: 0, count: count))
            // Several phases in a row, as a round runs them.
            for _ in 0..<3 {
                pool.run(count, assignment: assignment) { chunk, _ in runs.withLock { $0[chunk] += 1 } }
            }
            #expect(runs.withLock { $0 } == Array(repeating: 3, count: count))
        }
    }

    /// With one thread, `.owned` runs the chunks in order (the caller owns them all).
    @Test func oneThreadRunsOwnedChunksInOrder() throws {
        let system = try buildSystem(Self.model)
        let pool = PhasePool(workers: [RoundWorker(system: system, symmetry: false, native: nil)])
        defer { pool.shutdown() }
        let order = Mutex<[Int]>([])
        pool.run(10, assignment: .owned) { chunk, _ in order.withLock { $0.append(chunk) } }
        #expect(order.withLock { $0 } == Array(0..<10))
    }

    /// Per-thread buffers start on a 128-byte boundary and take whole 128-byte units, so two of them never share
    /// a line (nor an adjacent-line prefetch pair).
    @Test func threadOwnedMemoryTakesWholeLines() {
        var pointers: [UnsafeMutablePointer<UInt32>] = []
        for capacity in [0, 1, 5, 31, 32, 33, 1000] {
            let pointer: UnsafeMutablePointer<UInt32> = ThreadOwnedMemory.allocate(capacity: capacity)
            #expect(Int(bitPattern: pointer) % ThreadOwnedMemory.lineBytes == 0)
            // Writable up to the end of its last unit.
            let units = (max(1, capacity) * 4 + ThreadOwnedMemory.lineBytes - 1) / ThreadOwnedMemory.lineBytes
            pointer.initialize(repeating: 7, count: units * ThreadOwnedMemory.lineBytes / 4)
            pointers.append(pointer)
        }
        let copied = ThreadOwnedMemory.copy([1, 2, 3] as [Int64])
        #expect(Array(UnsafeBufferPointer(start: copied, count: 3)) == [1, 2, 3])
        ThreadOwnedMemory.deallocate(copied)
        for pointer in pointers { ThreadOwnedMemory.deallocate(pointer) }
    }
}
