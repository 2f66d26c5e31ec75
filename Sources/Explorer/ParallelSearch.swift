import CExplorerSupport
import Dispatch
import PackedSystem

/// Shares a value with the work items of the store's parallel rebuild (`StateStore.reindexPartitioned`, run by
/// the `PhasePool` or `StateStore.standaloneRun`). Like the parallel round's phases, they only touch
/// disjoint data, and the runner returns only after every item has finished.
struct Shared<T>: @unchecked Sendable {
    let value: T
}

/// A state property checked on every new state: the property's index, its predicate, and the value that
/// records a finding (false for an invariant, true for a reachability goal).
typealias StateCheck = (property: Int, program: Int32, goal: Bool)

extension ExplicitExplorer {
    /// States per chunk of the parallel search: the one-thread search's chunk (`ExplorerOptions.chunkStates`), so
    /// that findings merged chunk by chunk come in its order.
    var parallelChunkStates: Int { max(1, options.chunkStates) }
    /// Candidate keys are (chunk << 20 | position) below the provisional bit: a chunk may hold at most this many
    /// successors, and a round at most this many chunks.
    static let maximumChunkCandidates = 1 << 20
    static let maximumChunksPerRound = 1 << 11

    /// Breadth-first search on several threads, in rounds of up to `options.parallelChunksPerRound` chunks of the
    /// frontier, across the end of a level (`LevelCursor`). Each round runs four parallel phases on the threads of
    /// a `PhasePool`, each over the round's chunks:
    ///
    /// 1. expand the chunk's states into its buffer, and list the first copy of each distinct successor in it
    ///    (as the one-thread search does before it inserts a chunk), leaving out those that the chunks just before
    ///    it, expanded by the same thread, hold (`NeighbourRepeats`);
    /// 2. insert those first copies into the shared index: a new state claims its hash slot with a provisional
    ///    entry, and an equal candidate lowers the claim's key (chunk, position) with an atomic minimum;
    ///    meanwhile the round's lead inserts the first chunks, numbering their new states at once
    ///    (`insertAsLead`), until it meets the claims coming from the back;
    /// 3. list the claimed chunks' candidates that are a new state's first discovery (the claim's smallest key is
    ///    theirs);
    /// 4. after a prefix sum of those counts, number them after the lead's: chunk by chunk, in position order,
    ///    which is exactly the order of the one-thread search. Each chunk writes its new states, their parents
    ///    and actions, and evaluates the state properties on them.
    ///
    /// A led round also expands the next round meanwhile, when that is a whole round of states already stored
    /// (`RoundAhead`), which then starts at phase 2.
    ///
    /// Findings are then merged chunk by chunk in the one-thread search's order, so the stored states, the
    /// verdicts and the counterexamples are identical to the one-thread search.
    ///
    /// Under `--parallel-rounds adaptive` a `RoundPacer` may run a round on the calling thread alone instead
    /// (`runRoundSequentially`), when recent rounds ran faster that way; the states are stored in the same order
    /// either way.
    func exploreInParallel(threads: Int, stateChecks: [StateCheck], progress: ((ExplorerProgress) -> Void)?) {
        let workers = (0..<threads).map { _ in RoundWorker(system: system, symmetry: reducer != nil, native: nativeLibrary) }
        let pool = PhasePool(workers: workers, helperStackSize: options.helperStackSize)
        defer { pool.shutdown() }
        if let refusal = pool.refusal {
            threadsStarted = pool.threadCount
            notes.append("ran on \(pool.threadCount) of \(threads) threads: \(refusal)")
        }
        let chunksPerRound = min(max(1, options.parallelChunksPerRound), Self.maximumChunksPerRound)
        // Two sets of chunks: a round's, and the next round's while it is expanded ahead (`RoundAhead`).
        var chunks = (0..<chunksPerRound).map { _ in RoundChunk(wordCount: system.wordCount) }
        var spareChunks = (0..<chunksPerRound).map { _ in RoundChunk(wordCount: system.wordCount) }
        for chunk in chunks + spareChunks { chunk.batch.recordsTargets = recordedGraph != nil }
        // Every return path (a limit, the end of the search) adds the workers' action counts to the explorer's.
        defer {
            for worker in workers {
                counters.add(worker.counters)
                neighbourRepeatsListed += worker.neighbourRepeats.listed
                neighbourRepeatsDropped += worker.neighbourRepeats.dropped
            }
        }
        var pacer = RoundPacer(pattern: options.parallelRounds == .always ? [.parallel] : options.roundModePattern)
        defer { (parallelRounds, sequentialRounds) = (pacer.parallelRounds, pacer.sequentialRounds) }
        var roundSerial = 0
        // Rounds run on across the end of a level (`LevelCursor`).
        var levels = LevelCursor(initialStates: store.count)
        var nextProgress = startTime + options.progressInterval
        // The chunks of the round expanded ahead during the last round's insertion, if it was.
        var expandedAhead: [Range<Int>]?
        while levels.hasStates(stored: store.count) {
            let ranges = expandedAhead ?? levels.roundChunks(stored: store.count, chunkStates: parallelChunkStates, chunks: chunksPerRound)
            let round = chunks[0..<ranges.count]
            let states = ranges.reduce(0) { $0 + $1.count }
            var mode = pacer.nextMode(measurable: ranges.count == chunksPerRound)
            // Expanded ahead only when the pacer said it would run on the threads (`nextRoundIsParallel`).
            assert(expandedAhead == nil || mode == .parallel, "a round expanded ahead was given to one thread")
            if expandedAhead != nil { mode = .parallel }
            let started = DispatchTime.now().uptimeNanoseconds
            let capacity = store.capacity
            let transitionsBefore = transitions
            switch mode {
            case .parallel:
                if expandedAhead == nil {
                    roundSerial += 1
                    let serial = roundSerial
                    pool.run(ranges.count, assignment: .owned) { chunk, worker in
                        self.expandForRound(chunk, ranges[chunk], of: round, serial: serial, worker: worker)
                    }
                }
                expandedAhead = nil
                // The next round, expanded while this one is inserted, when it is a whole round of states stored
                // already and will run on the threads.
                var ahead: RoundAhead?
                if options.expandsAhead, ranges.count == chunksPerRound, pacer.nextRoundIsParallel(), let last = ranges.last {
                    let aheadRanges = levels.roundChunks(from: last.upperBound, stored: store.count,
                                                         chunkStates: parallelChunkStates, chunks: chunksPerRound)
                    if aheadRanges.count == chunksPerRound {
                        roundSerial += 1
                        ahead = RoundAhead(ranges: aheadRanges, chunks: spareChunks[...], serial: roundSerial)
                    }
                }
                var aheadDone = false
                guard insertRound(round, pool: pool, threads: workers.count, stateChecks: stateChecks, levels: &levels,
                                  ahead: ahead, aheadExpanded: &aheadDone) else { return }
                if let ahead, aheadDone {
                    expandedAhead = ahead.ranges
                    swap(&chunks, &spareChunks)
                    roundsExpandedAhead += 1
                }
            case .sequential:
                guard runRoundSequentially(ranges, chunk: chunks[0], worker: workers[0], stateChecks: stateChecks,
                                           levels: &levels) else { return }
            }
            pacer.record(mode, nanoseconds: DispatchTime.now().uptimeNanoseconds - started,
                         work: states + transitions - transitionsBefore,
                         measured: ranges.count == chunksPerRound && store.capacity == capacity)
            if let library = pollNativeCompile() {
                // Between rounds every helper waits in the pool, and the next phase's publication orders
                // this write before their next expansion.
                for worker in workers { worker.machine.useNative(library) }
            }
            guard continueAfterBatch(progress: progress, nextProgress: &nextProgress) else { return }
        }
    }

