@testable import Explorer
import Testing

/// The parallel search's rounds across the end of a level (`LevelCursor`): the same chunks as the one-thread
/// search, every state once and in order, and the same depth.
@Suite struct LevelCursorTests {
    /// A breadth-first search by level sizes alone: expanding the states of a level up to a point stores as large a
    /// share of the next level (rounded down), all of it once the level is expanded.
    struct Levels {
        let sizes: [Int]
        var starts: [Int] { sizes.indices.map { sizes.prefix($0).reduce(0, +) } }
        var total: Int { sizes.reduce(0, +) }

        /// States stored once every state below `expanded` is expanded.
        func stored(afterExpanding expanded: Int) -> Int {
            let starts = starts
            guard let level = starts.lastIndex(where: { $0 < expanded }) else { return sizes[0] }
            guard level + 1 < sizes.count else { return total }
            let done = expanded - starts[level]
            return starts[level + 1] + sizes[level + 1] * done / sizes[level]
        }

        /// The one-thread search's chunks: `chunkStates` states each from the start of every level.
        func oneThreadChunks(chunkStates: Int) -> [Range<Int>] {
            zip(starts, sizes).flatMap { start, size in
                stride(from: start, to: start + size, by: chunkStates).map { $0..<min(start + size, $0 + chunkStates) }
            }
        }
    }

    /// Runs the cursor over `levels`: the rounds' chunks and the depth reached.
    static func search(_ levels: Levels, chunkStates: Int, chunksPerRound: Int) -> (rounds: [[Range<Int>]], depth: Int) {
        var cursor = LevelCursor(initialStates: levels.sizes[0])
        var stored = levels.sizes[0]
        var rounds: [[Range<Int>]] = []
        var depth = 0
        while cursor.hasStates(stored: stored) {
            let round = cursor.roundChunks(stored: stored, chunkStates: chunkStates, chunks: chunksPerRound)
            #expect(!round.isEmpty && round.count <= chunksPerRound)
            rounds.append(round)
            for chunk in round {
                let after = levels.stored(afterExpanding: chunk.upperBound)
                if cursor.finished(chunk, stored: after) { depth += 1 }
            }
            // The search stores a round's new states when the round ends.
            stored = levels.stored(afterExpanding: round.last?.upperBound ?? 0)
            if rounds.count > levels.total { break }
        }
        return (rounds, depth)
    }

    static let shapes: [[Int]] = [
        [1, 3, 5_000, 7_000, 2],
        [1, 1, 1, 1],
        [2, 4_096, 4_096, 1, 9_000],
        [1, 40, 1_500, 2_600, 3_900, 2_600, 1_500, 40, 1],
    ]

    @Test(arguments: shapes, [1, 64, 2_048])
    func roundsHoldTheOneThreadSearchsChunksInOrder(sizes: [Int], chunkStates: Int) {
        let levels = Levels(sizes: sizes)
        for chunksPerRound in [1, 3, 16] {
            let (rounds, depth) = Self.search(levels, chunkStates: chunkStates, chunksPerRound: chunksPerRound)
            #expect(rounds.flatMap { $0 } == levels.oneThreadChunks(chunkStates: chunkStates))
            #expect(depth == sizes.count - 1)
        }
    }

    /// A round goes on into the next level once the level ends, with the chunks of it already stored: on the
    /// bell-shaped levels above, in chunks of 64 and rounds of 16, the search takes 16 rounds where one that
    /// stops every round at a level's end takes 18 (12,182 states: at least 12).
    @Test func roundsRunAcrossTheEndOfALevel() {
        let levels = Levels(sizes: Self.shapes[3])
        let (rounds, _) = Self.search(levels, chunkStates: 64, chunksPerRound: 16)
        let starts = Set(levels.starts)
        let crossing = rounds.filter { round in round.dropFirst().contains { starts.contains($0.lowerBound) } }
        let perLevel = levels.sizes.reduce(0) { $0 + ($1 + 64 * 16 - 1) / (64 * 16) }
        // The levels of 1,500 to 3,900 states take more than a round (1,024 states): the round that ends each of
        // them goes on into the next level, except the last, whose next level (40 states) has no whole chunk yet.
        #expect(crossing.count == 4)
        #expect(rounds.count == 16)
        #expect(perLevel == 18)
    }

    /// The round after a round, taken before that round is finished and of the states stored before it
    /// (`roundChunks(from:)`: the parallel search expands it while it inserts the round before): whenever it is a
    /// whole round, it is the round the cursor gives once the round before is finished.
    @Test(arguments: shapes, [1, 64, 2_048])
    func aWholeRoundAheadIsTheNextRound(sizes: [Int], chunkStates: Int) {
        let levels = Levels(sizes: sizes)
        var whole = 0
        for chunksPerRound in [1, 3, 16] {
            var cursor = LevelCursor(initialStates: sizes[0])
            var stored = sizes[0]
            while cursor.hasStates(stored: stored) {
                let round = cursor.roundChunks(stored: stored, chunkStates: chunkStates, chunks: chunksPerRound)
                guard let last = round.last else { break }
                let ahead = cursor.roundChunks(from: last.upperBound, stored: stored, chunkStates: chunkStates, chunks: chunksPerRound)
                for chunk in round { _ = cursor.finished(chunk, stored: levels.stored(afterExpanding: chunk.upperBound)) }
                stored = levels.stored(afterExpanding: last.upperBound)
                if ahead.count == chunksPerRound {
                    whole += 1
                    #expect(ahead == cursor.roundChunks(stored: stored, chunkStates: chunkStates, chunks: chunksPerRound))
                }
            }
        }
        // Levels of thousands of states hold several rounds of 64-state chunks, so some rounds ahead are whole.
        if chunkStates == 64 && sizes.max() ?? 0 > 4_000 { #expect(whole > 0) }
    }

    /// The end of the next level is not known while the current one is expanded, so a round takes only whole
    /// chunks of it: a shorter one could differ from the one-thread search's chunk.
    @Test func takesOnlyWholeChunksOfTheNextLevel() {
        var cursor = LevelCursor(initialStates: 100)
        // The level's 100 states in two chunks of 64; 100 states of the next level stored so far.
        #expect(cursor.roundChunks(stored: 200, chunkStates: 64, chunks: 16) == [0..<64, 64..<100, 100..<164])
        let ended = [cursor.finished(0..<64, stored: 200), cursor.finished(64..<100, stored: 240),
                     cursor.finished(100..<164, stored: 300)]
        #expect(ended == [false, true, false])
        #expect(cursor.levelEnd == 240)
        #expect(cursor.roundChunks(stored: 300, chunkStates: 64, chunks: 16) == [164..<228, 228..<240])
    }
}
