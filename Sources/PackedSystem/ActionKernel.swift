/// One step of an action kernel: the native form of an action body that needs no interpreter. The fields a
/// step uses depend on its `kind`; every value and every test reads the pre-state, as the language says, and
/// the stores write the successor (a copy of the pre-state).
///
/// A kernel hands the action to the interpreter (the step returns "bail") whenever the interpreter could fail
/// (a value outside its field, a false `assert`, an index out of range): the interpreter then reports the exact
/// failure at the exact statement, so a kernel only ever produces what the interpreter would, faster.
struct KernelStep: Sendable {
    /// What a step does.
    enum Kind: UInt8, Sendable {
        /// The end of a kernel: the successor is complete.
        case end
        /// `word = word & ~clear | set`.
        case store
        /// `target := source + c`: the target's ordinal is the source field's ordinal plus `bias`; a result
        /// outside `0 ..< count` bails.
        case offset
        /// `word = word &+ set`: `x := x + c` when the guard keeps `x + c` inside x's type, so the field's
        /// ordinal moves by c without leaving the field (`set` is c shifted into place, two's complement) and no
        /// earlier step of the kernel wrote x (the successor's word still holds the pre-state's x).
        case add
        /// A field test (`sourceWord`, `sourceShift`, `sourceMask`; allowed bits in `set`, lowest ordinal in
        /// `bias`, span in `count`, as `FieldTest`): when it fails, continue at step `next`.
        case test
        /// The same test; when it fails, bail (a false `assert`, which the interpreter reports).
        case require
        /// Continue at step `next`.
        case jump
        /// Read the field (`sourceWord`, `sourceShift`, `sourceMask`) and continue at the step the kernel table
        /// holds at `next + ordinal`, or bail when it holds -1 (the body at that value needs the interpreter).
        case dispatch
    }

    var kind: Kind
    /// The successor's word a store writes.
    var word: Int32 = 0
    /// The pre-state's word a value or a test reads.
    var sourceWord: Int32 = 0
    /// The target field's bit offset.
    var shift: UInt8 = 0
    /// The source field's bit offset.
    var sourceShift: UInt8 = 0
    /// The target field's mask, shifted into place.
    var clear: UInt64 = 0
    /// A constant store's bits, shifted into place; a test's allowed ordinals.
    var set: UInt64 = 0
    /// The source field's mask (unshifted).
    var sourceMask: UInt64 = 0
    /// Target ordinal minus source ordinal; a test's lowest ordinal.
    var bias: Int64 = 0
    /// The target field's number of values; a test's span.
    var count: UInt64 = 0
    /// A step index (tests, jumps) or a kernel-table index (dispatch), relative to the kernel until placed.
    var next: Int32 = 0

    /// The end of an action's steps.
    static let end = KernelStep(kind: .end)

    /// A test step for a field test.
    init(_ kind: Kind, test: FieldTest, next: Int32 = 0) {
        self.kind = kind
        sourceWord = test.word
        sourceShift = test.shift
        sourceMask = test.mask
        set = test.allowed
        bias = Int64(bitPattern: test.low)
        count = test.span
        self.next = next
    }

    init(kind: Kind, word: Int32 = 0, sourceWord: Int32 = 0, shift: UInt8 = 0, sourceShift: UInt8 = 0, clear: UInt64 = 0,
         set: UInt64 = 0, sourceMask: UInt64 = 0, bias: Int64 = 0, count: UInt64 = 0, next: Int32 = 0) {
        self.kind = kind
        self.word = word
        self.sourceWord = sourceWord
        self.shift = shift
        self.sourceShift = sourceShift
        self.clear = clear
        self.set = set
        self.sourceMask = sourceMask
        self.bias = bias
        self.count = count
        self.next = next
    }

    /// Whether a test step passes on `state` (the computation of `FieldTest.passes`).
    @inline(__always)
    func passes(_ state: UnsafePointer<UInt64>) -> Bool {
        let offset = ((state[Int(sourceWord)] >> UInt64(sourceShift)) & sourceMask) &- UInt64(bitPattern: bias)
        return offset <= count && (set >> (offset & 63)) & 1 != 0
    }
}