    /// Phase 1 on one chunk of a round (round number `serial`): expands its states and lists the first occurrences
    /// of their successors, leaving out those the worker's previous chunks of the round hold (`NeighbourRepeats`).
    private func expandForRound(_ chunk: Int, _ states: Range<Int>, of round: ArraySlice<RoundChunk>, serial: Int,
                                worker: RoundWorker) {
        expandChunk(states, into: round[round.startIndex + chunk], worker: worker, listsFirstOccurrences: false)
        if !round[round.startIndex + chunk].abandoned {
            worker.neighbourRepeats.listFirstOccurrences(chunk: chunk, of: round, serial: serial)
        }
    }

    /// A round on the calling thread alone (`RoundPacer.Mode.sequential`): chunk by chunk, expanded with the
    /// caller's worker as a parallel phase would expand it, then inserted as the one-thread search inserts a
    /// chunk. The helpers wait in the pool meanwhile. False when a limit stops the search.
    private func runRoundSequentially(_ ranges: [Range<Int>], chunk: RoundChunk, worker: RoundWorker, stateChecks: [StateCheck],
                                      levels: inout LevelCursor) -> Bool {
        for states in ranges {
            expandChunk(states, into: chunk, worker: worker)
            if chunk.abandoned {
                _ = timeIsUp()
                return false
            }
            mergeExpansion(of: chunk)
            guard insertFirstOccurrences(chunk.batch, stateChecks) else { return false }
            recordedGraph?.append(chunk.batch, expanding: states)
            if levels.finished(states, stored: store.count) { depth += 1 }
        }
        return true
    }

