import ModelLanguage
import PackedSystem

/// The result of one liveness property: nil trace when it holds.
struct LivenessOutcome {
    /// The lasso: stem and loop, when the property is violated.
    var trace: (states: [Int], actions: [Int?], loopStart: Int)?
    /// A remark for the reader.
    var note: String?
}

/// A certificate that a liveness property holds, from the explored graph, for another engine to check on its own
/// terms (Manna and Pnueli's rule for response under weak fairness): a region of states (every state a violation
/// could pass through), a rank per state and, per state, a helpful fair ground action or none, such that from a
/// region state every step into a state without the goal stays in the region, never raises the rank, and keeps
/// it equal only if both states have the same helpful action, which is enabled there and is not the step's
/// action; a helpful action's own steps lower the rank or reach the goal; and no region state is a dead end.
/// Then an execution that avoids the goal forever settles on one rank and one helpful action, enabled at every
/// step and never taken: it is not weakly fair.
public struct LivenessRanking: Sendable {
    /// The region's states (packed words).
    public let states: [[UInt64]]
    /// Per state: its rank (0 and up).
    public let ranks: [Int]
    /// Per state: the index of its helpful fair ground action, nil for none.
    public let helpful: [Int?]

    /// A ranking given state by state (the explorer builds its own; tests build wrong ones).
    public init(states: [[UInt64]], ranks: [Int], helpful: [Int?]) {
        self.states = states
        self.ranks = ranks
        self.helpful = helpful
    }
}

/// Checks `eventually` and `leadsto` under weak fairness of the `fair` ground actions, on a fully explored graph.
///
/// `eventually P` fails when, from an initial state, a fair execution avoids `P` forever; `P ~> Q` fails when,
/// from a reachable `P` state, a fair execution avoids `Q` forever. Such an execution ends in a state without
/// successors (it stutters there) or cycles in a strongly connected component C of the region where it avoids
/// the goal, such that every fair action is either disabled in some state of C or taken on some edge inside C.
/// For weak fairness it is enough to test maximal components: removing states or edges never makes an unfair
/// component fair.
struct LivenessChecker {
    let system: TransitionSystem
    let store: StateStore
    let relation: TransitionRelation

    /// The transitions between the stored states when the search recorded them (`SuccessorGraph`), else nil:
    /// then they are rebuilt from the store.
    var recorded: SuccessorGraph? = nil

    func check() -> [Int: LivenessOutcome] {
        let liveness = system.properties.enumerated().filter { $0.element.info.kind == .eventually || $0.element.info.kind == .leadsto }
        guard !liveness.isEmpty else { return [:] }
        let graph = self.graph()
        var outcomes: [Int: LivenessOutcome] = [:]
        for (index, property) in liveness {
            outcomes[index] = check(property, graph)
        }
        return outcomes
    }

    private func graph() -> SuccessorGraph {
        recorded ?? SuccessorGraph(rebuiltFrom: store, relation: relation)
    }

    /// Evaluates a predicate on every state.
    private func mark(_ program: Int32) -> [Bool] {
        (0..<store.count).map { relation.holds(program, in: store.state($0)) }
    }

    private func check(_ property: PropertySpec, _ graph: SuccessorGraph) -> LivenessOutcome {
        guard let predicateProgram = property.predicateProgram else { return LivenessOutcome() }
        let isEventually = property.info.kind == .eventually
        let goal = isEventually ? mark(predicateProgram) : mark(property.targetProgram ?? predicateProgram)
        var region = goal.map { !$0 }
        let initials = (0..<store.count).filter { store.isInitial($0) }
        if isEventually {
            // Only the part of the region reachable from initial states without meeting P matters.
            region = reachableWithin(region, from: initials.filter { region[$0] }, graph)
        }
        let accepting = acceptingStates(region, graph)
        guard accepting.contains(true) else { return LivenessOutcome() }
        // The start of the violating execution.
        let start: Int
        var stem: [Int]
        var stemActions: [Int?]
        if isEventually {
            guard let found = nearest(from: initials.filter { region[$0] }, to: accepting, within: region, graph) else { return LivenessOutcome() }
            stem = found.states
            stemActions = found.actions
            start = stem[0]
            _ = start
        } else {
            let trigger = mark(predicateProgram)
            let bad = canReach(accepting, within: region, graph)
            guard let origin = (0..<store.count).first(where: { trigger[$0] && region[$0] && bad[$0] }) else { return LivenessOutcome() }
            let prefix = store.path(to: origin)
            stem = prefix
            stemActions = prefix.map { store.isInitial($0) ? nil : Int(store.action($0)) }
            guard let rest = nearest(from: [origin], to: accepting, within: region, graph) else { return LivenessOutcome() }
            stem += rest.states.dropFirst()
            stemActions += rest.actions.dropFirst()
        }
        guard let last = stem.last else { return LivenessOutcome() }
        let loopStart = stem.count - 1
        if graph.edges(last).isEmpty {
            return LivenessOutcome(trace: (stem, stemActions, loopStart),
                                   note: "the execution ends in a state with no successor and stays there forever")
        }
        let loop = fairLoop(from: last, region: region, graph)
        return LivenessOutcome(trace: (stem + loop.states, stemActions + loop.actions.map { Optional($0) }, loopStart), note: nil)
    }

