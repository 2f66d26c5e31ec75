import CExplorerSupport
import Dispatch
import PackedSystem

/// The successors of one chunk of frontier states in a parallel round, with what its expansion found.
final class RoundChunk {
    let batch: SuccessorBatch
    /// Per candidate: the smallest key of any candidate equal to it (only meaningful for claimed candidates;
    /// `UInt64.max` for candidates that did not claim a slot).
    private(set) var minKey: UnsafeMutablePointer<UInt64>
    /// Per claimed candidate: the hash slot it claimed.
    private(set) var slotOf: UnsafeMutablePointer<Int>
    private var keyCapacity = 0
    /// Violations found while expanding, in expansion order.
    var findings: [(property: Int, finding: ExplicitExplorer.Finding)] = []
    /// Successors generated.
    var transitions = 0
    /// Set when the worker stopped expanding this chunk because the time budget was spent.
    var abandoned = false

    init(wordCount: Int) {
        batch = SuccessorBatch(wordCount: wordCount)
        minKey = .allocate(capacity: 1)
        slotOf = .allocate(capacity: 1)
    }

    deinit {
        minKey.deallocate()
        slotOf.deallocate()
    }

    func reset() {
        abandoned = false
        batch.removeAll()
        findings.removeAll(keepingCapacity: true)
        transitions = 0
    }

    /// Sizes the key arrays for the batch and marks every candidate unclaimed.
    func prepareKeys() {
        if keyCapacity < batch.count {
            minKey.deallocate()
            slotOf.deallocate()
            keyCapacity = max(batch.count, keyCapacity * 2)
            minKey = .allocate(capacity: keyCapacity)
            slotOf = .allocate(capacity: keyCapacity)
        }
        minKey.update(repeating: UInt64.max, count: batch.count)
    }
}

/// One worker's private machine, symmetry reducer and scratch state.
final class RoundWorker {
    let machine: Machine
    let reducer: SymmetryReducer?
    let current: UnsafeMutablePointer<UInt64>

    init(system: TransitionSystem, symmetry: Bool) {
        machine = system.makeMachine()
        reducer = symmetry ? try? SymmetryReducer(system: system) : nil
        current = .allocate(capacity: max(1, system.wordCount))
    }

    deinit { current.deallocate() }
}

/// Shares a value with the workers of `DispatchQueue.concurrentPerform`. The parallel round's phases only touch
/// disjoint data (each chunk is owned by the worker that claimed its number) or use atomics on shared slots;
/// `concurrentPerform` returns only after every worker has finished, which orders the phases.
struct Shared<T>: @unchecked Sendable {
    let value: T
}

extension ExplicitExplorer {
    /// States per chunk and chunks per round of the parallel search.
    static let parallelChunkStates = 256
    static let parallelChunksPerRound = 256
    /// Candidate keys are (chunk << 20 | position): a chunk may hold at most this many successors.
    static let maximumChunkCandidates = 1 << 20

    /// Breadth-first search on several threads. Each round expands up to `parallelChunksPerRound` chunks of the
    /// frontier in parallel, inserts their successors in parallel (a new state claims its hash slot with a
    /// provisional entry; an equal candidate found in the same round lowers the claim's key), then numbers the new
    /// states by their smallest key, which is exactly the order in which the one-thread search discovers them.
    /// The stored states, parents and actions are therefore identical to the one-thread search, and so are the
    /// counterexamples.
    func exploreInParallel(threads: Int, stateChecks: [(property: Int, program: Int32, goal: Bool)],
                           progress: ((ExplorerProgress) -> Void)?) {
        let workers = (0..<threads).map { _ in RoundWorker(system: system, symmetry: reducer != nil) }
        let chunks = (0..<Self.parallelChunksPerRound).map { _ in RoundChunk(wordCount: system.wordCount) }
        var levelStart = 0
        var levelEnd = store.count
        var nextProgress = startTime + options.progressInterval
        while levelStart < levelEnd {
            var roundStart = levelStart
            while roundStart < levelEnd {
                let roundEnd = min(levelEnd, roundStart + Self.parallelChunkStates * Self.parallelChunksPerRound)
                let chunkCount = (roundEnd - roundStart + Self.parallelChunkStates - 1) / Self.parallelChunkStates
                expandRound(from: roundStart, to: roundEnd, chunkCount: chunkCount, chunks: chunks, workers: workers)
                guard insertRound(chunks: Array(chunks[0..<chunkCount]), threads: threads, stateChecks: stateChecks) else { return }
                roundStart = roundEnd
                let now = ResourceUsage.now()
                if let timeout = options.timeoutSeconds, now - startTime > timeout {
                    stopReason = "time limit of \(Self.format(timeout)) s reached"
                    return
                }
                if let progress, now >= nextProgress {
                    progress(ExplorerProgress(states: store.count, depth: depth, seconds: now - startTime))
                    nextProgress = now + options.progressInterval
                }
            }
            levelStart = levelEnd
            levelEnd = store.count
            if levelEnd > levelStart { depth += 1 }
        }
    }

    /// Phase A: expands the round's chunks in parallel into their buffers.
    private func expandRound(from start: Int, to end: Int, chunkCount: Int, chunks: [RoundChunk], workers: [RoundWorker]) {
        var next: Int64 = 0
        withUnsafeMutablePointer(to: &next) { counter in
            let shared = Shared(value: (self, chunks, workers, counter))
            DispatchQueue.concurrentPerform(iterations: workers.count) { workerIndex in
                let (explorer, chunks, workers, counter) = shared.value
                let worker = workers[workerIndex]
                while true {
                    let chunk = Int(vmc_fetch_add_i64(counter, 1))
                    if chunk >= chunkCount { break }
                    let first = start + chunk * Self.parallelChunkStates
                    let last = min(end, first + Self.parallelChunkStates)
                    explorer.expandChunk(first..<last, into: chunks[chunk], worker: worker)
                }
            }
        }
    }