    /// Records what expanding a chunk found and counts its transitions, as the one-thread search does while it
    /// expands the chunk's states.
    private func mergeExpansion(of chunk: RoundChunk) {
        for (property, finding) in chunk.findings { record(property, finding) }
        transitions += chunk.transitions
    }

    /// Expands states into a chunk with a worker's own machine, and lists the first occurrences of its successors
    /// unless `listsFirstOccurrences` is false (the parallel phase lists them with `NeighbourRepeats`); the store
    /// is only read.
    private func expandChunk(_ states: Range<Int>, into chunk: RoundChunk, worker: RoundWorker, listsFirstOccurrences: Bool = true) {
        chunk.reset()
        chunk.states = states
        if worker.reducer == nil, let library = worker.machine.nativeLibrary {
            // The generated chunk expansion, as the one-thread search runs it, in runs of up to 16 states.
            var index = states.lowerBound
            while index < states.upperBound {
                if index & 15 == 0, timeBudgetSpent() {
                    chunk.abandoned = true
                    return
                }
                let (next, successors) = expandNatively(library, from: index, to: min(states.upperBound, (index | 15) + 1),
                                                        into: chunk.batch, current: worker.current, machine: worker.machine,
                                                        counters: worker.counters) { chunk.findings.append(($0, $1)) }
                chunk.transitions += successors
                index = next
            }
        } else {
            let wordCount = system.wordCount
            for index in states {
                if index & 15 == 0, timeBudgetSpent() {
                    chunk.abandoned = true
                    return
                }
                worker.current.copyState(from: store.state(index), wordCount: wordCount)
                chunk.transitions += expandState(index, current: worker.current, machine: worker.machine, reducer: worker.reducer,
                                                 counters: worker.counters, into: chunk.batch) { chunk.findings.append(($0, $1)) }
            }
        }
        // A repeat within the chunk can only resolve to its first copy's claim, with a larger key: only the first
        // copies go into the shared index (as the one-thread search inserts only them), while the batch is in
        // this thread's cache.
        if listsFirstOccurrences { chunk.batch.findFirstOccurrences() }
    }

