/// One field the guard table reads: where it is, and where its rows start.
struct GuardTableField: Sendable {
    var word: Int32
    var shift: UInt8
    var mask: UInt64
    /// Index of the row for ordinal 0 (row r starts at word `r * wordsPerSet` of `rows`).
    var rowBase: Int32
}

/// The guard tests of all ground actions as one table per field: for every value of a field that some test
/// reads (fields of at most 256 raw values), the set of actions whose tests on that field pass. The actions
/// whose tests all pass in a state are the intersection of one row per field, so a state costs one lookup per
/// field instead of one test per action, and each distinct test is in effect decided once per state (the
/// actions sharing it share the row). Tests on wider fields stay per action (`residual`). The sets are
/// bitsets over the actions in ground-action order, so iterating their bits keeps the order of successors.
struct GuardTable: Sendable {
    /// The largest raw field width the table reads (2^8 rows per field).
    static let maximumFieldBits = 8
    /// The most words the rows may take.
    static let maximumRowWords = 1 << 20

    /// Words per action set.
    let wordsPerSet: Int
    let fields: [GuardTableField]
    /// Row r, word w at `r * wordsPerSet + w`.
    let rows: [UInt64]
    /// Every action's bit.
    let all: [UInt64]
    /// Per action (and one past the last): where its tests that are not in the table start in `residual`.
    let residualStart: [Int32]
    let residual: [FieldTest]

    /// The table of `actions`' guard tests, or nil when it would cost more per state than testing each action
    /// in turn (one lookup per field and set word against one test per action test), or be too large.
    init?(_ actions: [GroundAction]) {
        let words = (actions.count + 63) / 64
        guard words > 0 else { return nil }
        struct Key: Hashable {
            let word: Int32
            let shift: UInt8
            let mask: UInt64
        }
        var order: [Key] = []
        var known = Set<Key>()
        var testCount = 0
        for action in actions {
            for test in action.guardTests where test.mask <= (1 << Self.maximumFieldBits) - 1 {
                let key = Key(word: test.word, shift: test.shift, mask: test.mask)
                if known.insert(key).inserted { order.append(key) }
            }
            testCount += action.guardTests.count
        }
        guard !order.isEmpty, order.count * words <= testCount else { return nil }
        let rowCount = order.reduce(0) { $0 + Int($1.mask) + 1 }
        guard rowCount * words <= Self.maximumRowWords else { return nil }
        var all = Array(repeating: UInt64(0), count: words)
        for action in actions.indices { all[action >> 6] |= 1 << UInt64(action & 63) }
        var rows: [UInt64] = []
        rows.reserveCapacity(rowCount * words)
        var fields: [GuardTableField] = []
        var base: [Key: Int] = [:]
        for key in order {
            base[key] = rows.count / words
            fields.append(GuardTableField(word: key.word, shift: key.shift, mask: key.mask, rowBase: Int32(rows.count / words)))
            for _ in 0...key.mask { rows += all }
        }
        var residualStart: [Int32] = [0]
        var residual: [FieldTest] = []
        for (index, action) in actions.enumerated() {
            for test in action.guardTests {
                let key = Key(word: test.word, shift: test.shift, mask: test.mask)
                guard let first = base[key] else {
                    residual.append(test)
                    continue
                }
                for ordinal in 0...test.mask where !Self.passes(test, ordinal) {
                    rows[(first + Int(ordinal)) * words + (index >> 6)] &= ~(1 << UInt64(index & 63))
                }
            }
            residualStart.append(Int32(residual.count))
        }
        wordsPerSet = words
        self.fields = fields
        self.rows = rows
        self.all = all
        self.residualStart = residualStart
        self.residual = residual
    }

    /// Whether a field holding `ordinal` passes `test` (the computation of `FieldTest.passes`).
    static func passes(_ test: FieldTest, _ ordinal: UInt64) -> Bool {
        let offset = ordinal &- test.low
        return offset <= test.span && (test.allowed >> (offset & 63)) & 1 != 0
    }
}
