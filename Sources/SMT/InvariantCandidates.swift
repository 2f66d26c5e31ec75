import PackedSystem

/// One candidate lemma of the invariant finder (`InvariantFinder`), over the cells' ordinals (value minus the
/// type's lower bound, as the packed layout and the encoding hold them).
enum CandidateLemma: Hashable {
    /// Cell `field` never holds `ordinal`.
    case differs(field: Int, ordinal: Int64)
    /// Cell `field` holds at most `ordinal` (for cells too wide for one lemma per value).
    case atMost(field: Int, ordinal: Int64)
    /// Cell `field` holds at least `ordinal`.
    case atLeast(field: Int, ordinal: Int64)
    /// When cell `first` holds `a`, cell `second` does not hold `b`.
    case excludes(first: Int, a: Int64, second: Int, b: Int64)
    /// The "good" predicate of a safety property (its index): a property that holds may be inductive only
    /// together with the other lemmas, and they with it.
    case property(Int)

    /// The lemma's value on a state given as one ordinal per cell (nil for a property: only Z3 evaluates it).
    func holds(_ ordinals: [Int64]) -> Bool? {
        switch self {
        case .differs(let field, let ordinal): return ordinals[field] != ordinal
        case .atMost(let field, let ordinal): return ordinals[field] <= ordinal
        case .atLeast(let field, let ordinal): return ordinals[field] >= ordinal
        case .excludes(let first, let a, let second, let b): return ordinals[first] != a || ordinals[second] != b
        case .property: return nil
        }
    }
}

/// Limits of the candidate templates and of the simulation that prunes them.
struct CandidateLimits {
    /// Cells with at most this many values get one `x != v` lemma per value never seen; wider cells get the
    /// bounds `x <= max seen` and `x >= min seen` instead.
    var valueCardinality = 256
    /// Cells with at most this many values take part in the pair lemmas `x = a -> y != b` (8 keeps a pair's
    /// seen set in one 64-bit word).
    var pairCardinality = 8
    /// States visited breadth-first from the initial states, at most.
    var breadthStates = 100_000
    /// Random walks after the breadth-first sample, and the length of each: they reach deeper than the
    /// breadth-first sample on models whose shallow levels are wide.
    var walks = 64
    var walkLength = 300
    /// Pair lemmas kept at most (the rest, in cell order, are not proposed): the Houdini query grows with them.
    var maxPairs = 40_000
}

/// The candidate lemmas of a system: templates over the packed state, first pruned by the states of a cheap
/// simulation through the compiled machine's successor API (`TransitionRelation`, the one every engine uses;
/// no second transition relation). Simulation only ever removes candidates: whatever it leaves is still
/// checked by Z3 (initiation and consecution), so a sample that misses states costs rounds, never soundness.
struct InvariantCandidates {
    /// The lemmas no sampled state falsified, in a fixed order (cells, then pairs).
    let lemmas: [CandidateLemma]
    /// States the simulation visited (distinct in the breadth-first part, with repeats in the walks).
    let sampledStates: Int
    /// The distinct states visited: every one is reachable.
    let visited: Set<[UInt64]>
    /// Whether the breadth-first search ran out of successors before its limit: then `visited` is the whole
    /// reachable state space (of the machine's transition relation), and a state outside it is unreachable.
    let exhaustive: Bool
    /// The breadth-first search's states in the order it found them (the explorer's order: initial states,
    /// then each level's successors in the order their parents were expanded and their actions declared), with
    /// each state's parent (the first state whose expansion produced it; -1 for an initial state) and its
    /// distance from the initial states. `ShortestViolations` reads the explorer's first finding of each
    /// property and its shortest path from them.
    let breadthOrder: [[UInt64]]
    let parents: [Int32]
    let depths: [Int32]
    /// The successors of state i of `breadthOrder` (indices into it) are `successors[successorStart[i] ..<
    /// successorStart[i + 1]]`: the machine's transitions, complete when the sample is exhaustive.
    let successorStart: [Int32]
    let successors: [Int32]
    /// The cells with bits, and the ordinals of every visited state on them (row by row, in `visited`'s order).
    private let cells: [Int]
    private let table: [Int64]