    /// Phases 2 to 4 and the merge. False when a limit stops the search.
    ///
    /// With `ahead`, a round that leads also expands the next round's chunks meanwhile (`aheadExpanded` then
    /// becomes true): the threads that claim expand it from the front before they claim, and the lead, once it
    /// met the claims, from the back. Why: a claimed chunk costs more than a led one (the claims' records, phases
    /// 3 and 4, a second write of each claimed slot), and the next round's expansion, which is work of the one-thread
    /// search, moves the meeting point back: on p2p-scale N=6 the lead then inserts 68% of the chunks instead of
    /// 47%, on deep K=70 66% instead of 41% (docs/explorer.md, "The next round, expanded ahead").
    private func insertRound(_ round: ArraySlice<RoundChunk>, pool: PhasePool, threads: Int, stateChecks: [StateCheck],
                             levels: inout LevelCursor, ahead: RoundAhead?, aheadExpanded: inout Bool) -> Bool {
        if round.contains(where: \.abandoned) {
            _ = timeIsUp()
            return false
        }
        var candidates = 0
        for chunk in round {
            candidates += chunk.batch.count
            chunk.prepareKeys()
        }
        if round.contains(where: { $0.batch.count >= Self.maximumChunkCandidates }) {
            // Keys cannot address this many candidates: insert this round one by one (same order, same result).
            for chunk in round {
                mergeExpansion(of: chunk)
                guard insertFirstOccurrences(chunk.batch, stateChecks) else { return false }
                recordedGraph?.append(chunk.batch, expanding: chunk.states)
                if levels.finished(chunk.states, stored: store.count) { depth += 1 }
            }
            return true
        }
        // Claims never fill the index when there are fewer candidates than free slots (a store reserved for
        // s states has more than 4s/3 slots).
        if store.count + candidates >= store.slotCount {
            guard grow(toHold: (store.count + candidates) * 3 / 4 + 1, threads: threads, pool: pool) else { return false }
        }
        let tables = RoundTables(round)
        defer { tables.deallocate() }
        let openChecks = stateChecks.filter { findings[$0.property] == nil }
        var next = store.count
        var previousParent = store.lastEncodedParent
        // The round's first `led` chunks, inserted by its lead (see `leadsRound`).
        var led = 0
        if leadsRound(round, threads: threads) {
            let fixed = options.leadChunksAfterClaims.map { min($0, round.count) }
            let cursor = RoundCursor(chunks: fixed ?? round.count, next: next, previousParent: previousParent)
            let lead = { (worker: RoundWorker) in
                while let chunk = cursor.takeFront() {
                    self.insertAsLead(chunk: chunk, of: round, tables: tables, cursor: cursor, checks: openChecks,
                                      machine: worker.machine)
                }
            }
            if let fixed {
                pool.run(round.count - fixed, assignment: .owned) { chunk, _ in
                    self.claimSlots(chunk: fixed + chunk, of: round, tables: tables)
                }
                pool.run(1) { _, worker in lead(worker) }
            } else {
                // The next round's chunks, expanded from the front by the claiming threads, from the back by the lead.
                let expansion = ahead.map { ChunkEnds(chunks: $0.ranges.count) }
                pool.run(threads, assignment: .owned) { item, worker in
                    if item == 0 {
                        lead(worker)
                        if let ahead, let expansion {
                            while let chunk = expansion.takeBack() {
                                self.expandForRound(chunk, ahead.ranges[chunk], of: ahead.chunks, serial: ahead.serial, worker: worker)
                            }
                        }
                    } else {
                        if let ahead, let expansion {
                            while let chunk = expansion.takeFront() {
                                self.expandForRound(chunk, ahead.ranges[chunk], of: ahead.chunks, serial: ahead.serial, worker: worker)
                            }
                        }
                        while let chunk = cursor.takeBack() { self.claimSlots(chunk: chunk, of: round, tables: tables) }
                    }
                }
                aheadExpanded = ahead != nil
            }
            led = cursor.front
            (next, previousParent) = (cursor.next, cursor.previousParent)
            ledChunks += led
            leadTakeovers += cursor.takeovers
            let claimed = round.count - led
            pool.run(claimed, assignment: .owned) { chunk, _ in
                Self.listFirstDiscoveries(chunk: led + chunk, of: round, tables: tables)
            }
        } else {
            claimAndListFirstDiscoveries(round, tables: tables, pool: pool)
            let needed = store.count + round.reduce(0) { $0 + $1.firstDiscoveries.count }
            if needed > store.capacity || needed > StateStore.maximumStates {
                // Grow as the one-thread search would, then claim again in the new index (the resize drops the claims).
                guard grow(toHold: needed, threads: threads, pool: pool) else { return false }
                for chunk in round { chunk.firstDiscoveries.removeAll(keepingCapacity: true) }
                claimAndListFirstDiscoveries(round, tables: tables, pool: pool)
            }
        }

        // Number the new states: chunk by chunk, first discoveries in position order. Each chunk also learns
        // the parent of the state before its first, which the compact parent column encodes against.
        for chunk in round.dropFirst(led) {
            chunk.base = next
            chunk.previousParent = previousParent
            next += chunk.firstDiscoveries.count
            if let last = chunk.firstDiscoveries.last { previousParent = chunk.batch.parents[Int(last)] }
        }
        var end = next
        if let limit = options.budget.maxStates, end > limit { end = max(store.count, limit) }
        pool.run(round.count - led, assignment: .owned) { chunk, worker in
            self.storeFirstDiscoveries(of: round[round.startIndex + led + chunk], below: end, tables: tables, checks: openChecks,
                                       machine: worker.machine)
        }
        store.commitClaimed(count: end, escapes: round.map(\.parentEscapes))
        if recordedGraph != nil, end == next {
            pool.run(round.count, assignment: .owned) { chunk, _ in
                Self.resolveTargets(chunk: chunk, of: round, tables: tables)
            }
        }

        // Merge what the chunks found, in the one-thread search's order: each chunk's expansion, then the
        // state properties of the states it discovered.
        for chunk in round {
            mergeExpansion(of: chunk)
            if chunk.base + chunk.firstDiscoveries.count > end {
                // The one-thread search stops at this chunk's first state beyond the limit.
                mergeStateEvents(chunk.events)
                stopReason = .stateLimit(options.budget.maxStates ?? end)
                store.rebuildIndex()
                return false
            }
            mergeStateEvents(chunk.events)
            recordedGraph?.append(chunk.batch, expanding: chunk.states)
            if levels.finished(chunk.states, stored: chunk.base + chunk.firstDiscoveries.count) { depth += 1 }
        }
        return true
    }

    /// Whether a round's first chunks go to a lead (`insertAsLead`) instead of being claimed: only when its new
    /// states fit without growing the store and under the state limit whatever the round finds, since the lead's
    /// states are final as soon as it writes them, and not while the search records its successor graph.
    private func leadsRound(_ round: ArraySlice<RoundChunk>, threads: Int) -> Bool {
        guard threads > 1, recordedGraph == nil else { return false }
        let most = store.count + round.reduce(0) { $0 + $1.batch.firstCount }
        if let limit = options.budget.maxStates, most > limit { return false }
        return most <= store.capacity && most <= StateStore.maximumStates
    }

