/// One worker's dropping of repeats between neighbouring chunks in a parallel round's expansion phase: after it
/// expands a chunk, the first copies of the chunk's successors that one of the two chunks before it in the round
/// holds (when this worker expanded that chunk, in this round) are taken out of the chunk's first copies
/// (`SuccessorBatch.dropFirstOccurrences`). Such a copy has a copy with a smaller key in the earlier chunk, so it is
/// never a new state's first discovery: the claim phase would only find the earlier copy's claim, or the stored
/// state that copy finds, through the shared index. Same states, order and findings either way; a search that
/// records its successor graph keeps every first copy (the graph needs each one's stored number).
///
/// Why: on a deep, narrow model the successors of neighbouring chunks overlap (deep K=70: every state but the
/// first of a level has up to four parents, most of them in the same or the next chunk): of 67 M lookups on
/// two threads there, 18 M (27%) found a neighbour's copy, and two threads took 0.919 of the wall they took
/// before (Benchmarks/README.md, "Two threads: repeats between neighbouring chunks"). The neighbour's table, in the
/// cache, answers what the shared index would answer after a miss, and the claim, the listing and their lines
/// shared with the other core are spared. Where the repeats spread over the whole
/// round instead (p2p-scale N=6: 12% of the lookups found a copy), the lookups cost more than the claims they
/// save (5% of the user time), so a worker whose lookups over a window of `window` chunks find fewer than one in
/// `minimumShare` stops looking for the next `pause` chunks, then weighs another window.
///
/// The one-thread search does not need this: it inserts each chunk before it expands the next, so the repeats of
/// the chunk before find their states in the store's index lines it has just written (deep K=70: no difference).
struct NeighbourRepeats {
    /// How many chunks back a chunk looks (deep's repeats are one or two chunks apart, none farther).
    static let depth = 2
    /// The lookups of a window of chunks must find at least one copy in this many to go on looking.
    static let minimumShare = 5
    /// Chunks whose lookups are weighed together: one chunk's share moves too much (on deep K=70 a fifth of the
    /// chunks fall below the threshold that the whole run is well above).
    static let window = 16
    /// Chunks expanded without lookups after a window whose lookups found too few.
    static let pause = 240

    /// The round (`serial`) the chunks in `recent` were expanded in.
    private var round = -1
    /// The last two chunks this worker expanded in `round`, the latest first.
    private var recent = (-1, -1)
    /// Chunks still to expand without lookups.
    private var paused = 0
    /// The current window: chunks weighed, first copies looked up and dropped.
    private var windowChunks = 0
    private var windowLooked = 0
    private var windowDropped = 0
    /// Totals over the search: first copies looked up, and those dropped.
    private(set) var looked = 0
    private(set) var dropped = 0

    /// After the worker expanded chunk `chunk` of `round` (round number `serial`): drops its first copies held by
    /// its neighbours, as above. `always`: every chunk looks, whatever the lookups find (tests).
    mutating func drop(chunk: Int, of chunks: ArraySlice<RoundChunk>, serial: Int, always: Bool) {
        if round != serial {
            round = serial
            recent = (-1, -1)
        }
        defer { recent = (chunk, recent.0) }
        if paused > 0 {
            paused -= 1
            return
        }
        let batch = chunks[chunks.startIndex + chunk].batch
        var chunkLooked = 0
        var chunkDropped = 0
        for back in 1...Self.depth where chunk >= back && (chunk - back == recent.0 || chunk - back == recent.1) {
            chunkLooked += batch.firstCount
            chunkDropped += batch.dropFirstOccurrences(heldBy: chunks[chunks.startIndex + chunk - back].batch)
        }
        looked += chunkLooked
        dropped += chunkDropped
        guard chunkLooked > 0, !always else { return }
        windowChunks += 1
        windowLooked += chunkLooked
        windowDropped += chunkDropped
        if windowChunks == Self.window {
            if windowDropped * Self.minimumShare < windowLooked { paused = Self.pause }
            (windowChunks, windowLooked, windowDropped) = (0, 0, 0)
        }
    }
}