    init(system: TransitionSystem, limits: CandidateLimits, stop: () -> Bool) {
        let fields = system.layout.fields
        let relation = TransitionRelation(system)
        let cells = fields.indices.filter { fields[$0].width > 0 }
        let pairCells = cells.filter { fields[$0].type.cardinality <= limits.pairCardinality }
        var seenValues: [[Bool]] = fields.map { field in
            field.width > 0 && field.type.cardinality <= limits.valueCardinality ? Array(repeating: false, count: field.type.cardinality) : []
        }
        var lowest: [Int64] = Array(repeating: .max, count: fields.count)
        var highest: [Int64] = Array(repeating: .min, count: fields.count)
        // Pairs (i < j in pairCells): bit a * cardinality(j) + b set when (a, b) was seen.
        var seenPairs: [UInt64] = Array(repeating: 0, count: pairCells.count * pairCells.count)
        var ordinals: [Int64] = Array(repeating: 0, count: fields.count)
        var sampled = 0
        var table: [Int64] = []
        var seen = Set<[UInt64]>()
        var order: [[UInt64]] = []
        var parents: [Int32] = []
        var depths: [Int32] = []
        var indexOf: [[UInt64]: Int32] = [:]
        var successorStart: [Int32] = [0]
        var successorList: [Int32] = []

        func visit(_ state: [UInt64]) {
            sampled += 1
            let fresh = seen.insert(state).inserted
            for index in cells {
                let ordinal = fields[index].read(state) - fields[index].type.lowerBound
                ordinals[index] = ordinal
                if ordinal < lowest[index] { lowest[index] = ordinal }
                if ordinal > highest[index] { highest[index] = ordinal }
                if !seenValues[index].isEmpty { seenValues[index][Int(ordinal)] = true }
                if fresh { table.append(ordinal) }
            }
            for (i, first) in pairCells.enumerated() {
                let a = ordinals[first]
                for j in (i + 1)..<pairCells.count {
                    let second = pairCells[j]
                    seenPairs[i * pairCells.count + j] |= 1 << UInt64(a * Int64(fields[second].type.cardinality) + ordinals[second])
                }
            }
        }

        // Breadth-first from the initial states (which are all visited: they decide initiation for the templates).
        // The frontier holds indices into `order`.
        var frontier: [Int] = []
        for state in system.initialStates where !seen.contains(state) {
            visit(state)
            frontier.append(order.count)
            indexOf[state] = Int32(order.count)
            order.append(state)
            parents.append(-1)
            depths.append(0)
        }
        var depth: Int32 = 0
        breadth: while !frontier.isEmpty {
            var next: [Int] = []
            depth += 1
            for parent in frontier {
                if stop() { break breadth }
                for successor in relation.successors(of: order[parent]) where seen.count < limits.breadthStates {
                    if let known = indexOf[successor.state] {
                        successorList.append(known)
                    } else {
                        visit(successor.state)
                        next.append(order.count)
                        indexOf[successor.state] = Int32(order.count)
                        successorList.append(Int32(order.count))
                        order.append(successor.state)
                        parents.append(Int32(parent))
                        depths.append(depth)
                    }
                }
                successorStart.append(Int32(successorList.count))
                if seen.count >= limits.breadthStates { break breadth }
            }
            frontier = next
        }
        exhaustive = frontier.isEmpty
        // Random walks (a fixed seed: the same candidates on every run), only when the breadth-first search
        // stopped early: after an exhaustive one they visit no new state and falsify no template.
        var random = SplitMix64(seed: 0x5eed_1ee7)
        if !exhaustive, !system.initialStates.isEmpty {
            walking: for _ in 0..<limits.walks {
                var state = system.initialStates[Int(random.next() % UInt64(system.initialStates.count))]
                for _ in 0..<limits.walkLength {
                    let successors = relation.successors(of: state)
                    if successors.isEmpty { break }
                    state = successors[Int(random.next() % UInt64(successors.count))].state
                    visit(state)
                }
                if stop() { break walking }
            }
        }

        var lemmas: [CandidateLemma] = []
        for index in cells {
            let cardinality = Int64(fields[index].type.cardinality)
            if !seenValues[index].isEmpty {
                for ordinal in 0..<cardinality where !seenValues[index][Int(ordinal)] {
                    lemmas.append(.differs(field: index, ordinal: ordinal))
                }
            } else if sampled > 0 {
                if highest[index] < cardinality - 1 { lemmas.append(.atMost(field: index, ordinal: highest[index])) }
                if lowest[index] > 0 { lemmas.append(.atLeast(field: index, ordinal: lowest[index])) }
            }
        }
        var pairs = 0
        pairing: for (i, first) in pairCells.enumerated() {
            for j in (i + 1)..<pairCells.count {
                let second = pairCells[j]
                let mask = seenPairs[i * pairCells.count + j]
                let width = Int64(fields[second].type.cardinality)
                for a in 0..<Int64(fields[first].type.cardinality) where seenValues[first][Int(a)] {
                    for b in 0..<width where seenValues[second][Int(b)] && mask & (1 << UInt64(a * width + b)) == 0 {
                        // Both values were seen alone, never together (a value never seen is excluded by its
                        // cell's own lemma, which implies the pair's).
                        lemmas.append(.excludes(first: first, a: a, second: second, b: b))
                        pairs += 1
                        if pairs >= limits.maxPairs { break pairing }
                    }
                }
            }
        }
        self.lemmas = lemmas
        sampledStates = sampled
        visited = seen
        breadthOrder = order
        self.parents = parents
        self.depths = depths
        self.successorStart = successorStart
        successors = successorList
        self.cells = cells
        self.table = table
    }

    /// The visited states as rows of ordinals over `cells` (the cells with bits), in the order visited.
    var rows: (cells: [Int], ordinals: [Int64]) { (cells, table) }
}

/// A small, fixed-seed pseudo-random generator (SplitMix64), so the sample and the candidates are the same on
/// every run.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