    /// The lead's phase 2 on one chunk: inserts its first occurrences as the one-thread search inserts a chunk,
    /// numbering each new state at once from `cursor.next`, while the other threads claim the round's last chunks.
    /// Every key of the lead's chunks is smaller than every claim's, so a new state is the lead's whether or not
    /// another thread claimed it first: an equal claim is taken over (its smallest key lowered to the lead's,
    /// which rules out every candidate of the claim in phase 3, and its slot given the state's entry).
    ///
    /// Why: a claimed slot is written twice, by the claim and again when phase 4 numbers its state, long after the
    /// claim's line left the cache; the lead's states, like the one-thread search's, cost one write of the slot
    /// they are found empty in, and need neither phase 3 nor phase 4.
    ///
    /// In blocks of `claimBlock` candidates, as the claims: first every probe of the block with plain loads, then
    /// the columns of the block's new states, then their entries (a compare-exchange each, or a claim's slot taken
    /// over). The lead's compare-exchange waits for the stores before it, the new state's columns among them: one
    /// inside the probe loop waited for each state's columns in turn; here the first of a block waits for them all
    /// at once. Two threads on p2p-scale N=6 took 0.95 of the wall, and of the work, they took before
    /// (Benchmarks/README.md, "Two threads: the lead's blocks").
    private func insertAsLead(chunk chunkIndex: Int, of round: ArraySlice<RoundChunk>, tables: RoundTables,
                              cursor: RoundCursor, checks: [StateCheck], machine: Machine) {
        let slots = store.rawSlots
        let chunk = round[round.startIndex + chunkIndex]
        let batch = chunk.batch
        let count = batch.firstCount
        let hashes = batch.hashes
        let firsts = batch.firsts
        let wordCount = system.wordCount
        let provisional = StateStore.provisionalBit
        var index = cursor.next
        var previousParent = cursor.previousParent
        chunk.base = index
        chunk.previousParent = previousParent
        var recorder = StateEventRecorder(checks: checks)
        // Per candidate of the block: the slot its probe stopped at (an empty one, or an equal claim's), or -1 for
        // a state stored before the round.
        let stops = UnsafeMutablePointer<Int>.allocate(capacity: Self.claimBlock)
        defer { stops.deallocate() }
        var blockStart = 0
        while blockStart < count {
            let blockEnd = min(count, blockStart + Self.claimBlock)
            for k in blockStart..<blockEnd {
                if k + Self.slotPrefetchDistance < count { store.prefetchSlot(hashes[Int(firsts[k + Self.slotPrefetchDistance])]) }
                if k + Self.candidatePrefetchDistance < count {
                    store.prefetchCandidateConcurrently(hashes[Int(firsts[k + Self.candidatePrefetchDistance])])
                }
                let position = Int(firsts[k])
                stops[k - blockStart] = leadProbe(from: store.homeSlot(hashes[position]), batch.state(position), hash: hashes[position],
                                                  tables: tables, wordCount: wordCount) ?? -1
            }
            // Every candidate of the block not stored before is new, and the lead's: only the lead stores states,
            // the block's candidates are distinct, and an equal claim is taken over. So the block's new states are
            // numbered in order, and their columns written, before any entry publishes one.
            var number = index
            for k in blockStart..<blockEnd where stops[k - blockStart] >= 0 {
                let position = Int(firsts[k])
                let parent = batch.parents[position]
                store.writeColumns(at: number, batch.state(position), parent: parent, previousParent: previousParent,
                                   action: batch.actions[position]) { chunk.parentEscapes.append($0) }
                previousParent = parent
                number += 1
            }
            for k in blockStart..<blockEnd where stops[k - blockStart] >= 0 {
                let position = Int(firsts[k])
                let hash = hashes[position]
                let state = batch.state(position)
                let entry = store.entry(index, hash)
                var slot = stops[k - blockStart]
                while true {
                    let found = vmc_load_acquire_u32(slots + slot)
                    if found == 0 {
                        // Published by the compare-exchange (release): whoever finds the entry sees the state's words.
                        if vmc_compare_exchange_u32(slots + slot, 0, entry) { break }
                        // Taken since the probe (by a claim, or by an earlier candidate of the block): look at it again.
                        continue
                    }
                    if found & provisional != 0 {
                        let claim = found & ~provisional
                        if Self.equal(tables.claimedWords(claim, wordCount: wordCount), state, wordCount) {
                            // Only the lead writes a claimed slot during the phase (the claims only fill empty ones).
                            let (claimChunk, claimIndex) = RoundTables.split(claim)
                            vmc_atomic_min_u32(tables.minKeys[claimChunk] + claimIndex, UInt32(chunkIndex) << 20 | UInt32(position))
                            vmc_store_release_u32(slots + slot, entry)
                            cursor.takeovers += 1
                            break
                        }
                    }
                    slot = store.nextSlot(slot)
                }
                chunk.firstDiscoveries.append(Int32(position))
                if !checks.isEmpty { recorder.check(state, index: index, machine: machine, into: &chunk.events) }
                index += 1
            }
            blockStart = blockEnd
        }
        cursor.next = index
        cursor.previousParent = previousParent
    }

