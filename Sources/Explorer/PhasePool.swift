import CExplorerSupport
import Dispatch
import Foundation
import ModelLanguage

/// How a phase's chunks are shared among the pool's threads.
enum ChunkAssignment {
    /// Each thread takes the next chunk from one shared counter.
    case shared
    /// Thread `w` of `T` owns the contiguous block `w * n / T ..< (w + 1) * n / T` of a phase's `n` chunks, in
    /// every phase and every round: it runs them first, in order, then helps with the others' chunks not started
    /// yet. A chunk's buffers (its successor batch, about 240 KB on deep, and its claim arrays) are then written
    /// and read by one core from round to round. With the next chunk from a shared counter, half the chunks change
    /// threads every round, and every line of their buffers is fetched from the other core's cache, which costs
    /// most when the host places the two virtual CPUs on different core complexes (Benchmarks/README.md, "Two
    /// threads and the host"). Blocks rather than every `T`-th chunk (the assignment until 2026-12-07): a
    /// chunk's neighbours, which share most of its successors on a deep, narrow model, are expanded on the same
    /// core just before it, so that the expansion can drop the successors they already hold
    /// (`NeighbourRepeats`).
    case owned
}

/// The threads of one parallel search: the calling thread and `workers.count - 1` helper threads that live as
/// long as the pool, waiting between phases by spinning, then asleep.
///
/// Why not `DispatchQueue.concurrentPerform` per phase: the deep, narrow benchmark (deep K=70, 280 levels) runs
/// about 700 rounds of four phases, and each `concurrentPerform` wakes a sleeping pool thread (a futex wake, and
/// on a virtual machine an idle virtual CPU's wake-up) and puts it back to sleep: tens of microseconds per phase
/// in which one core waits. A helper that spins for a while after each phase starts the next at once; one that
/// spun long enough (the store's growth, the end of a level's merge under load) sleeps on a semaphore, so an
/// idle search does not hold a core.
///
/// Protocol: `run` publishes the phase (body, chunk count, chunk counter reset) and raises `generation`
/// (sequentially consistent), then wakes every helper whose `sleeping` flag it clears. A helper sets its flag
/// before it sleeps and looks at `generation` again: either it sees the new phase, or `run` sees its flag.
/// Exactly one of the two clears the flag (an exchange), and only `run`'s clear signals the semaphore, so every
/// signal is waited for. Helpers count themselves `finished`; `run` returns when all have (acquire), which
/// orders every phase's writes before the caller's next step, as `concurrentPerform` did. The caller waits for
/// them the same way: it spins, then sets its own flag and sleeps until the last helper to finish clears it.
/// (Spinning alone would hold a core while a helper waits for one: with more threads than cores, as in the
/// tests, or on a loaded machine.)
final class PhasePool: @unchecked Sendable {
    private let workers: [RoundWorker]
    /// The helper threads started (`workers.count - 1` unless the system refused some).
    private var helpers: Int
    /// 64-bit atomics, each on its own 128-byte stretch: the phase's generation, finished helpers, the next chunk,
    /// the stop flag, then one sleeping flag per helper.
    private let cells: UnsafeMutablePointer<Int64>
    private let semaphores: [DispatchSemaphore]
    private let callerSemaphore = DispatchSemaphore(value: 0)
    private let exited = DispatchGroup()
    private var body: (Int, RoundWorker) -> Void = { _, _ in }
    private var count = 0
    private var assignment = ChunkAssignment.shared

    private static let stride = 16
    private var generation: UnsafeMutablePointer<Int64> { cells }
    private var finished: UnsafeMutablePointer<Int64> { cells + Self.stride }
    private var next: UnsafeMutablePointer<Int64> { cells + 2 * Self.stride }
    private var stop: UnsafeMutablePointer<Int64> { cells + 3 * Self.stride }
    private var callerSleeping: UnsafeMutablePointer<Int64> { cells + 4 * Self.stride }
    private func sleeping(_ helper: Int) -> UnsafeMutablePointer<Int64> { cells + (5 + helper) * Self.stride }
    /// Per thread, in an `.owned` phase: the next of its chunks to start (taken by it, then by the others).
    private func ownedNext(_ worker: Int) -> UnsafeMutablePointer<Int64> { cells + (5 + max(0, workers.count - 1) + worker) * Self.stride }

    /// Pauses a helper spins through before it sleeps: about 50 to 100 microseconds, longer than the serial
    /// steps between two phases of a round, far shorter than a growth of the store.
    static let spinsBeforeSleep = 2_000

    /// The stack of each helper thread.
    static let helperStackSize = 1 << 20

