import ModelLanguage
import PackedSystem

/// The state variables of one time frame: an ordinal bit-vector per cell (nil for a single-valued cell).
struct Frame {
    let cells: [Term?]
}

/// The whole system as templates over a pre-state `x` and a post-state `x'`, instantiated per time frame by
/// substitution: initial states, domain constraints, the transition relation and the "bad state" predicates.
final class SystemEncoding {
    let z3: Z3Context
    let system: TransitionSystem
    let pre: Frame
    let post: Frame

    /// `x'` is a successor of `x`.
    let transition: Term
    /// Per ground action: `x'` is a successor of `x` by that action (liveness needs to know which action
    /// a step took, for weak fairness).
    let actionTransitions: [Term]
    /// Per ground action: it has a successor in `x` (the explorer's notion of enabled, for weak fairness).
    let actionHasSuccessor: [Term]
    /// Per property index: the predicate of a property as a state predicate, where it has one.
    private(set) var predicateValue: [Int: Term] = [:]
    /// Per property index: the condition that evaluating the predicate fails.
    private(set) var predicateFailure: [Int: Term] = [:]
    /// Per assertion property: some action's first failure in `x` is this assertion.
    private(set) var assertionFailure: [Int: Term] = [:]
    /// Some action's first failure in `x` is a `bounds` violation.
    let actionBoundsFailure: Term
    /// `x` is a deadlock: no action enabled and no `terminal` predicate true.
    let deadlock: Term
    /// `poll` is called before each ground action is encoded and may throw to end the encoding: on the large
    /// v2 models encoding takes seconds (tables indexed by symbolic values), longer than a short time limit.
    init(z3: Z3Context, system: TransitionSystem, poll: () throws -> Void = {}) throws {
        self.z3 = z3
        self.system = system
        pre = try Self.makeFrame(z3, system, name: "x")
        post = try Self.makeFrame(z3, system, name: "x'")
        let expressions = ExpressionEncoder(z3: z3, system: system, cells: pre.cells)

        var transitions: [Term] = []
        var successors: [Term] = []
        var enabled: [Term] = []
        var bounds: [Term] = []
        var assertions: [Int: [Term]] = [:]
        for action in system.actions {
            try poll()
            let encoding = try ActionEncoder.encode(action, expressions: expressions, next: post.cells)
            transitions.append(encoding.transition)
            successors.append(encoding.hasSuccessor)
            enabled.append(encoding.enabled)
            for (kind, condition) in encoding.firstFailure.sorted(by: { Self.order($0.key) < Self.order($1.key) }) {
                switch kind {
                case .bounds: bounds.append(condition)
                case .assertion(let property): assertions[property, default: []].append(condition)
                }
            }
        }
        transition = try z3.or(transitions)
        actionTransitions = transitions
        actionHasSuccessor = successors
        actionBoundsFailure = try z3.or(bounds)
        let terminal = try expressions.encode(system.terminal)
        var terminalHolds = try z3.boolean(terminal.value)
        if let failure = terminal.failure { terminalHolds = try z3.and(terminalHolds, try z3.not(failure)) }
        deadlock = try z3.and(try z3.not(try z3.or(enabled)), try z3.not(terminalHolds))
        for (index, property) in system.properties.enumerated() {
            switch property.info.kind {
            case .invariant, .reachable:
                guard let predicate = property.predicate else { continue }
                let encoded = try expressions.encode(predicate)
                predicateValue[index] = try z3.boolean(encoded.value)
                predicateFailure[index] = try encoded.failure ?? z3.falseTerm
            case .assertion:
                assertionFailure[index] = try z3.or(assertions[index] ?? [])
            default:
                break
            }
        }
    }

    /// A copy of `source` whose templates are terms of `z3` (Z3's `translate`), for a check whose terms must go
    /// when it ends: a context is the only unit in which Z3 frees terms (they are not reference-counted here), so
    /// a certificate's decision diagrams built in a context of their own are freed with it, where in the run's
    /// context they stayed until the run ended (v2-user-access peaked at 2.9 GB with them, docs/smt.md).
    init(translating source: SystemEncoding, to z3: Z3Context) throws {
        let from = source.z3
        func copy(_ term: Term) throws -> Term { try from.translate(term, to: z3) }
        func copy(_ frame: Frame) throws -> Frame { Frame(cells: try frame.cells.map { try $0.map(copy) }) }
        self.z3 = z3
        system = source.system
        pre = try copy(source.pre)
        post = try copy(source.post)
        transition = try copy(source.transition)
        actionTransitions = try source.actionTransitions.map(copy)
        actionHasSuccessor = try source.actionHasSuccessor.map(copy)
        predicateValue = try source.predicateValue.mapValues(copy)
        predicateFailure = try source.predicateFailure.mapValues(copy)
        assertionFailure = try source.assertionFailure.mapValues(copy)
        actionBoundsFailure = try copy(source.actionBoundsFailure)
        deadlock = try copy(source.deadlock)
    }