    /// The lead's probe for a candidate, with plain (acquire) loads: nil for a state stored before the round, else
    /// the first empty slot or the slot of an equal candidate's claim.
    @inline(__always)
    private func leadProbe(from start: Int, _ state: UnsafePointer<UInt64>, hash: UInt64, tables: RoundTables,
                           wordCount: Int) -> Int? {
        let slots = store.rawSlots
        let provisional = StateStore.provisionalBit
        var slot = start
        while true {
            let entry = vmc_load_acquire_u32(slots + slot)
            if entry == 0 { return slot }
            if entry & provisional == 0 {
                if store.entryMatches(entry, hash, state) { return nil }
            } else if Self.equal(tables.claimedWords(entry & ~provisional, wordCount: wordCount), state, wordCount) {
                return slot
            }
            slot = store.nextSlot(slot)
        }
    }

    /// Phases 2 and 3 over the round.
    private func claimAndListFirstDiscoveries(_ round: ArraySlice<RoundChunk>, tables: RoundTables, pool: PhasePool) {
        pool.run(round.count, assignment: .owned) { chunk, _ in self.claimSlots(chunk: chunk, of: round, tables: tables) }
        pool.run(round.count, assignment: .owned) { chunk, _ in
            Self.listFirstDiscoveries(chunk: chunk, of: round, tables: tables)
        }
    }

    /// Grows the store to room for `states` states, unless that breaks a limit: then records why the search
    /// stops, drops the round's claims and returns false.
    private func grow(toHold states: Int, threads: Int, pool: PhasePool) -> Bool {
        if states > StateStore.maximumStates {
            stopReason = .storeCapacity(StateStore.maximumStates)
        } else if let limit = options.budget.maxMemoryBytes,
                  ResourceUsage.bytesBesides(store.bytes) + store.bytes(forStates: states) > limit {
            stopReason = options.budget.memoryStop(limit)
        } else {
            // The index is rebuilt on the pool's threads (already awake, unlike `concurrentPerform`'s), each slot
            // range and each slice of the states on the same thread in every step (`ChunkAssignment.owned`), so
            // that a range's pages are written first, and its lines entered, by one core, and a slice's lists
            // written by one core from block to block. With the next item from a shared counter: 1.026x the
            // wall on deep K=70, two threads (Benchmarks/README.md, "Two threads: the round's lead").
            let run: StateStore.ParallelRunner = { count, body in pool.run(count, assignment: .owned) { item, _ in body(item) } }
            if store.reserve(states: states, threads: threads, parallel: run) {
                return true
            }
            stopReason = .outOfMemory(bytes: store.bytes(forStates: states))
        }
        store.rebuildIndex()
        return false
    }