    // MARK: Graph algorithms

    /// The one breadth-first search of this file: from `sources` in order, asking `enter(from, action, target)` once
    /// for every edge out of a dequeued state whether the target is new (the caller records its own seen marks and
    /// parents there), and ending at the first dequeued state `stop` accepts, which it returns.
    private func breadthFirst(from sources: [Int], _ graph: SuccessorGraph, stop: (Int) -> Bool = { _ in false },
                              enter: (_ from: Int, _ action: Int, _ target: Int) -> Bool) -> Int? {
        var queue = sources
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            if stop(state) { return state }
            for edge in graph.edges(state) {
                let target = Int(graph.targets[edge])
                if enter(state, Int(graph.actions[edge]), target) { queue.append(target) }
            }
        }
        return nil
    }

    /// A shortest path found by `breadthFirst`, read back through the parent links from `goal` to the source that
    /// has none: that source, then the states after it and the actions taken, in order.
    private func path(to goal: Int, _ parent: [Int: (state: Int, action: Int)]) -> (source: Int, states: [Int], actions: [Int]) {
        var states: [Int] = []
        var actions: [Int] = []
        var current = goal
        while let link = parent[current] {
            states.append(current)
            actions.append(link.action)
            current = link.state
        }
        return (current, states.reversed(), actions.reversed())
    }

    private func reachableWithin(_ region: [Bool], from sources: [Int], _ graph: SuccessorGraph) -> [Bool] {
        var seen = Array(repeating: false, count: region.count)
        for source in sources { seen[source] = true }
        _ = breadthFirst(from: sources, graph) { _, _, target in
            guard region[target], !seen[target] else { return false }
            seen[target] = true
            return true
        }
        return seen
    }

    /// States of the region from which an accepting state is reachable inside the region.
    private func canReach(_ accepting: [Bool], within region: [Bool], _ graph: SuccessorGraph) -> [Bool] {
        var predecessors = Array(repeating: [Int32](), count: region.count)
        for state in 0..<region.count where region[state] {
            for edge in graph.edges(state) where region[Int(graph.targets[edge])] {
                predecessors[Int(graph.targets[edge])].append(Int32(state))
            }
        }
        var seen = accepting
        var queue = (0..<accepting.count).filter { accepting[$0] }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for predecessor in predecessors[state] where !seen[Int(predecessor)] {
                seen[Int(predecessor)] = true
                queue.append(Int(predecessor))
            }
        }
        return seen
    }

    /// States in the region that are dead ends (no successor at all) or belong to a fair non-trivial component.
    private func acceptingStates(_ region: [Bool], _ graph: SuccessorGraph) -> [Bool] {
        var accepting = Array(repeating: false, count: region.count)
        for state in 0..<region.count where region[state] && graph.edges(state).isEmpty { accepting[state] = true }
        for component in stronglyConnectedComponents(region, graph) where isFair(component, region, graph) {
            for state in component { accepting[state] = true }
        }
        return accepting
    }

    /// Tarjan's algorithm, iterative, over the subgraph induced by the region; only non-trivial components unless
    /// `trivial`. Components come in the order Tarjan completes them: every component a component's edges lead
    /// to (inside the region) comes before it.
    private func stronglyConnectedComponents(_ region: [Bool], _ graph: SuccessorGraph, trivial: Bool = false) -> [[Int]] {
        let count = region.count
        var index = Array(repeating: -1, count: count)
        var low = Array(repeating: 0, count: count)
        var onStack = Array(repeating: false, count: count)
        var stack: [Int] = []
        var components: [[Int]] = []
        var nextIndex = 0
        var work: [(state: Int, edge: Int)] = []
        for root in 0..<count where region[root] && index[root] < 0 {
            work.append((root, graph.offsets[root]))
            index[root] = nextIndex
            low[root] = nextIndex
            nextIndex += 1
            stack.append(root)
            onStack[root] = true
            while let top = work.last {
                let state = top.state
                if top.edge < graph.offsets[state + 1] {
                    work[work.count - 1].edge += 1
                    let target = Int(graph.targets[top.edge])
                    guard region[target] else { continue }
                    if index[target] < 0 {
                        index[target] = nextIndex
                        low[target] = nextIndex
                        nextIndex += 1
                        stack.append(target)
                        onStack[target] = true
                        work.append((target, graph.offsets[target]))
                    } else if onStack[target] {
                        low[state] = min(low[state], index[target])
                    }
                    continue
                }
                work.removeLast()
                if let parent = work.last { low[parent.state] = min(low[parent.state], low[state]) }
                if low[state] == index[state] {
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(member)
                        if member == state { break }
                    }
                    let selfLoop = graph.edges(state).contains { Int(graph.targets[$0]) == state }
                    if trivial || component.count > 1 || selfLoop { components.append(component.sorted()) }
                }
            }
        }
        return components
    }

    /// Whether every fair ground action is disabled somewhere in the component or taken on an edge inside it.
    private func isFair(_ component: [Int], _ region: [Bool], _ graph: SuccessorGraph) -> Bool {
        let members = Set(component)
        for (actionIndex, action) in system.actions.enumerated() where action.fair {
            if takenInside(actionIndex, members, graph) { continue }
            if component.contains(where: { !isEnabled(actionIndex, $0, graph) }) { continue }
            return false
        }
        return true
    }

    private func takenInside(_ action: Int, _ members: Set<Int>, _ graph: SuccessorGraph) -> Bool {
        for state in members {
            for edge in graph.edges(state) where Int(graph.actions[edge]) == action && members.contains(Int(graph.targets[edge])) {
                return true
            }
        }
        return false
    }

    private func isEnabled(_ action: Int, _ state: Int, _ graph: SuccessorGraph) -> Bool {
        graph.edges(state).contains { Int(graph.actions[$0]) == action }
    }

    /// Shortest path inside the region from any source to an accepting state (sources tried in order).
    private func nearest(from sources: [Int], to accepting: [Bool], within region: [Bool], _ graph: SuccessorGraph)
        -> (states: [Int], actions: [Int?])? {
        var parent = [Int: (state: Int, action: Int)]()
        var seen = Set(sources)
        let found = breadthFirst(from: sources, graph, stop: { accepting[$0] }) { from, action, target in
            guard region[target], seen.insert(target).inserted else { return false }
            parent[target] = (from, action)
            return true
        }
        guard let found else { return nil }
        let route = path(to: found, parent)
        // The source's own entry: the action that discovered it, or none for an initial state.
        let entry = store.isInitial(route.source) ? nil : Int(store.action(route.source))
        return ([route.source] + route.states, [entry] + route.actions.map { Optional($0) })
    }

    /// A cycle from `start` back to `start` inside its component, taking every fair action the component
    /// enables everywhere and visiting a disabling state for every other fair action the cycle would starve.
    private func fairLoop(from start: Int, region: [Bool], _ graph: SuccessorGraph) -> (states: [Int], actions: [Int]) {
        let component = componentMembers(of: start, region: region, graph)
        var states: [Int] = []
        var actions: [Int] = []
        var position = start
        func walk(to target: Int) {
            guard let path = shortestPath(from: position, to: target, within: component, graph) else { return }
            states += path.states
            actions += path.actions
            position = target
        }
        for (actionIndex, action) in system.actions.enumerated() where action.fair {
            if component.contains(where: { !isEnabled(actionIndex, $0, graph) }) { continue }
            // Enabled everywhere: take one of its edges inside the component.
            guard let edge = component.sorted().lazy.flatMap({ state in graph.edges(state).map { (state, $0) } })
                .first(where: { Int(graph.actions[$0.1]) == actionIndex && component.contains(Int(graph.targets[$0.1])) }) else { continue }
            walk(to: edge.0)
            states.append(Int(graph.targets[edge.1]))
            actions.append(actionIndex)
            position = Int(graph.targets[edge.1])
        }
        // Every fair action the loop keeps enabled but never takes must be disabled somewhere on the loop.
        for (actionIndex, action) in system.actions.enumerated() where action.fair && !actions.contains(actionIndex) {
            let visited = [start] + states
            if visited.contains(where: { !isEnabled(actionIndex, $0, graph) }) { continue }
            if let disabling = component.sorted().first(where: { !isEnabled(actionIndex, $0, graph) }) { walk(to: disabling) }
        }
        if position != start || states.isEmpty {
            if position == start {
                // Leave and come back: the shortest cycle through start.
                if let cycle = shortestCycle(through: start, within: component, graph) {
                    states += cycle.states
                    actions += cycle.actions
                }
            } else {
                walk(to: start)
            }
        }
        return (states, actions)
    }

    // MARK: Certificates

    /// For every liveness property that holds on the graph: a ranking that certifies it under Manna and Pnueli's
    /// rule for weak fairness (`LivenessRanking`), built from the same components the check uses. Nil entries are
    /// left out (a property violated, or without a predicate).
    func rankings() -> [Int: LivenessRanking] {
        let liveness = system.properties.enumerated().filter { $0.element.info.kind == .eventually || $0.element.info.kind == .leadsto }
        guard !liveness.isEmpty else { return [:] }
        let graph = self.graph()
        var rankings: [Int: LivenessRanking] = [:]
        for (index, property) in liveness {
            if let ranking = ranking(property, graph) { rankings[index] = ranking }
        }
        return rankings
    }

    /// The region is what a violation must stay in: for `eventually P` the states reachable from an initial
    /// state without meeting `P`, for `P ~> Q` the states reachable from a `P` state without meeting `Q`. A
    /// component's rank is its height in the region's component graph (an edge leaving a component leads to a
    /// lower one); a non-trivial component, which is not fair when the property holds, gets as helpful action a fair
    /// action enabled in every one of its states and taken on none of its inner edges (one exists, or the
    /// component would be fair). Nil when the region has a dead end or a fair component (the property is
    /// violated).
    private func ranking(_ property: PropertySpec, _ graph: SuccessorGraph) -> LivenessRanking? {
        guard let predicateProgram = property.predicateProgram else { return nil }
        let isEventually = property.info.kind == .eventually
        let goal = isEventually ? mark(predicateProgram) : mark(property.targetProgram ?? predicateProgram)
        let avoid = goal.map { !$0 }
        let sources: [Int]
        if isEventually {
            sources = (0..<store.count).filter { store.isInitial($0) && avoid[$0] }
        } else {
            let trigger = mark(predicateProgram)
            sources = (0..<store.count).filter { trigger[$0] && avoid[$0] }
        }
        let region = reachableWithin(avoid, from: sources, graph)
        var rank = Array(repeating: -1, count: region.count)
        var helpful: [Int: Int] = [:]
        for component in stronglyConnectedComponents(region, graph, trivial: true) {
            let members = Set(component)
            let cyclic = component.count > 1 || graph.edges(component[0]).contains { Int(graph.targets[$0]) == component[0] }
            if cyclic {
                guard let action = system.actions.indices.first(where: { action in
                    system.actions[action].fair && !takenInside(action, members, graph)
                        && component.allSatisfy { isEnabled(action, $0, graph) }
                }) else { return nil }
                for state in component { helpful[state] = action }
            } else if graph.edges(component[0]).isEmpty {
                return nil
            }
            // The component's height in the region's component graph: one more than the highest component an edge
            // leaves it for (Tarjan completes those first), 0 when none. An edge leaving a component still lowers
            // the rank, but the ranks are as few as the longest chain of components rather than one per component
            // (kernel-next-state's NonBlockedSucceeds: 6,523 one-state components, 19 heights), and a certificate
            // whose labels take few values is a much smaller decision diagram for Z3 (`StateDiagram`, docs/smt.md).
            var height = 0
            for state in component {
                for edge in graph.edges(state) {
                    let target = Int(graph.targets[edge])
                    if region[target], !members.contains(target) { height = max(height, rank[target] + 1) }
                }
            }
            for state in component { rank[state] = height }
        }
        let states = (0..<region.count).filter { region[$0] }
        return LivenessRanking(states: states.map { store.stateArray($0) }, ranks: states.map { rank[$0] },
                               helpful: states.map { helpful[$0] })
    }

    private func componentMembers(of state: Int, region: [Bool], _ graph: SuccessorGraph) -> Set<Int> {
        for component in stronglyConnectedComponents(region, graph) where component.contains(state) { return Set(component) }
        return [state]
    }

    /// Shortest path (excluding `from`, including `to`) inside a set of states.
    private func shortestPath(from: Int, to: Int, within members: Set<Int>, _ graph: SuccessorGraph) -> (states: [Int], actions: [Int])? {
        if from == to { return ([], []) }
        var parent = [Int: (state: Int, action: Int)]()
        var seen: Set<Int> = [from]
        let found = breadthFirst(from: [from], graph, stop: { $0 == to }) { state, action, target in
            guard members.contains(target), seen.insert(target).inserted else { return false }
            parent[target] = (state, action)
            return true
        }
        guard let found else { return nil }
        let route = path(to: found, parent)
        return (route.states, route.actions)
    }

    private func shortestCycle(through start: Int, within members: Set<Int>, _ graph: SuccessorGraph) -> (states: [Int], actions: [Int])? {
        var best: (states: [Int], actions: [Int])?
        for edge in graph.edges(start) {
            let target = Int(graph.targets[edge])
            guard members.contains(target) else { continue }
            if target == start { return ([start], [Int(graph.actions[edge])]) }
            guard let back = shortestPath(from: target, to: start, within: members, graph) else { continue }
            let candidate = ([target] + back.states, [Int(graph.actions[edge])] + back.actions)
            if best == nil || candidate.0.count < (best?.states.count ?? Int.max) { best = candidate }
        }
        return best
    }
}
