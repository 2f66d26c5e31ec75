import ModelLanguage
import PackedSystem

/// The state predicates and step conditions that liveness under weak fairness needs, as templates over `x`
/// (and `x'`), read exactly as the explorer's `LivenessChecker` reads them:
///
/// - `eventually P` fails when a fair execution from an initial state avoids `P` forever; `P ~> Q` fails when a
///   fair execution, from a `P` state on, avoids `Q` forever. A predicate that fails to evaluate counts as false
///   (the explorer's `holds`).
/// - Such an execution either ends in a state without successors (it stays there), or loops; a loop is fair when
///   every `fair` ground action is taken on one of its steps or has no successor in one of its states (the
///   explorer's edges: an action that fails in a state has no edge there).
struct LivenessEncoding {
    /// One liveness property.
    struct Property {
        /// Index in `system.properties`.
        let index: Int
        /// `P` of `P ~> Q` (the trigger), nil for `eventually`.
        let trigger: Term?
        /// The predicate the execution must reach: `P` of `eventually P`, `Q` of `P ~> Q`.
        let goal: Term
    }

    let encoding: SystemEncoding
    /// Every `eventually` and `leadsto` property, in declaration order.
    let properties: [Property]
    /// The fair ground actions (indices into `system.actions`).
    let fairActions: [Int]
    /// `x` has no successor at all (the execution stutters there forever).
    let deadEnd: Term

    var z3: Z3Context { encoding.z3 }
    var system: TransitionSystem { encoding.system }

    init(encoding: SystemEncoding) throws {
        self.encoding = encoding
        let z3 = encoding.z3
        let expressions = ExpressionEncoder(z3: z3, system: encoding.system, cells: encoding.pre.cells)
        /// The predicate holds and evaluates without failing.
        func holds(_ expression: LoweredExpression?) throws -> Term {
            guard let expression else { return try z3.falseTerm }
            let encoded = try expressions.encode(expression)
            let value = try z3.boolean(encoded.value)
            guard let failure = encoded.failure else { return value }
            return try z3.and(value, try z3.not(failure))
        }
        var properties: [Property] = []
        for (index, property) in encoding.system.properties.enumerated() {
            switch property.info.kind {
            case .eventually:
                properties.append(Property(index: index, trigger: nil, goal: try holds(property.predicate)))
            case .leadsto:
                properties.append(Property(index: index, trigger: try holds(property.predicate), goal: try holds(property.target)))
            default:
                continue
            }
        }
        self.properties = properties
        fairActions = encoding.system.actions.indices.filter { encoding.system.actions[$0].fair }
        deadEnd = try z3.not(try z3.or(encoding.actionHasSuccessor))
    }

    /// A copy of `source` over `encoding`, a translation of `source.encoding` into another context
    /// (`SystemEncoding.init(translating:to:)`): its predicates translated, nothing encoded again.
    init(translating source: LivenessEncoding, to encoding: SystemEncoding) throws {
        let from = source.z3
        let z3 = encoding.z3
        func copy(_ term: Term) throws -> Term { try from.translate(term, to: z3) }
        self.encoding = encoding
        properties = try source.properties.map { Property(index: $0.index, trigger: try $0.trigger.map(copy), goal: try copy($0.goal)) }
        fairActions = source.fairActions
        deadEnd = try copy(source.deadEnd)
    }

    /// Fair action `action`'s obligation is met by the step from `a` to `b`: the step is one of its transitions,
    /// or it has no successor in `a`.
    func obligation(_ action: Int, from a: Frame, to b: Frame) throws -> Term {
        try z3.or(try encoding.instantiate(encoding.actionTransitions[action], from: a, to: b),
                  try z3.not(try encoding.instantiate(encoding.actionHasSuccessor[action], at: a)))
    }

    /// The two frames hold the same state.
    func same(_ a: Frame, _ b: Frame) throws -> Term {
        var conjuncts: [Term] = []
        for (x, y) in zip(a.cells, b.cells) {
            if let x, let y { conjuncts.append(try z3.eq(x, y)) }
        }
        return try z3.and(conjuncts)
    }
}