    /// Phase 2: inserts the first copy of each distinct successor of one chunk into the shared index (a later
    /// copy in the same chunk has a larger key, so it can never be a first discovery). Each claims an empty
    /// slot, or lowers the key of an equal candidate's claim, or recognises a state stored before; the first
    /// two are listed (`RoundChunk.listed`), and their `owner` says which.
    ///
    /// In blocks of `claimBlock` candidates: first every probe of the block with plain loads, which either
    /// settles the candidate (a state stored before, or an equal candidate's claim) or stops at an empty slot;
    /// then the compare-exchanges of the block's new states, on slots its probes just brought into the cache.
    /// A locked instruction waits for the memory operations before it, so a compare-exchange inside the probe
    /// loop would stall the lookahead's prefetches at every new state.
    private func claimSlots(chunk chunkIndex: Int, of round: ArraySlice<RoundChunk>, tables: RoundTables) {
        let slots = store.rawSlots
        let chunk = round[round.startIndex + chunkIndex]
        let batch = chunk.batch
        let count = batch.firstCount
        let hashes = batch.hashes
        let listed = chunk.listed
        let minKey = chunk.minKey
        let slotOf = chunk.slotOf
        let owner = chunk.owner
        let wordCount = system.wordCount
        let provisional = StateStore.provisionalBit
        let firsts = batch.firsts
        let pending = RoundChunk.pendingClaim
        let recording = batch.recordsTargets
        let chunkKey = UInt32(chunkIndex) << 20
        var listedCount = 0
        var blockStart = 0
        while blockStart < count {
            let blockEnd = min(count, blockStart + Self.claimBlock)
            let blockListed = listedCount
            var unsettled = 0
            for k in blockStart..<blockEnd {
                if k + Self.slotPrefetchDistance < count { store.prefetchSlot(hashes[Int(firsts[k + Self.slotPrefetchDistance])]) }
                if k + Self.candidatePrefetchDistance < count {
                    store.prefetchCandidateConcurrently(hashes[Int(firsts[k + Self.candidatePrefetchDistance])])
                }
                let position = Int(firsts[k])
                let hash = hashes[position]
                // The key the candidate has if it is listed (it only lowers another claim's key if it is).
                let (settled, slot) = probe(from: store.homeSlot(hash), batch.state(position), hash: hash,
                                            key: chunkKey | UInt32(listedCount), tables: tables, wordCount: wordCount)
                if settled == RoundChunk.storedBefore {
                    if recording { batch.setTarget(position, store.stateIndex(slots[slot])) }
                    continue
                }
                listed[listedCount] = UInt32(truncatingIfNeeded: position)
                if let settled {
                    owner[listedCount] = settled
                } else {
                    owner[listedCount] = pending
                    slotOf[listedCount] = UInt32(truncatingIfNeeded: slot)
                    unsettled += 1
                }
                listedCount += 1
            }
            if unsettled > 0 {
                for index in blockListed..<listedCount where owner[index] == pending {
                    let key = chunkKey | UInt32(index)
                    let position = Int(listed[index])
                    let hash = hashes[position]
                    let state = batch.state(position)
                    var slot = Int(slotOf[index])
                    while true {
                        // Published by the compare-exchange (release): whoever finds the claim sees these and the
                        // candidate's place in the list.
                        minKey[index] = key
                        slotOf[index] = UInt32(truncatingIfNeeded: slot)
                        if vmc_compare_exchange_u32(slots + slot, 0, provisional | key) {
                            owner[index] = key
                            break
                        }
                        // Another candidate took the slot since the probe: go on probing from it.
                        let (settled, next) = probe(from: slot, state, hash: hash, key: key, tables: tables, wordCount: wordCount)
                        if let settled {
                            owner[index] = settled
                            if settled == RoundChunk.storedBefore, recording { batch.setTarget(position, store.stateIndex(slots[next])) }
                            break
                        }
                        slot = next
                    }
                }
            }
            blockStart = blockEnd
        }
        chunk.listedCount = listedCount
    }

    /// Candidates probed before their block's compare-exchanges: enough for the probes' misses to overlap, few
    /// enough that the empty slots they stop at are still in the first-level cache for the claims.
    static let claimBlock = 64

    /// Probes the index from `slot` for a candidate with plain (acquire) loads: returns the candidate's owner
    /// when it is settled (`RoundChunk.storedBefore`, or the key of an equal candidate's claim, whose smallest
    /// key it lowers to `key` if that is smaller), or nil and the first empty slot.
    @inline(__always)
    private func probe(from start: Int, _ state: UnsafePointer<UInt64>, hash: UInt64, key: UInt32, tables: RoundTables,
                       wordCount: Int) -> (UInt32?, Int) {
        let slots = store.rawSlots
        let provisional = StateStore.provisionalBit
        var slot = start
        while true {
            let entry = vmc_load_acquire_u32(slots + slot)
            if entry == 0 { return (nil, slot) }
            if entry & provisional == 0 {
                if store.entryMatches(entry, hash, state) { return (RoundChunk.storedBefore, slot) }
            } else {
                let claim = entry & ~provisional
                if Self.equal(tables.claimedWords(claim, wordCount: wordCount), state, wordCount) {
                    // The claim's smallest key is at most its own: only an earlier candidate can lower it (and
                    // the other chunk's line is not touched otherwise).
                    if key < claim {
                        let (claimChunk, claimIndex) = RoundTables.split(claim)
                        vmc_atomic_min_u32(tables.minKeys[claimChunk] + claimIndex, key)
                    }
                    return (claim, slot)
                }
            }
            slot = store.nextSlot(slot)
        }
    }

    /// Phase 3: the positions of the chunk's candidates that are the first discovery of a new state, and the
    /// slots their claims hold.
    private static func listFirstDiscoveries(chunk chunkIndex: Int, of round: ArraySlice<RoundChunk>, tables: RoundTables) {
        let chunk = round[round.startIndex + chunkIndex]
        let owner = chunk.owner
        let listed = chunk.listed
        let discoverySlots = chunk.discoverySlots
        for index in 0..<chunk.listedCount {
            let claim = owner[index]
            let key = UInt32(chunkIndex) << 20 | UInt32(index)
            // A claim's smallest key is at most the claim's own: an owner with a smaller key rules the candidate
            // out without reading the other chunk's line.
            if claim == RoundChunk.storedBefore || claim < key { continue }
            let (claimChunk, claimIndex) = RoundTables.split(claim)
            if tables.minKeys[claimChunk][claimIndex] == key {
                discoverySlots[chunk.firstDiscoveries.count] = tables.slots[claimChunk][claimIndex]
                chunk.firstDiscoveries.append(Int32(listed[index]))
            }
        }
    }

