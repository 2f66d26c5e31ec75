import PackedSystem

/// Every transition between the stored states of a complete search without symmetry reduction, in compressed
/// rows: the successors of state `i` are `targets[offsets[i] ..< offsets[i + 1]]`, produced by the ground actions
/// at the same positions of `actions`, in the order of `TransitionRelation.forEachSuccessor` (action order, then
/// the order an action produced them; duplicates and self-loops kept). The liveness checks and their rankings
/// walk it.
///
/// Two ways to get it, equal edge for edge (`SuccessorGraphTests`): the search records it as it inserts each chunk
/// (`append(_:expanding:)`: it already has every successor and, once the chunk is inserted, every successor's
/// state number; the parallel search merges its chunks in the same order), or it is rebuilt afterwards by firing every action on every stored state
/// again (`init(rebuiltFrom:relation:)`), as the checks did until 2026-12-06. On the library's models with
/// liveness properties the rebuild took about as long as the search itself (`perf`, release: 36% of the samples
/// of v2-qemu-p2p's first combination at N=4, 41% of `vfio-mc check --strict Models`), since both run every
/// action program of every state in the interpreter.
struct SuccessorGraph: Equatable {
    private(set) var offsets: [Int] = [0]
    private(set) var targets: [Int32] = []
    private(set) var actions: [Int32] = []

    /// States whose successors are recorded.
    var stateCount: Int { offsets.count - 1 }

    /// Positions in `targets` and `actions` of the successors of `state`.
    @inline(__always)
    func edges(_ state: Int) -> Range<Int> { offsets[state]..<offsets[state + 1] }

    /// An empty graph, for the search to record into.
    init() {}

    /// Fires every action on every stored state and looks each successor up in the store; a successor the store
    /// does not hold (a search stopped by a limit) is left out.
    init(rebuiltFrom store: StateStore, relation: TransitionRelation) {
        offsets.reserveCapacity(store.count + 1)
        for state in 0..<store.count {
            relation.forEachSuccessor(of: store.state(state)) { action, successor in
                if let target = store.find(successor) {
                    targets.append(Int32(target))
                    actions.append(Int32(action))
                }
            }
            offsets.append(targets.count)
        }
    }

    /// Records the successors of the expanded states `states` (the next ones after those recorded) from a
    /// batch that has just been inserted with `SuccessorBatch.recordsTargets` on: the batch holds them in
    /// expansion order, each with its parent, action and stored state number (`SuccessorBatch.target(_:)`).
    mutating func append(_ batch: SuccessorBatch, expanding states: Range<Int>) {
        precondition(states.lowerBound == stateCount, "states recorded out of order")
        var position = 0
        let count = batch.count
        for state in states {
            while position < count, Int(batch.parents[position]) == state {
                targets.append(batch.target(position))
                actions.append(Int32(bitPattern: batch.actions[position]))
                position += 1
            }
            offsets.append(targets.count)
        }
        precondition(position == count, "a successor whose parent is not among the expanded states")
    }
}
