/// One worker's table of the distinct successors of the chunks it expanded one after another in a parallel
/// round: it lists a chunk's first occurrences (as `SuccessorBatch.findFirstOccurrences` does with one chunk's
/// table) and leaves out the states that an earlier chunk of the run holds. Such a state has a copy with a
/// smaller key in that chunk, so its copies here are never a new state's first discovery: the claim phase would
/// only find the earlier copy's claim, or the stored state that copy finds, through the shared index. Same
/// states, order and findings either way; a search that records its successor graph keeps every first copy (the
/// graph needs each one's stored number), and lists each chunk alone, in this worker's `OccurrenceTable`.
///
/// Why: on a deep, narrow model the successors of neighbouring chunks overlap (deep K=70: every state but the
/// first of a level has up to four parents, most of them in the same or the next chunk). There, on two threads,
/// 18.7 M successors are left out as copies of a state an earlier chunk holds, and 30.0 M first copies go on to
/// the claim phase instead of about 48.6 M, each of which would cost a probe of the shared index (a line the other
/// core may hold) and a place in the listing; two threads took 0.896 of the wall they took before
/// (Benchmarks/README.md, "Two threads: repeats between neighbouring chunks"). One table for the run costs one
/// lookup per successor, as the chunk's own table does; a first version looked each first copy up in the two
/// neighbours' own tables after the chunk's, three lookups in all, and gained 0.919.
///
/// The run ends, and the table is emptied, at a new round, at a chunk that does not follow the last one (the
/// other worker took the one between), after `maximumRun` chunks, and when the chunk's successors might take the
/// table past load 1/2. Entries of 4 bytes (a chunk's place in the run instead of its number in the round, a tag
/// of 15 bits instead of 32) keep the table at 256 KB: with 8-byte entries (512 KB, half of a core's second-level
/// cache) deep K=70's two threads did about 5% more work (`perf`: the listing 1,149 samples against 945, the whole
/// run 8,441 against 7,859; Benchmarks/README.md, "Two threads: `NeighbourRepeats` in 4-byte entries"). A
/// chunk with more successors than an eighth of `maximumSlots` (8,192: deep's chunks have 8,192, p2p-scale's
/// about 32,000) is listed alone, in this worker's `OccurrenceTable`: the table would hold too few of them to
/// reach back a chunk or two, and a larger one would leave the second-level cache, where each lookup costs a miss.
final class NeighbourRepeats {
    /// The most slots the table has: 4 bytes each, 256 KB in all.
    static let maximumSlots = 1 << 16
    /// The most chunks the table holds at once (their place in the run takes 3 bits of an entry).
    static let maximumRun = 8

    /// Entries: the low 15 bits of the state's hash, above the chunk's place in the run (3 bits), above the
    /// position + 1 in the chunk (14 bits: a chunk the table takes has at most `maximumSlots / 8` successors, 8,192);
    /// 0 is empty. The slot comes from the hash's high bits, so the tag rules out other states' slots nearly always
    /// without reading their words.
    private let entries: UnsafeMutablePointer<UInt32>
    private var mask = 0
    /// Entries in the table.
    private var used = 0
    /// The round (`serial`) of the chunks in the table, the first of them, and the last.
    private var round = -1
    private var runStart = 0
    private var lastChunk = -1
    /// The words of each chunk in the table, by its place in the run.
    private let chunkWords: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
    /// What `chunkWords` holds for a place no chunk has taken yet (never read).
    private let noWords = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    /// The table lent to the chunks that list their first occurrences alone (see `OccurrenceTable`).
    private let occurrences = OccurrenceTable()
    /// Totals over the search: first occurrences listed through the table, and successors left out because an
    /// earlier chunk holds their state (every copy counted).
    private(set) var listed = 0
    private(set) var dropped = 0

    init() {
        entries = .allocate(capacity: Self.maximumSlots)
        entries.initialize(repeating: 0, count: Self.maximumSlots)
        chunkWords = .allocate(capacity: Self.maximumRun)
        // Read only for the chunks in the table, each set when it enters.
        chunkWords.initialize(repeating: noWords, count: Self.maximumRun)
    }

    deinit {
        entries.deallocate()
        chunkWords.deallocate()
        noWords.deallocate()
    }

    /// Lists the first occurrences of chunk `chunk` of `chunks` (round number `serial`), which this worker has
    /// just expanded, as above.
    func listFirstOccurrences(chunk: Int, of chunks: ArraySlice<RoundChunk>, serial: Int) {
        let batch = chunks[chunks.startIndex + chunk].batch
        let count = batch.count
        if batch.recordsTargets || 8 * count > Self.maximumSlots {
            batch.findFirstOccurrences(in: occurrences)
            lastChunk = -1
            return
        }
        if round != serial || chunk != lastChunk + 1 || lastChunk < 0 || chunk - runStart >= Self.maximumRun
            || 2 * (used + count) > mask + 1 {
            // Room for this chunk and at least three more as large, at load 1/2.
            var slots = 16
            while slots < 8 * count { slots *= 2 }
            slots = min(Self.maximumSlots, max(slots, mask + 1))
            entries.update(repeating: 0, count: slots)
            mask = slots - 1
            used = 0
            round = serial
            runStart = chunk
        }
        lastChunk = chunk
        chunkWords[chunk - runStart] = batch.words
        let (firsts, held) = list(batch, place: chunk - runStart)
        used += firsts
        listed += firsts
        dropped += held
    }

    /// Lists the batch's first occurrences through the table, entering the new ones; returns how many it listed,
    /// and how many successors it left out as copies of a state an earlier chunk holds.
    private func list(_ batch: SuccessorBatch, place: Int) -> (Int, Int) {
        let wordCount = batch.wordCount
        let words = batch.words
        let hashes = batch.hashes
        let firsts = batch.firsts
        let chunkBits = UInt32(place) << 14
        var listed = 0
        var held = 0
        for k in 0..<batch.count {
            let hash = hashes[k]
            let tag = UInt32(truncatingIfNeeded: hash) << 17
            let state = words + k * wordCount
            // The high bits, as the chunk's own table: the store's index takes its home slot from the product.
            var slot = Int(truncatingIfNeeded: hash >> 40) & mask
            var found: UInt32 = 0
            while true {
                let entry = entries[slot]
                if entry == 0 { break }
                if entry & 0xFFFE_0000 == tag {
                    let other = chunkWords[Int(truncatingIfNeeded: (entry >> 14) & 7)]
                        + (Int(truncatingIfNeeded: entry & 0x3FFF) - 1) * wordCount
                    if Self.equal(other, state, wordCount) {
                        found = entry
                        break
                    }
                }
                slot = (slot + 1) & mask
            }
            if found == 0 {
                entries[slot] = tag | chunkBits | UInt32(k + 1)
                firsts[listed] = Int32(k)
                listed += 1
            } else if found & 0xFFFF_C000 != tag | chunkBits {
                // A state an earlier chunk holds (else a repeat within this chunk).
                held += 1
            }
        }
        batch.setFirstCount(listed)
        return (listed, held)
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ count: Int) -> Bool {
        if count == 1 { return a[0] == b[0] }
        for k in 0..<count where a[k] != b[k] { return false }
        return true
    }
}
