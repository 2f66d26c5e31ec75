import CExplorerSupport
import ModelLanguage

/// The store's index rebuilt on several threads when it grows during a parallel search.
extension StateStore {
    /// Runs work items `0..<count` on the search's threads (each item once, any item on any thread) and returns
    /// when every one is done.
    typealias ParallelRunner = (_ count: Int, _ body: @escaping (Int) -> Void) -> Void

    /// A runner for callers without threads of their own (the parallel search passes its `PhasePool`): each
    /// item on a thread of its own (`ThreadLauncher.perform`, which never waits for a thread the system refuses).
    static func standaloneRun(_ count: Int, _ body: @escaping (Int) -> Void) {
        let shared = Shared(value: body)
        ThreadLauncher.perform(workers: count) { shared.value($0) }
    }

    /// Slot ranges per thread in a parallel rebuild: two, so that a thread that finishes its range early takes
    /// another one instead of waiting.
    static let reindexPartsPerThread = 2

    /// Entries (8 bytes each) that the lists of one block of a parallel rebuild hold, whatever the number of
    /// ranges: 4 MiB.
    static let reindexListEntries = 1 << 19

    /// Enters every stored state into the (empty) index on several threads, without atomic operations: the
    /// slots are split into `parts` ranges, and block by block the states are first hashed, in `parts` slices
    /// of the block, into one list per slice and range (each entry with its home slot); then each range's lists
    /// are entered by one work item with plain loads and stores, probing only inside its range. A probe that
    /// reaches the end of its range is finished on one thread after the last block: the slots from its home to
    /// the range's end stay occupied, so the entry still lies after its home slot with no empty slot between.
    /// Placement may differ from a one-thread rebuild; lookups find the same indices. Returns the number of
    /// entries finished after the last block.
    ///
    /// Why not a compare-exchange per state into the shared index (the rebuild until 2026-12-05): a locked
    /// instruction waits for the memory operations before it, so the lookahead's prefetches overlap less; on
    /// deep K=70 with two threads this rebuild took 0.87x the user-time samples of that one (the kernel's
    /// clearing of the new index's pages is the same work either way; Benchmarks/README.md, "Two threads on
    /// deep: where the time goes (2026-12-05, evening)").
    @discardableResult
    func reindexPartitioned(parts: Int, run: ParallelRunner) -> Int {
        let sliceStates = max(1, Self.reindexListEntries / (parts * parts))
        let blockStates = sliceStates * parts
        let lists = UnsafeMutablePointer<UInt64>.allocate(capacity: parts * parts * sliceStates)
        let listCounts = UnsafeMutablePointer<Int>.allocate(capacity: parts * parts)
        let bounds = UnsafeMutablePointer<Int>.allocate(capacity: parts + 1)
        let overflow = UnsafeMutablePointer<[UInt64]>.allocate(capacity: parts)
        overflow.initialize(repeating: [], count: parts)
        defer {
            lists.deallocate()
            listCounts.deallocate()
            bounds.deallocate()
            overflow.deinitialize(count: parts)
            overflow.deallocate()
        }
        // Range p holds the home slots h with h * parts / slotCount == p: from bounds[p] up to bounds[p + 1].
        for p in 0...parts { bounds[p] = (p * slotCount + parts - 1) / parts }
        let shared = Shared(value: (store: self, lists: lists, listCounts: listCounts, bounds: bounds, overflow: overflow))
        // Each range's pages are first written by the thread that enters its states (`touchFreshIndex`).
        run(parts) { part in
            let (store, _, _, bounds, _) = shared.value
            store.touchFreshIndex(bounds[part]..<bounds[part + 1])
        }
        var blockStart = 0
        while blockStart < count {
            let start = blockStart
            let end = min(count, blockStart + blockStates)
            run(parts) { slice in
                let (store, lists, listCounts, _, _) = shared.value
                // The last block's last slices may be empty.
                let first = min(end, start + slice * sliceStates)
                store.listHomes(of: first..<min(end, first + sliceStates), parts: parts,
                                into: lists + slice * parts * sliceStates, stride: sliceStates, counts: listCounts + slice * parts)
            }
            run(parts) { part in
                let (store, lists, listCounts, bounds, overflow) = shared.value
                for slice in 0..<parts {
                    store.enter(lists + (slice * parts + part) * sliceStates, count: listCounts[slice * parts + part],
                                before: bounds[part + 1], overflow: &overflow[part])
                }
            }
            blockStart = end
        }
        var finished = 0
        for part in 0..<parts {
            for item in overflow[part] {
                var slot = Int(item >> 32)
                if slot == slotCount { slot = 0 }
                while slots[slot] != 0 { slot = nextSlot(slot) }
                slots[slot] = UInt32(truncatingIfNeeded: item)
            }
            finished += overflow[part].count
        }
        return finished
    }

    /// Empties the index and enters every state again with `reindexPartitioned` (for tests); returns what it
    /// returns.
    func rebuildIndexPartitioned(parts: Int, run: ParallelRunner) -> Int {
        slots.update(repeating: 0, count: slotCount)
        return reindexPartitioned(parts: parts, run: run)
    }

    /// Lists states `states` by the range of their home slot: list p (at `lists + p * stride`, `counts[p]`
    /// entries) gets `home << 32 | entry` for each state whose home slot is in range p.
    private func listHomes(of states: Range<Int>, parts: Int, into lists: UnsafeMutablePointer<UInt64>, stride: Int,
                           counts: UnsafeMutablePointer<Int>) {
        for p in 0..<parts { counts[p] = 0 }
        for index in states {
            let hash = Self.hash(words + index * wordCount, wordCount)
            let home = homeSlot(hash)
            let part = home * parts / slotCount
            lists[part * stride + counts[part]] = UInt64(home) << 32 | UInt64(entry(index, hash))
            counts[part] += 1
        }
    }

    /// Enters `count` listed entries whose home slots lie in one range, ending before slot `end`, with plain
    /// loads and stores; an entry whose probe reaches `end` goes to `overflow` with `end` as the slot to go on from.
    private func enter(_ list: UnsafePointer<UInt64>, count: Int, before end: Int, overflow: inout [UInt64]) {
        let slots = self.slots
        for k in 0..<count {
            if k + Self.reindexPrefetchDistance < count { vmc_prefetch(slots + Int(list[k + Self.reindexPrefetchDistance] >> 32)) }
            let item = list[k]
            var slot = Int(item >> 32)
            while slot < end, slots[slot] != 0 { slot += 1 }
            if slot == end {
                overflow.append(UInt64(end) << 32 | (item & 0xFFFF_FFFF))
            } else {
                slots[slot] = UInt32(truncatingIfNeeded: item)
            }
        }
    }
}
