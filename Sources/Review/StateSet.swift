/// An insertion-ordered set of packed states, so that everything derived from it is deterministic.
struct StateSet {
    private(set) var states: [[UInt64]] = []
    private var members: Set<[UInt64]> = []

    init() {}

    init<S: Sequence>(_ states: S) where S.Element == [UInt64] {
        for state in states { insert(state) }
    }

    /// Inserts a state; true when it was new.
    @discardableResult
    mutating func insert(_ state: [UInt64]) -> Bool {
        guard members.insert(state).inserted else { return false }
        states.append(state)
        return true
    }

    func contains(_ state: [UInt64]) -> Bool { members.contains(state) }

    var count: Int { states.count }
    var isEmpty: Bool { states.isEmpty }
}