/// Compiles the bodies of ground actions into kernel steps. An action gets a kernel when its residual guard is
/// true and its body, possibly after a dispatch on one field, only has:
/// - assignments to fields at fixed positions of constants of the field's type, or of another field plus or
///   minus a constant (when no value of the source can overflow);
/// - `if` statements whose condition is a conjunction of single-field tests (`GuardAnalysis.fieldTest`), or a
///   constant;
/// - `assert`s whose condition is such a conjunction (a failing one bails to the interpreter).
/// Cells at computed indices are allowed when every computed index reads the same single field of at most 256
/// values (as `deliver(i)` of p2p-scale reads `state[target[i]]`): the kernel then starts with a dispatch on that
/// field, and the body is specialised for each of its values (the field replaced by the value, constants
/// folded, cells at now-constant indices resolved to fields). A value whose specialised body does not compile,
/// or whose index is out of range, bails at run time.
struct KernelCompiler {
    let layout: StateLayout
    /// The steps of every kernel compiled so far, placed (jumps absolute).
    private(set) var steps: [KernelStep] = []
    /// Dispatch tables: step indices (absolute) or -1.
    private(set) var table: [Int32] = []

    /// The interval of each field the current action's guard bounds (`GuardAnalysis.knownRanges`): a kernel runs
    /// only after every guard test passed, so a source field known to hold one value makes `x := y + c` a
    /// constant store.
    private var known: [Int: ClosedRange<Int64>] = [:]
    /// The last step when it is a constant store that a following store to the same word may join: nothing
    /// jumps to the step after it.
    private var lastStore: Int?
    /// The first step of the kernel being compiled.
    private var kernelFirstStep = 0

    init(layout: StateLayout) {
        self.layout = layout
    }

    /// Per action with a kernel that is one constant store (`word = word & ~clear | set`) or one in-place add
    /// (`word = word &+ set`): the machine applies it without walking steps. Nil for any other kernel.
    func singleStore(at start: Int32) -> KernelStep? {
        let index = Int(start)
        guard index + 1 < steps.count, steps[index].kind == .store || steps[index].kind == .add,
              steps[index + 1].kind == .end else { return nil }
        return steps[index]
    }

    /// The widest field a kernel dispatches on.
    static let maximumDispatchBits = 8

    /// Compiles `action`; returns the start of its kernel in `steps`, or nil when it has none.
    mutating func compile(_ action: GroundAction) -> Int32? {
        guard action.residualGuard.constantValue == 1, !action.body.isEmpty else { return nil }
        known = GuardAnalysis.knownRanges(action.guardExpression, layout: layout)
        lastStore = nil
        let start = steps.count
        kernelFirstStep = start
        var indexFields = Set<Int>()
        var nested = false
        for statement in action.body { Self.collectIndexFields(statement, into: &indexFields, nested: &nested) }
        guard !nested else { return nil }
        if indexFields.isEmpty {
            guard block(action.body) else {
                steps.removeSubrange(start...)
                return nil
            }
            steps.append(.end)
            return Int32(start)
        }
        guard indexFields.count == 1, let field = indexFields.first else { return nil }
        let slot = layout.fields[field]
        guard slot.width <= Self.maximumDispatchBits else { return nil }
        let tableStart = table.count
        steps.append(KernelStep(kind: .dispatch, sourceWord: Int32(slot.word), sourceShift: UInt8(slot.shift),
                                sourceMask: slot.mask, next: Int32(tableStart)))
        lastStore = nil
        table += Array(repeating: -1, count: Int(slot.mask) + 1)
        var any = false
        for ordinal in 0..<slot.type.cardinality {
            let value = slot.type.lowerBound + Int64(ordinal)
            let bodyStart = steps.count
            lastStore = nil
            guard let body = specialise(action.body, field: field, value: value), block(body) else {
                steps.removeSubrange(bodyStart...)
                continue
            }
            steps.append(.end)
            table[tableStart + ordinal] = Int32(bodyStart)
            any = true
        }
        guard any else {
            steps.removeSubrange(start...)
            table.removeSubrange(tableStart...)
            return nil
        }
        return Int32(start)
    }

    // MARK: Statements

    /// Appends the steps of a block; false (with steps possibly appended, which the caller drops) when some
    /// statement has no kernel form.
    private mutating func block(_ statements: [LoweredStatement]) -> Bool {
        for statement in statements {
            switch statement {
            case .assign(.field(let index), let value, _):
                guard let step = store(index, value) else { return false }
                append(step)
            case .assign(.cell, _, _), .choose:
                return false
            case .assert(_, let condition, _):
                if condition.constantValue == 1 { continue }
                guard let tests = tests(condition) else { return false }
                for test in tests { append(KernelStep(.require, test: test)) }
            case .ifThen(let condition, let then, let otherwise):
                if let value = condition.constantValue {
                    guard block(value != 0 ? then : otherwise) else { return false }
                    continue
                }
                guard let tests = tests(condition) else { return false }
                let first = steps.count
                for test in tests { append(KernelStep(.test, test: test)) }
                guard block(then) else { return false }
                var jump: Int?
                if !otherwise.isEmpty {
                    jump = steps.count
                    append(KernelStep(kind: .jump))
                }
                for k in first..<(first + tests.count) { steps[k].next = Int32(steps.count) }
                lastStore = nil
                if let jump {
                    guard block(otherwise) else { return false }
                    steps[jump].next = Int32(steps.count)
                    lastStore = nil
                }
            }
        }
        return true
    }