    private static func order(_ kind: FailureKind) -> Int {
        switch kind {
        case .bounds: return -1
        case .assertion(let property): return property
        }
    }

    static func makeFrame(_ z3: Z3Context, _ system: TransitionSystem, name: String) throws -> Frame {
        var cells: [Term?] = []
        for (index, field) in system.layout.fields.enumerated() {
            cells.append(field.width == 0 ? nil : try z3.constant("\(name)\(index)", width: field.width))
        }
        return Frame(cells: cells)
    }

    /// A fresh frame of state variables.
    func makeFrame(_ name: String) throws -> Frame { try Self.makeFrame(z3, system, name: name) }

    /// A template over `x` and `x'` instantiated on `a` and `b`.
    func instantiate(_ template: Term, from a: Frame, to b: Frame) throws -> Term {
        var from: [Term] = []
        var to: [Term] = []
        for (template, frame) in [(pre, a), (post, b)] {
            for (x, y) in zip(template.cells, frame.cells) {
                if let x, let y {
                    from.append(x)
                    to.append(y)
                }
            }
        }
        return try z3.substitute(template, from: from, to: to)
    }

    /// A template over `x` instantiated on `frame`.
    func instantiate(_ template: Term, at frame: Frame) throws -> Term {
        var from: [Term] = []
        var to: [Term] = []
        for (a, b) in zip(pre.cells, frame.cells) {
            if let a, let b {
                from.append(a)
                to.append(b)
            }
        }
        return try z3.substitute(template, from: from, to: to)
    }

    /// The transition relation from `a` to `b`.
    func transition(from a: Frame, to b: Frame) throws -> Term {
        try instantiate(transition, from: a, to: b)
    }

    /// Every cell of `frame` holds an ordinal of its type.
    func domain(_ frame: Frame) throws -> Term {
        var conjuncts: [Term] = []
        for (field, cell) in zip(system.layout.fields, frame.cells) {
            guard let cell else { continue }
            let cardinality = field.type.cardinality
            if cardinality < 1 << field.width {
                conjuncts.append(try z3.unsignedLess(cell, try z3.number(Int64(cardinality), width: field.width)))
            }
        }
        return try z3.and(conjuncts)
    }

    /// `frame` is an initial state: per-cell choices when the initial states are a product of them (they
    /// always are for models built by `SystemBuilder`), else the disjunction of the listed states.
    func initial(_ frame: Frame) throws -> Term {
        let fields = system.layout.fields
        var choices: [[Int64]] = Array(repeating: [], count: fields.count)
        var seen: [Set<Int64>] = Array(repeating: [], count: fields.count)
        for state in system.initialStates {
            for (index, field) in fields.enumerated() {
                let ordinal = field.read(state) - field.type.lowerBound
                if seen[index].insert(ordinal).inserted { choices[index].append(ordinal) }
            }
        }
        var product = 1.0
        for choice in choices { product *= Double(choice.count) }
        let distinct = Set(system.initialStates).count
        if product == Double(distinct) {
            var conjuncts: [Term] = []
            for (index, cell) in frame.cells.enumerated() {
                guard let cell else { continue }
                let width = fields[index].width
                if choices[index].count == fields[index].type.cardinality { continue }
                conjuncts.append(try z3.or(choices[index].sorted().map { try z3.eq(cell, try z3.number($0, width: width)) }))
            }
            return try z3.and(conjuncts)
        }
        var states: [Term] = []
        for state in system.initialStates {
            var conjuncts: [Term] = []
            for (index, cell) in frame.cells.enumerated() {
                guard let cell else { continue }
                let field = fields[index]
                conjuncts.append(try z3.eq(cell, try z3.number(field.read(state) - field.type.lowerBound, width: field.width)))
            }
            states.append(try z3.and(conjuncts))
        }
        return try z3.or(states)
    }

    /// All cells of a frame as one bit-vector (nil when the state has no bits), for simple-path constraints.
    func stateVector(_ frame: Frame) throws -> Term? {
        var result: Term?
        for cell in frame.cells {
            guard let cell else { continue }
            result = try result.map { try z3.concat($0, cell) } ?? cell
        }
        return result
    }
}