    /// Phase 4: writes the chunk's new states (numbered from `chunk.base`, those below `end`) with the parent
    /// and action of their first discovery into the claimed slots, and evaluates the open state properties on
    /// them with the worker's machine.
    private func storeFirstDiscoveries(of chunk: RoundChunk, below end: Int, tables: RoundTables, checks: [StateCheck],
                                       machine: Machine) {
        let batch = chunk.batch
        let discoverySlots = chunk.discoverySlots
        var index = chunk.base
        var previousParent = chunk.previousParent
        var recorder = StateEventRecorder(checks: checks)
        let slots = store.rawSlots
        let count = min(chunk.firstDiscoveries.count, end - index)
        let recording = batch.recordsTargets
        chunk.firstDiscoveries.withUnsafeBufferPointer { firsts in
        for k in 0..<max(0, count) {
            if k + Self.slotPrefetchDistance < count {
                // The claimed slot was last touched in the claim phase, long evicted: start the write's miss early.
                vmc_prefetch(slots + Int(discoverySlots[k + Self.slotPrefetchDistance]))
            }
            let position = Int(firsts[k])
            let state = batch.state(position)
            let parent = batch.parents[position]
            store.writeClaimed(at: index, state, hash: batch.hashes[position], parent: parent, previousParent: previousParent,
                               action: batch.actions[position], slot: Int(discoverySlots[k])) {
                chunk.parentEscapes.append($0)
            }
            previousParent = parent
            if recording { batch.setTarget(position, index) }
            if !checks.isEmpty { recorder.check(state, index: index, machine: machine, into: &chunk.events) }
            index += 1
        }
        }
    }

    /// After the numbering phase, when the search records its successor graph: the stored number of each first
    /// occurrence of the chunk that resolved to a claim (its own or another candidate's), read from the claim's
    /// first discovery, whose number the numbering phase recorded. (A state stored in an earlier round got its
    /// number in the claim phase, a first discovery in the numbering phase.)
    private static func resolveTargets(chunk chunkIndex: Int, of round: ArraySlice<RoundChunk>, tables: RoundTables) {
        let chunk = round[round.startIndex + chunkIndex]
        let batch = chunk.batch
        let owner = chunk.owner
        let listed = chunk.listed
        for index in 0..<chunk.listedCount {
            let claim = owner[index]
            if claim == RoundChunk.storedBefore { continue }
            let (claimChunk, claimIndex) = RoundTables.split(claim)
            let (firstChunk, firstIndex) = RoundTables.split(tables.minKeys[claimChunk][claimIndex])
            batch.setTarget(Int(listed[index]), Int(tables.targets[firstChunk][Int(tables.positions[firstChunk][firstIndex])]))
        }
    }

    /// Records the events of one chunk's new states as the one-thread search's `checkState` would, given what
    /// is recorded so far.
    private func mergeStateEvents(_ events: [StateCheckEvent]) {
        for event in events { recordStateEvent(event) }
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ count: Int) -> Bool {
        for k in 0..<count where a[k] != b[k] { return false }
        return true
    }
}

/// Evaluates the state properties that were open at the start of a round on one chunk's new states, keeping
/// the events that can still matter when they are merged: per property, up to its first violation, and only
/// the first evaluation failure (a later one can only repeat a `bounds` finding the first one decides).
struct StateEventRecorder {
    let checks: [StateCheck]
    private var violated: [Bool]
    private var failed: [Bool]

    init(checks: [StateCheck]) {
        self.checks = checks
        violated = Array(repeating: false, count: checks.count)
        failed = Array(repeating: false, count: checks.count)
    }

    mutating func check(_ state: UnsafePointer<UInt64>, index: Int, machine: Machine, into events: inout [StateCheckEvent]) {
        for (position, check) in checks.enumerated() where !violated[position] {
            let value = machine.evaluate(check.program, state)
            if let failure = machine.failure {
                if !failed[position] {
                    failed[position] = true
                    events.append(StateCheckEvent(property: check.property, state: index, failure: failure,
                                                  address: machine.failureAddress))
                }
                continue
            }
            if (value != 0) == check.goal {
                violated[position] = true
                events.append(StateCheckEvent(property: check.property, state: index, failure: nil, address: 0))
            }
        }
    }
}