    /// Appends a step; a constant store right after a constant store to the same word joins it (the later
    /// store's bits win, as executing both in turn gives).
    private mutating func append(_ step: KernelStep) {
        if step.kind == .store, let last = lastStore, steps[last].word == step.word {
            steps[last].set = (steps[last].set & ~step.clear) | step.set
            steps[last].clear |= step.clear
            return
        }
        steps.append(step)
        lastStore = step.kind == .store ? steps.count - 1 : nil
    }

    /// The tests whose conjunction is `condition`, or nil (also for a constant, which the callers decide).
    private func tests(_ condition: LoweredExpression) -> [FieldTest]? {
        guard condition.constantValue == nil else { return nil }
        var result: [FieldTest] = []
        for conjunct in GuardAnalysis.conjuncts(condition) {
            guard let test = GuardAnalysis.fieldTest(conjunct, layout: layout) else { return nil }
            result.append(test)
        }
        return result
    }

    /// The step of `field := value`: a constant of the field's type, or another field plus or minus a constant.
    private func store(_ index: Int, _ value: LoweredExpression) -> KernelStep? {
        let slot = layout.fields[index]
        let clear = slot.mask << UInt64(slot.shift)
        if let constant = value.constantValue {
            guard slot.type.contains(constant) else { return nil }
            return KernelStep(kind: .store, word: Int32(slot.word), shift: UInt8(slot.shift), clear: clear,
                              set: UInt64(constant - slot.type.lowerBound) << UInt64(slot.shift))
        }
        guard let (source, delta) = Self.offsetOfField(value) else { return nil }
        if let range = known[source], range.lowerBound == range.upperBound {
            // The guard pins the source: the value is one constant (or always out of range: the interpreter's).
            let (constant, overflow) = range.lowerBound.addingReportingOverflow(delta)
            guard !overflow, slot.type.contains(constant) else { return nil }
            return KernelStep(kind: .store, word: Int32(slot.word), shift: UInt8(slot.shift), clear: clear,
                              set: UInt64(constant - slot.type.lowerBound) << UInt64(slot.shift))
        }
        if source == index, let range = known[source], slot.type.contains(range.lowerBound &+ delta),
           slot.type.contains(range.upperBound &+ delta), !range.lowerBound.addingReportingOverflow(delta).overflow,
           !range.upperBound.addingReportingOverflow(delta).overflow, !writes(word: slot.word, clear: clear) {
            // `x := x + c` with x + c inside x's type for every x the guard lets through: the interpreter cannot
            // fail, and the ordinal moves by c inside the field, so one wrapping add of the word gives its store.
            return KernelStep(kind: .add, word: Int32(slot.word), shift: UInt8(slot.shift), clear: clear,
                              set: UInt64(bitPattern: delta) << UInt64(slot.shift))
        }
        let from = layout.fields[source]
        // The interpreter computes source + delta with overflow checked; the kernel only takes the stores where
        // no value of the source's type can overflow, so both give the same value or the same failure.
        guard from.width < 63 else { return nil }
        let upper = from.type.lowerBound + Int64(from.type.cardinality) - 1
        let (low, lowOverflow) = from.type.lowerBound.addingReportingOverflow(delta)
        let (high, highOverflow) = upper.addingReportingOverflow(delta)
        let (bias, biasOverflow) = low.subtractingReportingOverflow(slot.type.lowerBound)
        guard !lowOverflow, !highOverflow, !biasOverflow, high >= low else { return nil }
        return KernelStep(kind: .offset, word: Int32(slot.word), sourceWord: Int32(from.word), shift: UInt8(slot.shift),
                          sourceShift: UInt8(from.shift), clear: clear, sourceMask: from.mask, bias: bias,
                          count: UInt64(slot.type.cardinality))
    }

    /// Whether a step of the current kernel already writes bits of `clear` in successor word `word`.
    private func writes(word: Int, clear: UInt64) -> Bool {
        steps[kernelFirstStep...].contains { step in
            (step.kind == .store || step.kind == .offset || step.kind == .add) && Int(step.word) == word && step.clear & clear != 0
        }
    }