    /// Expands states into a chunk with a worker's own machine; the store is only read.
    private func expandChunk(_ states: Range<Int>, into chunk: RoundChunk, worker: RoundWorker) {
        chunk.reset()
        let wordCount = system.wordCount
        for index in states {
            if index & 15 == 0, timeBudgetSpent() {
                chunk.abandoned = true
                return
            }
            worker.current.update(from: store.state(index), count: wordCount)
            chunk.transitions += expandState(index, current: worker.current, machine: worker.machine, reducer: worker.reducer,
                                             into: chunk.batch) { chunk.findings.append(($0, $1)) }
        }
    }

    /// Phases B and C: parallel insertion with provisional claims, then numbering in discovery order.
    /// False when a limit stops the search.
    private func insertRound(chunks: [RoundChunk], threads: Int, stateChecks: [(property: Int, program: Int32, goal: Bool)]) -> Bool {
        if chunks.contains(where: \.abandoned) {
            _ = timeIsUp()
            return false
        }
        var candidates = 0
        for chunk in chunks {
            for (property, finding) in chunk.findings { record(property, finding) }
            transitions += chunk.transitions
            candidates += chunk.batch.count
            chunk.prepareKeys()
        }
        if chunks.contains(where: { $0.batch.count >= Self.maximumChunkCandidates }) {
            // Keys cannot address this many candidates: insert this round one by one (same order, same result).
            for chunk in chunks { guard insertSequentially(chunk.batch, stateChecks) else { return false } }
            return true
        }
        let needed = store.count + candidates
        if needed > StateStore.maximumStates {
            stopReason = "the explorer's limit of \(StateStore.maximumStates) states reached"
            return false
        }
        if let limit = options.maxMemoryBytes, store.bytes(forStates: needed) > limit {
            stopReason = "memory limit of \(limit) bytes reached"
            return false
        }
        store.reserve(states: needed)
        // Phase B.
        var next: Int64 = 0
        withUnsafeMutablePointer(to: &next) { counter in
            let shared = Shared(value: (self, chunks, counter))
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                let (explorer, chunks, counter) = shared.value
                while true {
                    let chunk = Int(vmc_fetch_add_i64(counter, 1))
                    if chunk >= chunks.count { break }
                    explorer.claimSlots(chunk: chunk, chunks: chunks)
                }
            }
        }
        // Phase C: the new states in order of first discovery. The chunks' buffers are read through raw
        // pointers gathered once, which keeps reference counting out of this sequential loop.
        let words = chunks.map(\.batch.words)
        let parents = chunks.map(\.batch.parents)
        let actions = chunks.map(\.batch.actions)
        let slots = chunks.map(\.slotOf)
        var claimed: [(key: UInt64, owner: UInt64)] = []
        for (chunkIndex, chunk) in chunks.enumerated() {
            let keys = chunk.minKey
            for position in 0..<chunk.batch.count where keys[position] != UInt64.max {
                claimed.append((keys[position], UInt64(chunkIndex) << 20 | UInt64(position)))
            }
        }
        claimed.sort { $0.key < $1.key }
        let wordCount = system.wordCount
        for entry in claimed {
            if let limit = options.maxStates, store.count >= limit {
                stopReason = "state limit of \(limit) reached"
                store.rebuildIndex()
                return false
            }
            let firstChunk = Int(entry.key >> 20)
            let firstPosition = Int(entry.key & 0xFFFFF)
            let ownerChunk = Int(entry.owner >> 20)
            let ownerPosition = Int(entry.owner & 0xFFFFF)
            let index = store.appendClaimed(words[ownerChunk] + ownerPosition * wordCount, parent: parents[firstChunk][firstPosition],
                                            action: actions[firstChunk][firstPosition], slot: slots[ownerChunk][ownerPosition])
            if !stateChecks.isEmpty { checkState(index, stateChecks) }
        }
        return true
    }

    /// Inserts one chunk's candidates into the shared index: claims empty slots, or lowers the key of an equal
    /// candidate's claim, or recognises a state stored in an earlier round.
    private func claimSlots(chunk chunkIndex: Int, chunks: [RoundChunk]) {
        let (slots, mask) = store.rawSlots
        let chunk = chunks[chunkIndex]
        let batch = chunk.batch
        let wordCount = system.wordCount
        let provisional = StateStore.provisionalBit
        for position in 0..<batch.count {
            if position + Self.slotPrefetchDistance < batch.count { store.prefetchSlot(batch.hashes[position + Self.slotPrefetchDistance]) }
            let state = batch.state(position)
            let key = UInt64(chunkIndex) << 20 | UInt64(position)
            var slot = Int(truncatingIfNeeded: batch.hashes[position]) & mask
            while true {
                let entry = vmc_load_acquire_u32(slots + slot)
                if entry == 0 {
                    chunk.minKey[position] = key
                    chunk.slotOf[position] = slot
                    if vmc_compare_exchange_u32(slots + slot, 0, provisional | UInt32(key)) { break }
                    chunk.minKey[position] = UInt64.max
                    continue
                }
                if entry & provisional == 0 {
                    if store.storedEquals(Int(entry - 1), state) { break }
                } else {
                    let owner = chunks[Int((entry & ~provisional) >> 20)]
                    let ownerPosition = Int(entry & 0xFFFFF)
                    if Self.equal(owner.batch.state(ownerPosition), state, wordCount) {
                        vmc_atomic_min_u64(owner.minKey + ownerPosition, key)
                        break
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ count: Int) -> Bool {
        for k in 0..<count where a[k] != b[k] { return false }
        return true
    }
}
