import Explorer
import PackedSystem

/// The explorer's first finding of one safety property, read from the invariant finder's breadth-first sample
/// when that sample is the whole state space (`InvariantCandidates.exhaustive`).
struct SampleViolation {
    /// What the finding is.
    enum Shape: Equatable {
        /// The state itself is bad: an invariant false, a goal reached, a deadlock. The trace has `depth` steps.
        case state
        /// An action fails in the state (an assertion, or `bounds`): the trace has `depth + 1` steps, the last
        /// one the failing action.
        case failingAction
        /// For `bounds`: the predicate of property `of` fails to evaluate in the state (`depth` steps).
        case predicateFailure(of: Int)
    }

    let property: Int
    /// The state's index in `InvariantCandidates.breadthOrder`.
    let state: Int
    let shape: Shape
    /// The state's distance from the initial states.
    let depth: Int

    /// The trace's length as the explorer counts it (`Trace.length`: transitions, plus one for a failing action).
    var length: Int { shape == .failingAction ? depth + 1 : depth }
}

/// What the exhaustive breadth-first sample says about the safety properties, read the way the explorer reads
/// its own search, so that a violation found here is the explorer's (same state, same path, same failing
/// action): states are taken in the explorer's order (initial states checked as they are stored, then per
/// level chunks of `chunkSize` states expanded, failures and deadlock recorded in expansion order, then the
/// states the chunk discovered checked as they are stored, in discovery order), and each property keeps its
/// first finding. A state predicate that fails to evaluate is a `bounds` finding only while its own property
/// has none, as in the explorer (`ExplicitExplorer.recordStateEvent`).
///
/// This is the machine's answer, not yet a verdict: a violation is reported only after Z3 has replayed its
/// path in the SMT encoding and the layered certificate has shown that no shorter one exists there
/// (`InvariantFinder`, `SymbolicRun.findInvariant`).
struct SampleVerdicts {
    /// The explorer's chunk of states expanded before their successors are stored: it decides which of two
    /// `bounds` findings of the same length comes first, so it is the explorer's constant, not a copy.
    static let chunkSize = ExplicitExplorer.chunkSize

    /// The properties (of those asked) that are good in every state, as the SMT encoding's "good" predicate
    /// reads them (`TraceDecoder.isGood`).
    let holding: Set<Int>
    /// The first finding of each safety property the sample violates (every safety property, not only those
    /// asked: the `bounds` rule needs the others' depths).
    let violations: [Int: SampleViolation]

    /// Reads the sample. `asked` are the properties whose holding matters; `stop` ends the reading early (then
    /// nothing holds and nothing is violated).
    init(candidates: InvariantCandidates, decoder: TraceDecoder, asked: [Int], stop: () -> Bool) {
        let system = decoder.system
        let relation = decoder.relation
        let states = candidates.breadthOrder
        guard candidates.exhaustive, !states.isEmpty else {
            holding = []
            violations = [:]
            return
        }
        let properties = system.properties
        var stateChecks: [(property: Int, program: Int32, goal: Bool)] = []
        for (index, property) in properties.enumerated() {
            guard let program = property.predicateProgram else { continue }
            if property.info.kind == .invariant { stateChecks.append((index, program, false)) }
            if property.info.kind == .reachable { stateChecks.append((index, program, true)) }
        }
        let boundsIndex = properties.indices.first { properties[$0].info.kind == .bounds }
        let deadlockIndex = properties.indices.first { properties[$0].info.kind == .deadlock }
        var found: [Int: SampleViolation] = [:]
        var holding = Set(asked)

        func stored(_ index: Int) {
            for check in stateChecks where found[check.property] == nil {
                switch relation.evaluate(check.program, in: states[index]) {
                case .failure:
                    if let bounds = boundsIndex, found[bounds] == nil {
                        found[bounds] = SampleViolation(property: bounds, state: index, shape: .predicateFailure(of: check.property),
                                                        depth: Int(candidates.depths[index]))
                    }
                case .success(let value):
                    if (value != 0) == check.goal {
                        found[check.property] = SampleViolation(property: check.property, state: index, shape: .state,
                                                                depth: Int(candidates.depths[index]))
                    }
                }
            }
        }
        func expanded(_ index: Int) {
            let state = states[index]
            let failures = relation.failures(in: state)
            for failed in failures {
                let property: Int?
                switch failed.failure {
                case .assertion(let assertion): property = assertion
                case .bounds: property = boundsIndex
                }
                if let property, found[property] == nil {
                    found[property] = SampleViolation(property: property, state: index, shape: .failingAction, depth: Int(candidates.depths[index]))
                }
            }
            if let deadlock = deadlockIndex, found[deadlock] == nil, relation.isDeadlocked(state) {
                found[deadlock] = SampleViolation(property: deadlock, state: index, shape: .state, depth: Int(candidates.depths[index]))
            }
            if !holding.isEmpty {
                holding = holding.filter { decoder.isGood(property: $0, in: state, failures: failures) }
            }
        }

        var next = 0
        while next < states.count, candidates.depths[next] == 0 {
            stored(next)
            next += 1
        }
        var levelStart = 0
        while levelStart < states.count {
            if stop() {
                self.holding = []
                violations = [:]
                return
            }
            var levelEnd = levelStart
            while levelEnd < states.count, candidates.depths[levelEnd] == candidates.depths[levelStart] { levelEnd += 1 }
            var chunkStart = levelStart
            while chunkStart < levelEnd {
                let chunkEnd = min(levelEnd, chunkStart + Self.chunkSize)
                for index in chunkStart..<chunkEnd { expanded(index) }
                // The states this chunk discovered are the next ones in discovery order.
                while next < states.count, Int(candidates.parents[next]) < chunkEnd {
                    stored(next)
                    next += 1
                }
                chunkStart = chunkEnd
            }
            levelStart = levelEnd
        }
        self.holding = holding
        violations = found
    }
}

extension InvariantCandidates {
    /// The path from an initial state to state `index` of `breadthOrder`, through the first parents: the
    /// explorer's shortest trace to that state.
    func path(to index: Int) -> [[UInt64]] {
        var indices: [Int] = []
        var current = index
        while current >= 0 {
            indices.append(current)
            current = Int(parents[current])
        }
        return indices.reversed().map { breadthOrder[$0] }
    }
}

/// A certificate made wrong on purpose, for the tests that check it is rejected (never a verdict):
/// `SMTOptions.tampering`, which no command line sets.
enum CertificateTampering: Sendable {
    /// The explorer's path loses its second state, so that it is no longer a path.
    case skipPathStep
    /// Every shortness condition claims one step more than the explorer found (a shorter violation exists).
    case claimDeeper
    /// Every state but the initial ones gets a label one higher than its distance (a transition from an initial
    /// state then climbs by two).
    case raiseLabels
}