    /// `field + c`, `c + field` or `field - c` as (field, delta).
    private static func offsetOfField(_ e: LoweredExpression) -> (Int, Int64)? {
        switch e {
        case .field(let f):
            return (f, 0)
        case .binary(.add, .field(let f), .constant(let c)), .binary(.add, .constant(let c), .field(let f)):
            return (f, c)
        case .binary(.subtract, .field(let f), .constant(let c)):
            guard c != Int64.min else { return nil }
            return (f, -c)
        default:
            return nil
        }
    }

    // MARK: Dispatch

    /// Adds the fields read by computed indices of cells (in targets and expressions) to `fields`; sets `nested`
    /// when an index itself reads a cell at computed indices.
    private static func collectIndexFields(_ statement: LoweredStatement, into fields: inout Set<Int>, nested: inout Bool) {
        func expression(_ e: LoweredExpression) {
            e.visit { node in
                if case .cell(_, let indices) = node { indexes(indices) }
                return true
            }
        }
        func indexes(_ indices: [LoweredExpression]) {
            for index in indices {
                index.visit { node in
                    switch node {
                    case .field(let f): fields.insert(f)
                    case .cell: nested = true
                    default: break
                    }
                    return true
                }
            }
        }
        switch statement {
        case .assign(let target, let value, _):
            if case .cell(_, let indices) = target {
                indexes(indices)
                for index in indices { expression(index) }
            }
            expression(value)
        case .ifThen(let condition, let then, let otherwise):
            expression(condition)
            for s in then + otherwise { collectIndexFields(s, into: &fields, nested: &nested) }
        case .assert(_, let condition, _):
            expression(condition)
        case .choose:
            nested = true
        }
    }

    /// The body with `field` replaced by `value`, constants folded and cells at constant indices resolved; nil
    /// when an index is out of range (the interpreter reports it).
    private func specialise(_ body: [LoweredStatement], field: Int, value: Int64) -> [LoweredStatement]? {
        var result: [LoweredStatement] = []
        for statement in body {
            switch statement {
            case .assign(let target, let expression, let range):
                guard let e = specialise(expression, field, value) else { return nil }
                switch target {
                case .field:
                    result.append(.assign(target, e, range))
                case .cell(let variable, let indices):
                    guard let resolved = cell(variable, indices, field, value) else { return nil }
                    guard case .field(let index) = resolved else { return nil }
                    result.append(.assign(.field(index), e, range))
                }
            case .ifThen(let condition, let then, let otherwise):
                guard let c = specialise(condition, field, value), let t = specialise(then, field: field, value: value),
                      let o = specialise(otherwise, field: field, value: value) else { return nil }
                result.append(.ifThen(c, t, o))
            case .assert(let property, let condition, let range):
                guard let c = specialise(condition, field, value) else { return nil }
                result.append(.assert(property: property, c, range))
            case .choose:
                return nil
            }
        }
        return result
    }

    private func specialise(_ e: LoweredExpression, _ field: Int, _ value: Int64) -> LoweredExpression? {
        switch e {
        case .constant:
            return e
        case .field(let f):
            return f == field ? .constant(value) : e
        case .cell(let variable, let indices):
            return cell(variable, indices, field, value)
        case .table(let table, let indices):
            var resolved: [LoweredExpression] = []
            for index in indices {
                guard let r = specialise(index, field, value) else { return nil }
                resolved.append(r)
            }
            return .table(table: table, indices: resolved)
        case .unary(let op, let operand):
            guard let o = specialise(operand, field, value) else { return nil }
            return LoweredExpression.folded(op, o)
        case .binary(let op, let left, let right):
            guard let l = specialise(left, field, value), let r = specialise(right, field, value) else { return nil }
            return LoweredExpression.folded(op, l, r)
        case .member(let element, let values):
            guard let x = specialise(element, field, value) else { return nil }
            return LoweredExpression.folded(member: x, of: values)
        case .conditional(let c, let a, let b):
            guard let c1 = specialise(c, field, value), let a1 = specialise(a, field, value),
                  let b1 = specialise(b, field, value) else { return nil }
            return LoweredExpression.ite(c1, a1, b1)
        }
    }

    /// A cell with its indices specialised: the field when they are all constant and in range, nil when one is
    /// out of range, else the cell.
    private func cell(_ variable: Int, _ indices: [LoweredExpression], _ field: Int, _ value: Int64) -> LoweredExpression? {
        var resolved: [LoweredExpression] = []
        for index in indices {
            guard let r = specialise(index, field, value) else { return nil }
            resolved.append(r)
        }
        let constants = resolved.compactMap(\.constantValue)
        guard constants.count == resolved.count else { return .cell(variable: variable, indices: resolved) }
        guard let cell = layout.variables[variable].cellIndex(constants) else { return nil }
        return .field(layout.variables[variable].firstField + cell)
    }
}
