import ModelLanguage
import PackedSystem

/// What makes an action fail: a built-in `bounds` violation, or the assertion property with this index.
enum FailureKind: Hashable {
    case bounds
    case assertion(Int)
}

/// One ground action over a pre-state `x` and a post-state `x'`, following the machine's execution exactly.
struct ActionEncoding {
    /// Some execution fails (then the action has no successor at all).
    let failure: Term
    /// For each kind, the condition that the machine's first failure (in its depth-first execution order) is of
    /// that kind: the property the explorer records.
    let firstFailure: [FailureKind: Term]
    /// The action is enabled: it fails or some execution emits a successor.
    let enabled: Term
    /// The action has a successor: no execution fails and some execution emits one (the explorer's edges, which
    /// weak fairness counts as "enabled").
    let hasSuccessor: Term
    /// `x'` is a successor of `x` by this action.
    let transition: Term
}

/// Symbolic execution of an action body: statements in order with a path condition; `choose` forks the
/// execution (each alternative already carries the rest of its block, as in the lowering); every failure point
/// is recorded in the machine's depth-first order so the first failure of each execution tree is known.
struct ActionEncoder {
    let expressions: ExpressionEncoder
    /// The post-state ordinals, nil for single-valued cells.
    let next: [Term?]

    private var z3: Z3Context { expressions.z3 }
    private var system: TransitionSystem { expressions.system }

    /// Failure points in execution order.
    private var points: [(kind: FailureKind, condition: Term)] = []
    /// Executions that emit a successor: their path condition and the ordinals they write.
    private var leaves: [(condition: Term, writes: [Int: Term])] = []

    init(expressions: ExpressionEncoder, next: [Term?]) {
        self.expressions = expressions
        self.next = next
    }

    /// Encodes one ground action.
    static func encode(_ action: GroundAction, expressions: ExpressionEncoder, next: [Term?]) throws -> ActionEncoding {
        var encoder = ActionEncoder(expressions: expressions, next: next)
        return try encoder.run(action)
    }

    private mutating func run(_ action: GroundAction) throws -> ActionEncoding {
        // The explorer evaluates guards with left-to-right `&&` semantics (see GuardSplitter), so the guard is
        // encoded as written.
        let guardValue = try expressions.encode(action.guardExpression)
        if let failure = guardValue.failure { points.append((.bounds, failure)) }
        let start = try z3.boolean(guardValue.value)
        try block(action.body[...], condition: start, writes: [:])
        return try finish()
    }

    private mutating func fail(_ kind: FailureKind, _ condition: Term?, under path: Term) throws {
        guard let condition else { return }
        points.append((kind, try z3.and(path, condition)))
    }

    /// A block that ends by emitting, or by forking at a `choose`.
    private mutating func block(_ statements: ArraySlice<LoweredStatement>, condition: Term, writes initial: [Int: Term]) throws {
        var writes = initial
        for statement in statements {
            if case .choose(let alternatives) = statement {
                for alternative in alternatives {
                    let filter = try expressions.encode(alternative.filter)
                    try fail(.bounds, filter.failure, under: condition)
                    try block(alternative.body[...], condition: try z3.and(condition, try z3.boolean(filter.value)), writes: writes)
                }
                // The alternatives carry the rest of the block (the compiler ignores what follows a choose).
                return
            }
            try straight(statement, condition: condition, writes: &writes)
        }
        leaves.append((condition, writes))
    }

    /// A statement that does not fork.
    private mutating func straight(_ statement: LoweredStatement, condition: Term, writes: inout [Int: Term]) throws {
        switch statement {
        case .assign(let target, let value, _):
            try assign(target, value, condition: condition, writes: &writes)
        case .assert(let property, let predicate, _):
            let encoded = try expressions.encode(predicate)
            try fail(.bounds, encoded.failure, under: condition)
            try fail(.assertion(property), try z3.not(try z3.boolean(encoded.value)), under: condition)
        case .ifThen(let test, let then, let otherwise):
            let encoded = try expressions.encode(test)
            try fail(.bounds, encoded.failure, under: condition)
            let c = try z3.boolean(encoded.value)
            var thenWrites = writes
            var elseWrites = writes
            let thenCondition = try z3.and(condition, c)
            let elseCondition = try z3.and(condition, try z3.not(c))
            for inner in then { try branchStatement(inner, condition: thenCondition, writes: &thenWrites) }
            for inner in otherwise { try branchStatement(inner, condition: elseCondition, writes: &elseWrites) }
            let changed = Set(thenWrites.keys).union(elseWrites.keys).sorted()
            for cell in changed {
                let a = try thenWrites[cell] ?? current(cell, writes)
                let b = try elseWrites[cell] ?? current(cell, writes)
                writes[cell] = a.raw == b.raw ? a : try z3.ite(c, a, b)
            }
        case .choose:
            throw SMTError("internal error: choose inside a statement that cannot fork")
        }
    }

