/// The sets of states a run has had Z3 show to contain every initial state and to be closed under the encoding's
/// transition relation (the reachable set of a complete search, as a `StateDiagram`), so that the next
/// certificate over the same set does not build and check its closure again: the invariant finder's layered
/// certificate (`LayeredCertificate`) and a `leadsto` ranking (`LivenessEncoding.check(ranking:...)`) both rest on
/// the reachable set being closed, the finder's from its breadth-first sample, the ranking's from the explorer's
/// graph: the same states, found by two searches. A set is reused only when it is equal, state for state.
final class ClosedSets {
    /// Per hash of a set's sorted states: the sets proved.
    private var proved: [Int: [[[UInt64]]]] = [:]

    init() {}

    /// Whether `states` (in any order) is a set proved closed in this run.
    func contains(_ states: [[UInt64]]) -> Bool {
        let sorted = Self.sorted(states)
        return proved[sorted.hashValue]?.contains(sorted) ?? false
    }

    /// Records that Z3 showed `states` to contain every initial state and to be closed.
    func insert(_ states: [[UInt64]]) {
        let sorted = Self.sorted(states)
        guard !(proved[sorted.hashValue]?.contains(sorted) ?? false) else { return }
        proved[sorted.hashValue, default: []].append(sorted)
    }

    private static func sorted(_ states: [[UInt64]]) -> [[UInt64]] {
        states.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
