@testable import Explorer
import PackedSystem
import Testing

/// The parallel expansion lists a chunk's first occurrences through its worker's table of the chunks it expanded
/// just before, leaving out the states they hold (`NeighbourRepeats`): the table itself, and whole searches,
/// whose stores must equal the one-thread search's.
@Suite struct NeighbourRepeatsTests {
    /// Chunks of one-word states.
    static func chunks(_ contents: [[UInt64]]) -> ArraySlice<RoundChunk> {
        let chunks = contents.map { states in
            let chunk = RoundChunk(wordCount: 1)
            for state in states {
                var word = state
                chunk.batch.append(&word, number: 1, parent: 0, action: 0)
            }
            return chunk
        }
        return chunks[...]
    }

    /// The states at the listed first occurrences of a chunk, in order.
    static func firsts(_ chunk: RoundChunk) -> [UInt64] {
        (0..<chunk.batch.firstCount).map { chunk.batch.state(Int(chunk.batch.firsts[$0]))[0] }
    }

    /// Where two listings first differ (their lengths when one is a prefix of the other), or nil when they are
    /// equal: a failure names the place instead of printing thousands of states.
    static func firstDifference(_ a: [UInt64], _ b: [UInt64]) -> String? {
        if let index = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) { return "at \(index): \(a[index]) against \(b[index])" }
        return a.count == b.count ? nil : "\(a.count) states against \(b.count)"
    }

    static let contents: [[UInt64]] = [[5, 9, 5, 12, 40], [7, 12, 7, 3, 5, 41, 9, 100], [3, 41, 8, 7, 8], [5, 8, 200]]

    @Test func leavesOutWhatTheChunksBeforeHoldAndKeepsTheOrder() {
        let table = NeighbourRepeats()
        let round = Self.chunks(Self.contents)
        for chunk in 0..<4 { table.listFirstOccurrences(chunk: chunk, of: round, serial: 1) }
        #expect(Self.firsts(round[0]) == [5, 9, 12, 40])
        #expect(Self.firsts(round[1]) == [7, 3, 41, 100])
        // The positions listed are those of the first copies (7 at 0, 3 at 3, 41 at 5, 100 at 7).
        #expect((0..<round[1].batch.firstCount).map { round[1].batch.firsts[$0] } == [0, 3, 5, 7])
        #expect(Self.firsts(round[2]) == [8])
        #expect(Self.firsts(round[3]) == [200])
        #expect(table.listed == 4 + 4 + 1 + 1)
        // Copies left out: 12, 5, 9 in chunk 1; 3, 41, 7 in chunk 2; 5, 8 in chunk 3.
        #expect(table.dropped == 8)
    }

    @Test func aNewRoundOrAChunkThatDoesNotFollowStartsAnEmptyTable() {
        let table = NeighbourRepeats()
        let round = Self.chunks(Self.contents)
        table.listFirstOccurrences(chunk: 0, of: round, serial: 1)
        // Chunk 1 was the other worker's: chunk 2 does not follow chunk 0 and lists all it holds.
        table.listFirstOccurrences(chunk: 2, of: round, serial: 1)
        #expect(Self.firsts(round[2]) == [3, 41, 8, 7])
        // The next round's chunk 3 follows chunk 2, but in another round: nothing is left out.
        table.listFirstOccurrences(chunk: 3, of: round, serial: 2)
        #expect(Self.firsts(round[3]) == [5, 8, 200])
        #expect(table.dropped == 0)
    }

    @Test func comparesWholeStatesNotOnlyTheirHashes() {
        let round = (0..<2).map { _ in RoundChunk(wordCount: 2) }[...]
        var a: [UInt64] = [1, 2]
        var b: [UInt64] = [1, 3]
        var c: [UInt64] = [2, 2]
        round[0].batch.append(&a, number: 1, parent: 0, action: 0)
        round[0].batch.append(&b, number: 1, parent: 0, action: 0)
        round[1].batch.append(&c, number: 1, parent: 0, action: 0)
        round[1].batch.append(&b, number: 1, parent: 0, action: 0)
        let table = NeighbourRepeats()
        table.listFirstOccurrences(chunk: 0, of: round, serial: 1)
        table.listFirstOccurrences(chunk: 1, of: round, serial: 1)
        #expect(round[1].batch.firstCount == 1)
        let kept = round[1].batch.state(Int(round[1].batch.firsts[0]))
        #expect(Array(UnsafeBufferPointer(start: kept, count: 2)) == [2, 2])
    }

    /// A run holds at most `maximumRun` chunks (an entry names a chunk by its place in the run): the chunk after
    /// them starts an empty table and lists again what they hold.
    @Test func aRunHoldsAtMostMaximumRunChunks() {
        let run = NeighbourRepeats.maximumRun
        let round = Self.chunks((0..<(run + 2)).map { [100, UInt64($0 + 1)] })
        let table = NeighbourRepeats()
        // A round before with a chunk of 1,000 states: the table (which never shrinks) then has room for all ten.
        table.listFirstOccurrences(chunk: 0, of: Self.chunks([(0..<1_000).map { UInt64($0) + 5_000 }]), serial: 0)
        for chunk in 0..<(run + 2) { table.listFirstOccurrences(chunk: chunk, of: round, serial: 1) }
        #expect(Self.firsts(round[0]) == [100, 1])
        for chunk in 1..<run { #expect(Self.firsts(round[chunk]) == [UInt64(chunk + 1)]) }
        #expect(Self.firsts(round[run]) == [100, UInt64(run + 1)])
        #expect(Self.firsts(round[run + 1]) == [UInt64(run + 2)])
        #expect(table.dropped == run)
    }

    /// The largest chunks the table takes (`maximumSlots / 8` successors): a state at a chunk's last position is
    /// found from the next chunk, and a repeat at the last position within a chunk is dropped as a repeat.
    @Test func theLargestChunksTheTableTakesReachTheirLastPositions() {
        let size = NeighbourRepeats.maximumSlots / 8
        let first = (0..<UInt64(size)).map { $0 }
        let second = (0..<UInt64(size - 2)).map { $0 + 1_000_000 } + [UInt64(size - 1), 1_000_000 + UInt64(size - 3)]
        let round = Self.chunks([first, second])
        let table = NeighbourRepeats()
        for chunk in 0..<2 { table.listFirstOccurrences(chunk: chunk, of: round, serial: 1) }
        #expect(round[0].batch.firstCount == size)
        #expect(Self.firstDifference(Self.firsts(round[1]), (0..<UInt64(size - 2)).map { $0 + 1_000_000 }) == nil)
        // Only the copy of the first chunk's last state counts as held by an earlier chunk.
        #expect(table.dropped == 1)
    }

    /// A chunk with more successors than the table takes uses its own table (and ends the run of chunks).
    @Test func aLargeChunkListsItsOwnFirstOccurrences() {
        let large = (0..<UInt64(NeighbourRepeats.maximumSlots / 8 + 1)).map { $0 % 5_000 }
        let round = Self.chunks([[1, 2, 3], large, [1, 2, 4]])
        let table = NeighbourRepeats()
        for chunk in 0..<3 { table.listFirstOccurrences(chunk: chunk, of: round, serial: 1) }
        #expect(round[1].batch.firstCount == 5_000)
        #expect(Self.firsts(round[2]) == [1, 2, 4])
        #expect(table.listed == 3 + 3)
        #expect(table.dropped == 0)
    }

    /// Large chunks listed one after another by one worker share its `OccurrenceTable`: each lists exactly what
    /// its own table lists, whatever the chunk before left in the worker's (a larger chunk first, so that the
    /// second sees a table bigger than it needs, full of the first one's entries).
    @Test func largeChunksShareTheWorkersTableAndListAsAlone() {
        let minimum = NeighbourRepeats.maximumSlots / 8 + 1
        let first = (0..<UInt64(3 * minimum)).map { $0 % 7_001 }
        let second = (0..<UInt64(minimum)).map { ($0 * 3) % 4_999 + 6_000 }
        let round = Self.chunks([first, second, first])
        let alone = Self.chunks([first, second])
        for chunk in alone { chunk.batch.findFirstOccurrences() }
        let table = NeighbourRepeats()
        for chunk in 0..<3 { table.listFirstOccurrences(chunk: chunk, of: round, serial: 1) }
        #expect(Self.firstDifference(Self.firsts(round[0]), Self.firsts(alone[0])) == nil)
        #expect(Self.firstDifference(Self.firsts(round[1]), Self.firsts(alone[1])) == nil)
        #expect(Self.firstDifference(Self.firsts(round[2]), Self.firsts(alone[0])) == nil)
        #expect(round[0].batch.firstCount == 7_001)
        // 3 k mod 4,999 takes every value below 4,999 (3 and 4,999 are coprime), and the chunk has more than 4,999.
        #expect(round[1].batch.firstCount == 4_999)
        #expect(table.dropped == 0)
    }

    /// Four counters, like Benchmarks/deep.vmc: every state but the first of a level has up to four parents, in
    /// the same or neighbouring chunks.
    static let grid = """
        model grid
        var a: 0..12 = 0
        var b: 0..12 = 0
        var c: 0..12 = 0
        var d: 0..12 = 0
        action incA when a < 12 { a := a + 1 }
        action incB when b < 12 { b := b + 1 }
        action incC when c < 12 { c := c + 1 }
        action incD when d < 12 { d := d + 1 }
        invariant NotFar: a + b + c + d < 40
        reachable Corner: a == 12 && b == 12 && c == 12 && d == 12
        """

    /// The states, parents and actions of a store, in order.
    static func contents(_ store: StateStore) -> [[UInt64]] {
        (0..<store.count).map { store.stateArray($0) + [UInt64(store.parent($0)), UInt64(store.action($0))] }
    }

    /// Runs `model` on one thread and on two (every round on the threads), with chunks of `chunkStates`; checks
    /// that the results and stores are the same and returns the two-thread explorer.
    static func twoThreadsMatchOne(_ model: String, chunkStates: Int) throws -> ExplicitExplorer {
        try RoundLeadTests.matchesOneThread(model, chunkStates: chunkStates)
    }

    @Test(arguments: [64, 512])
    func aSearchThatLeavesOutNeighbourRepeatsStoresWhatTheOneThreadSearchStores(chunkStates: Int) throws {
        let explorer = try Self.twoThreadsMatchOne(Self.grid, chunkStates: chunkStates)
        #expect(explorer.neighbourRepeatsListed > 0)
        #expect(explorer.neighbourRepeatsDropped > 0)
    }

    /// Sixteen flags, sixteen successors per state (levels of C(16, k) states): only chunks of at most 512 states
    /// have few enough successors for the table (8,192), the others list their first occurrences in their own
    /// tables. Those are the levels of up to 560 states (697 states at each end) and the 272 states after four
    /// chunks of 4,368: at most 2 * (697 + 272) * 16 = 31,008 successors, of 1,048,576.
    @Test func chunksWithManySuccessorsUseTheirOwnTables() throws {
        var model = "model flags\n"
        for flag in 0..<16 { model += "var f\(flag): bool = false\naction t\(flag) { f\(flag) := !f\(flag) }\n" }
        let explorer = try Self.twoThreadsMatchOne(model, chunkStates: ExplicitExplorer.chunkSize)
        #expect(explorer.neighbourRepeatsListed > 0)
        #expect(explorer.neighbourRepeatsListed <= 31_008)
    }

    /// A search that records its successor graph (a model with a liveness property) keeps every first copy.
    @Test func aSearchThatRecordsItsGraphLeavesNothingOut() throws {
        let explorer = try Self.twoThreadsMatchOne(Self.grid + "\neventually Done: a == 12\n", chunkStates: 64)
        #expect(explorer.neighbourRepeatsListed == 0)
    }
}