    private mutating func branchStatement(_ statement: LoweredStatement, condition: Term, writes: inout [Int: Term]) throws {
        if case .choose = statement {
            // The lowering turns an `if` whose branch forks into a choice; the compiler rejects anything else.
            throw SMTError("the SMT engine cannot encode a choose nested in an if (the lowering should have turned it into a choice)")
        }
        try straight(statement, condition: condition, writes: &writes)
    }

    /// The ordinal of a cell so far in this execution.
    private func current(_ cell: Int, _ writes: [Int: Term]) throws -> Term {
        if let written = writes[cell] { return written }
        guard let term = expressions.cells[cell] else { throw SMTError("internal error: reading a single-valued cell") }
        return term
    }

    private mutating func assign(_ target: LoweredTarget, _ value: LoweredExpression, condition: Term, writes: inout [Int: Term]) throws {
        switch target {
        case .field(let index):
            let encoded = try expressions.encode(value)
            let stored = try expressions.store(encoded.value, into: system.layout.fields[index].type)
            try fail(.bounds, try expressions.either(encoded.failure, stored.failure), under: condition)
            if let ordinal = stored.ordinal { writes[index] = ordinal }
        case .cell(let variable, let indices):
            let layout = system.layout.variables[variable]
            var failure: Term?
            var values: [SymbolicValue] = []
            for index in indices {
                let encoded = try expressions.encode(index)
                values.append(encoded.value)
                failure = try expressions.either(failure, encoded.failure)
            }
            let encoded = try expressions.encode(value)
            failure = try expressions.either(failure, encoded.failure)
            for (index, type) in zip(values, layout.info.indexTypes) {
                failure = try expressions.either(failure, try expressions.indexFailure(index, type))
            }
            let stored = try expressions.store(encoded.value, into: layout.info.elementType)
            failure = try expressions.either(failure, stored.failure)
            try fail(.bounds, failure, under: condition)
            guard let ordinal = stored.ordinal else { return }
            for option in try expressions.selections(values, layout.info.indexTypes) {
                let cell = layout.firstField + option.flat
                if let test = option.condition {
                    writes[cell] = try z3.ite(test, ordinal, try current(cell, writes))
                } else {
                    writes[cell] = ordinal
                }
            }
        }
    }

    private func finish() throws -> ActionEncoding {
        var failures: [Term] = []
        var first: [FailureKind: [Term]] = [:]
        var earlier: Term?
        for point in points {
            let isFirst = try earlier.map { try z3.and(point.condition, try z3.not($0)) } ?? point.condition
            first[point.kind, default: []].append(isFirst)
            failures.append(point.condition)
            earlier = try earlier.map { try z3.or($0, point.condition) } ?? point.condition
        }
        let failure = try z3.or(failures)
        var firstFailure: [FailureKind: Term] = [:]
        for (kind, terms) in first { firstFailure[kind] = try z3.or(terms) }

        let written = Set(leaves.flatMap(\.writes.keys))
        var executions: [Term] = []
        for leaf in leaves {
            var conjuncts = [leaf.condition]
            for cell in written.sorted() {
                guard let post = next[cell] else { continue }
                let value = try leaf.writes[cell] ?? current(cell, [:])
                conjuncts.append(try z3.eq(post, value))
            }
            executions.append(try z3.and(conjuncts))
        }
        var frame: [Term] = [try z3.not(failure), try z3.or(executions)]
        for (cell, post) in next.enumerated() where !written.contains(cell) {
            guard let post, let pre = expressions.cells[cell] else { continue }
            frame.append(try z3.eq(post, pre))
        }
        let emits = try z3.or(leaves.map(\.condition))
        let enabled = try z3.or(failure, emits)
        return ActionEncoding(failure: failure, firstFailure: firstFailure, enabled: enabled,
                              hasSuccessor: try z3.and(try z3.not(failure), emits), transition: try z3.and(frame))
    }
}
