/// Where the parallel search is in the breadth-first order: the next state to expand and the end of its level.
///
/// The one-thread search expands states in index order, and the parallel search stores the same states in the
/// same order, so a round need not stop at the end of a level: the states stored before it starts are all final,
/// those of the next level included. A round therefore takes its chunks from the next state on, up to the states
/// stored so far, across the end of the level when it comes (into the next level only: the one after it holds no
/// state until this round stores some). Stopping each round at a level's end left a last, shorter round in every level:
/// on deep K=70, 281 of 948 rounds, 6.7 chunks of 16 on average, in which one thread waited for the other's
/// last chunk at each phase's end (Benchmarks/README.md, "Two threads: rounds across levels").
///
/// The chunks are the one-thread search's (`ExplicitExplorer.explore`): `chunkStates` states each from the start of
/// a level, the last one ending where the level ends. So a search stopped by the state limit stops inside the same
/// chunk, with its transitions counted the same. The end of the level after the current one is known only once the
/// current one is expanded, so a round takes only whole chunks of it.
struct LevelCursor {
    /// The first state not expanded yet.
    private(set) var next = 0
    /// The end of the level that `next` is in: the first state of the level after it, once every state of the
    /// level before it has been expanded.
    private(set) var levelEnd: Int

    /// A cursor at the first of `initialStates`, the first level.
    init(initialStates: Int) {
        levelEnd = initialStates
    }

    /// Whether states are left to expand when `stored` states are stored.
    func hasStates(stored: Int) -> Bool { next < stored }

    /// The chunks of the next round: up to `chunks` ranges, one after the other from `next`, of the `stored` states
    /// stored so far: `chunkStates` states each, the last of a level ending where the level ends, and of the level
    /// after it only whole chunks (its end is not known yet). Not empty while `hasStates(stored:)`.
    ///
    /// With `start`, the end of the round before (whose chunks are not finished yet): the round after it, of the
    /// same `stored` states, which the parallel search expands while it inserts that round
    /// (`ExplicitExplorer.exploreInParallel`). Its chunks are the ones `roundChunks` gives once that round is
    /// finished, as long as they are `chunks` whole ones: a level that ends inside them ended before the round
    /// before was taken (`levelEnd`), and past it they take only whole chunks of states stored already.
    func roundChunks(from start: Int? = nil, stored: Int, chunkStates: Int, chunks: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(chunks)
        var start = start ?? next
        while ranges.count < chunks {
            let end: Int
            if start < levelEnd {
                end = min(start + chunkStates, levelEnd)
            } else if start + chunkStates <= stored {
                end = start + chunkStates
            } else {
                break
            }
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// Records that `chunk` (the next of the round, in order) has been expanded and its new states stored, with
    /// `stored` states in all after it. When it ends the level, the next level ends at `stored`; returns true when
    /// that next level holds a state (the search's depth grows by one, as the one-thread search's does when it
    /// finishes a level).
    mutating func finished(_ chunk: Range<Int>, stored: Int) -> Bool {
        next = chunk.upperBound
        guard chunk.upperBound == levelEnd else { return false }
        let deeper = stored > levelEnd
        levelEnd = stored
        return deeper
    }
}