    /// Starts up to `workers.count - 1` helper threads (with stacks of `helperStackSize` bytes); worker 0 is the
    /// caller's. When the system refuses a thread the pool keeps those it has: `threadCount` says how many run the
    /// phases and `refusal` why there are not more. The work is the same on any number of threads (an owned
    /// chunk without its thread is taken by the others), and so are the results.
    init(workers: [RoundWorker], helperStackSize: Int = helperStackSize) {
        self.workers = workers
        let wanted = max(0, workers.count - 1)
        let cellCount = (5 + wanted + workers.count) * Self.stride
        cells = .allocate(capacity: cellCount)
        cells.initialize(repeating: 0, count: cellCount)
        semaphores = (0..<wanted).map { _ in DispatchSemaphore(value: 0) }
        helpers = 0
        for helper in 0..<wanted {
            exited.enter()
            if let refused = ThreadLauncher.start(stackSize: helperStackSize, { [self] in
                serve(helper: helper)
                exited.leave()
            }) {
                exited.leave()
                refusal = refused
                break
            }
            helpers += 1
        }
    }

    /// The threads that run the phases: the caller's and the helpers that started.
    var threadCount: Int { helpers + 1 }
    /// Why the system refused a helper thread, when it did.
    private(set) var refusal: String?

    deinit { cells.deallocate() }

    /// Runs `body` on chunks `0..<count` on every thread, assigned as `assignment` says. Returns when every
    /// chunk is done.
    func run(_ count: Int, assignment: ChunkAssignment = .shared, _ body: @escaping (Int, RoundWorker) -> Void) {
        guard count > 0 else { return }
        if assignment == .owned {
            for worker in workers.indices { vmc_store_relaxed_i64(ownedNext(worker), 0) }
        }
        self.body = body
        self.count = count
        self.assignment = assignment
        vmc_store_relaxed_i64(next, 0)
        vmc_store_relaxed_i64(finished, 0)
        _ = vmc_fetch_add_seq_cst_i64(generation, 1)
        wakeSleepers()
        runChunks(worker: 0)
        var spins = 0
        while vmc_load_acquire_i64(finished) < Int64(helpers) {
            spins += 1
            if spins < Self.spinsBeforeSleep {
                vmc_pause()
                continue
            }
            vmc_store_seq_cst_i64(callerSleeping, 1)
            if vmc_load_acquire_i64(finished) == Int64(helpers) {
                // The last helper finished meanwhile: take the flag back, unless it took it and signals.
                if vmc_exchange_i64(callerSleeping, 0) == 0 { callerSemaphore.wait() }
                break
            }
            callerSemaphore.wait()
            spins = 0
        }
    }

    /// Ends the helper threads and waits for them. The pool cannot run phases afterwards.
    func shutdown() {
        vmc_store_seq_cst_i64(stop, 1)
        _ = vmc_fetch_add_seq_cst_i64(generation, 1)
        wakeSleepers()
        exited.wait()
    }

    private func wakeSleepers() {
        for helper in 0..<helpers where vmc_exchange_i64(sleeping(helper), 0) == 1 { semaphores[helper].signal() }
    }

    private func runChunks(worker index: Int) {
        let body = self.body
        let count = self.count
        let worker = workers[index]
        if assignment == .owned {
            // Its own block first, in order, then whatever the others have not started yet.
            let threads = workers.count
            for offset in 0..<threads {
                let owner = (index + offset) % threads
                let start = owner * count / threads
                let end = (owner + 1) * count / threads
                var chunk = start + Int(vmc_fetch_add_i64(ownedNext(owner), 1))
                while chunk < end {
                    body(chunk, worker)
                    chunk = start + Int(vmc_fetch_add_i64(ownedNext(owner), 1))
                }
            }
            return
        }
        var chunk = Int(vmc_fetch_add_i64(next, 1))
        while chunk < count {
            body(chunk, worker)
            chunk = Int(vmc_fetch_add_i64(next, 1))
        }
    }

    /// A helper's life: wait for a phase, run its chunks, count itself finished; until `shutdown`.
    private func serve(helper: Int) {
        var seen: Int64 = 0
        while true {
            var spins = 0
            while vmc_load_acquire_i64(generation) == seen {
                spins += 1
                if spins < Self.spinsBeforeSleep {
                    vmc_pause()
                    continue
                }
                vmc_store_seq_cst_i64(sleeping(helper), 1)
                if vmc_load_acquire_i64(generation) != seen {
                    // A phase started meanwhile: take the flag back, unless `run` took it and signals.
                    if vmc_exchange_i64(sleeping(helper), 0) == 0 { semaphores[helper].wait() }
                    break
                }
                semaphores[helper].wait()
                spins = 0
            }
            seen = vmc_load_acquire_i64(generation)
            if vmc_load_acquire_i64(stop) != 0 { return }
            runChunks(worker: helper + 1)
            if vmc_fetch_add_seq_cst_i64(finished, 1) == Int64(helpers - 1), vmc_exchange_i64(callerSleeping, 0) == 1 {
                callerSemaphore.signal()
            }
        }
    }
}
