/// Why an action failed in a state.
public enum ActionFailure: Sendable, Hashable {
    /// An `assert` with this property index was false.
    case assertion(property: Int)
    /// A value was stored outside its domain, an index was out of range, or a division by zero happened.
    case bounds(detail: String)
}

/// Field placement as the machine reads it.
struct PackedField: Sendable {
    var word: Int32
    var shift: UInt8
    var width: UInt8
    var lowerBound: Int64
    var count: Int64
}

/// Executes compiled programs on packed states. Not thread-safe: use one machine per thread.
/// Successors of the last `fire` are in `successors`, `successorCount` states of `wordCount` words each.
/// These side channels serve the explorer's inner loop; every other reader goes through `TransitionRelation`,
/// which states once how successors, failures and deadlocks are read from them.
public final class Machine {
    /// The fields below are written on every transition by the machine's own thread, and a parallel search's
    /// machines are allocated one after another (`ThreadOwnedMemory`).
    private let leadingPadding = CacheLinePadding()
    /// Words per state.
    public let wordCount: Int
    private let code: UnsafeMutablePointer<Instruction>
    private let codeCount: Int
    private let dimensions: UnsafeMutablePointer<Dimension>
    private let cellFields: UnsafeMutablePointer<PackedField>
    private let tableEntries: UnsafeMutablePointer<Int64>
    private let constantLists: UnsafeMutablePointer<Int64>
    private let forkTargets: UnsafeMutablePointer<Int32>
    private let stack: UnsafeMutablePointer<Int64>
    private let actionPrograms: UnsafeMutablePointer<Int32>
    private let actionTestStart: UnsafeMutablePointer<Int32>
    private let tests: UnsafeMutablePointer<FieldTest>
    /// Number of ground actions.
    public let actionCount: Int
    /// Per guard test (indexed like `tests`): the first action after the test's own that does not share the
    /// action's tests up to and including this one. When the test fails, every action before that one fails
    /// it too (their earlier tests are the same and passed), so the search jumps there.
    private let skipAt: UnsafeMutablePointer<Int32>
    /// Whether the guard tests are decided by the guard table (`GuardTable`) rather than action by action.
    private let usesGuardTable: Bool
    /// Words per action set of the guard table.
    private let setWords: Int
    private let guardFieldCount: Int
    private let guardFields: UnsafeMutablePointer<GuardTableField>
    private let guardRows: UnsafeMutablePointer<UInt64>
    private let allActions: UnsafeMutablePointer<UInt64>
    /// The actions whose table tests pass in the state of the current scan.
    private let enabledSet: UnsafeMutablePointer<UInt64>
    /// Per action: its tests the guard table does not decide, in `residualTests`.
    private let residualTestStart: UnsafeMutablePointer<Int32>
    private let residualTests: UnsafeMutablePointer<FieldTest>
    /// Per action: start of its kernel in `kernelSteps`, or -1 when the action needs the interpreter.
    private let kernelStart: UnsafeMutablePointer<Int32>
    /// The kernels of the actions that have one, each ended by `KernelStep.end` (`KernelCompiler`).
    private let kernelSteps: UnsafeMutablePointer<KernelStep>
    /// Per action: its kernel when that is one step, a constant store (kind `.store`) or an in-place add (kind
    /// `.add`), else a step of kind `.end`.
    private let singleStores: UnsafeMutablePointer<KernelStep>
    /// The kernels' dispatch tables: per value of the dispatched field, the step to continue at, or -1.
    private let kernelTable: UnsafeMutablePointer<Int32>
    private let scratch: UnsafeMutablePointer<UInt64>
    private let scratchDepth: Int
    /// Successor states produced by the last `fire`, back to back.
    public private(set) var successors: UnsafeMutablePointer<UInt64>
    /// How many successors the last `fire` produced (or `expand` has collected).
    public private(set) var successorCount = 0
    /// The ground action of each successor `expand` collected.
    public private(set) var successorActions: UnsafeMutablePointer<UInt32>
    /// Whether some action was enabled in the state of the current `expand`.
    public private(set) var anyEnabled = false
    private var successorCapacity = 16
    /// Set when the last `fire` or `evaluate` failed.
    public private(set) var failure: ActionFailure?
    /// Address of the instruction that failed.
    public private(set) var failureAddress: Int32 = 0
    /// The generated successor generation `expand` calls first, when loaded (`NativeLibrary`).
    private var native: NativeLibrary?
    /// The words exchanged with the generated code, one buffer for both of its functions: the per-state
    /// expansion here uses the count, the capacity and "some action produced a successor" (words 0 to 2); the
    /// explorer's chunk expansion (`ExplicitExplorer.expandNatively`, with this machine) the count and room in,
    /// the count, the action to resume at and "some successor already" out (words 0, 1, 3 and 4).
    public let nativeIO: UnsafeMutablePointer<Int64>
    private let trailingPadding = CacheLinePadding()
    /// Whether `expand` runs generated native code.
    public var isNative: Bool { native != nil }
    /// The generated code `expand` runs, when loaded (the one-thread search calls its chunk expansion directly).
    public var nativeLibrary: NativeLibrary? { native }

    /// From now on `expand` runs `library`, built from this machine's system (`NativeLibrary.build`); between
    /// expansions only. The results are the same, so a search may switch midway.
    public func useNative(_ library: NativeLibrary) {
        native = library
    }

    init(wordCount: Int, code: [Instruction], dimensions: [Dimension], cellFields: [PackedField], tableEntries: [Int64],
         constantLists: [Int64], forkTargets: [Int32], forkCount: Int, actions: [GroundAction], layout: StateLayout,
         kernels: Bool = true, guardTable: Bool = true, native: NativeLibrary? = nil) {
        self.wordCount = wordCount
        func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
            if !array.isEmpty { pointer.initialize(from: array, count: array.count) }
            return pointer
        }
        self.code = copy(code)
        self.codeCount = code.count
        self.dimensions = copy(dimensions)
        self.cellFields = copy(cellFields)
        self.tableEntries = copy(tableEntries)
        self.constantLists = copy(constantLists)
        self.forkTargets = copy(forkTargets)
        self.stack = ThreadOwnedMemory.allocate(capacity: code.count + 64)
        self.actionCount = actions.count
        self.actionPrograms = copy(actions.map(\.program))
        var starts: [Int32] = [0]
        for action in actions { starts.append(starts[starts.count - 1] + Int32(action.guardTests.count)) }
        self.actionTestStart = copy(starts)
        self.tests = copy(actions.flatMap(\.guardTests))
        self.skipAt = copy(Machine.skipTable(actions))
        self.native = native
        self.nativeIO = ThreadOwnedMemory.allocate(capacity: 5)
        self.nativeIO.initialize(repeating: 0, count: 5)
        let table = guardTable ? GuardTable(actions) : nil
        self.usesGuardTable = table != nil
        self.setWords = table?.wordsPerSet ?? 0
        self.guardFieldCount = table?.fields.count ?? 0
        self.guardFields = copy(table?.fields ?? [])
        self.guardRows = copy(table?.rows ?? [])
        self.allActions = copy(table?.all ?? [])
        self.enabledSet = ThreadOwnedMemory.copy(table?.all ?? [])
        self.residualTestStart = copy(table?.residualStart ?? [])
        self.residualTests = copy(table?.residual ?? [])
        var compiler = KernelCompiler(layout: layout)
        let kernelStarts = actions.map { kernels ? compiler.compile($0) ?? -1 : -1 }
        self.kernelStart = copy(kernelStarts)
        self.singleStores = copy(kernelStarts.map { start in
            start < 0 ? KernelStep(kind: .end) : compiler.singleStore(at: start) ?? KernelStep(kind: .end)
        })
        self.kernelSteps = copy(compiler.steps)
        self.kernelTable = copy(compiler.table)
        // Fork nesting never exceeds the number of forks, so the scratch states never move while in use.
        self.scratchDepth = forkCount + 2
        self.scratch = ThreadOwnedMemory.allocate(capacity: wordCount * scratchDepth)
        self.successors = ThreadOwnedMemory.allocate(capacity: wordCount * successorCapacity)
        self.successorActions = ThreadOwnedMemory.allocate(capacity: successorCapacity)
    }

    /// Per guard test, in the order of the actions' tests: the first action after the test's own that does not
    /// share the action's tests up to and including this one (`skipAt`; the generated C jumps there too).
    static func skipTable(_ actions: [GroundAction]) -> [Int32] {
        var starts: [Int] = [0]
        for action in actions { starts.append(starts[starts.count - 1] + action.guardTests.count) }
        var skips: [Int32] = Array(repeating: 0, count: max(1, starts[actions.count]))
        for index in actions.indices.reversed() {
            let tests = actions[index].guardTests
            let next = index + 1 < actions.count ? actions[index + 1].guardTests : []
            var sharing = true
            for position in tests.indices {
                sharing = sharing && position < next.count && next[position] == tests[position]
                skips[starts[index] + position] = sharing ? skips[starts[index + 1] + position] : Int32(index + 1)
            }
        }
        return skips
    }

    deinit {
        ThreadOwnedMemory.deallocate(nativeIO)
        code.deallocate()
        dimensions.deallocate()
        cellFields.deallocate()
        tableEntries.deallocate()
        constantLists.deallocate()
        forkTargets.deallocate()
        ThreadOwnedMemory.deallocate(stack)
        skipAt.deallocate()
        guardFields.deallocate()
        guardRows.deallocate()
        allActions.deallocate()
        ThreadOwnedMemory.deallocate(enabledSet)
        residualTestStart.deallocate()
        residualTests.deallocate()
        kernelStart.deallocate()
        kernelSteps.deallocate()
        kernelTable.deallocate()
        singleStores.deallocate()
        actionPrograms.deallocate()
        actionTestStart.deallocate()
        tests.deallocate()
        ThreadOwnedMemory.deallocate(scratch)
        ThreadOwnedMemory.deallocate(successors)
        ThreadOwnedMemory.deallocate(successorActions)
    }

    /// Evaluates an expression program on a state. On failure returns 0 and sets `failure`. With native code, its
    /// translation of the program runs first; where it could fail (or was not translated), the interpreter runs.
    @inline(__always)
    public func evaluate(_ program: Int32, _ state: UnsafePointer<UInt64>) -> Int64 {
        failure = nil
        if let native {
            var value: Int64 = 0
            if native.evaluate(program, state, &value) == 0 { return value }
        }
        return run(program, state, nil, depth: 0)
    }

    /// Runs ground action `action` on a state. Returns true when the action was enabled (its guard held and some
    /// execution emitted a successor or failed). Successors are in `successors`; a failure is in `failure`.
    @inline(__always)
    public func fire(_ action: Int, _ state: UnsafePointer<UInt64>) -> Bool {
        let end = Int(actionTestStart[action + 1])
        var test = Int(actionTestStart[action])
        while test < end {
            if !tests[test].passes(state) { return false }
            test += 1
        }
        return fireAfterTests(action, state)
    }

    /// Runs an action whose guard tests passed.
    @inline(__always)
    private func fireAfterTests(_ action: Int, _ state: UnsafePointer<UInt64>) -> Bool {
        failure = nil
        successorCount = 0
        if applyKernel(action, state) { return true }
        _ = run(actionPrograms[action], state, scratch, depth: 0)
        return successorCount > 0 || failure != nil
    }

    /// Applies the kernel of `action` to `state` into the next successor slot and counts it. False when the
    /// action has no kernel or a value fell outside its field: the interpreter then runs the action (the slot
    /// is overwritten or unused).
    @inline(__always)
    private func applyKernel(_ action: Int, _ state: UnsafePointer<UInt64>) -> Bool {
        let step = Int(kernelStart[action])
        guard step >= 0 else { return false }
        if successorCount == successorCapacity { growSuccessors() }
        let target = successors + successorCount * wordCount
        target.copyState(from: state, wordCount: wordCount)
        let single = singleStores[action]
        if single.kind == .store {
            let word = Int(single.word)
            target[word] = (target[word] & ~single.clear) | single.set
            successorCount += 1
            return true
        }
        if single.kind == .add {
            let word = Int(single.word)
            target[word] = target[word] &+ single.set
            successorCount += 1
            return true
        }
        guard runKernelSteps(from: step, state, into: target) else { return false }
        successorCount += 1
        return true
    }

    /// Walks the kernel steps from `step` on, writing the successor `target` (a copy of `state`). False when a
    /// step bails to the interpreter. Kept out of line so that `applyKernel`'s checks and one-step kernels stay
    /// small enough to inline into `expand`.
    @inline(never)
    private func runKernelSteps(from start: Int, _ state: UnsafePointer<UInt64>, into target: UnsafeMutablePointer<UInt64>) -> Bool {
        var step = start
        while true {
            let change = kernelSteps[step]
            switch change.kind {
            case .end:
                return true
            case .store:
                let word = Int(change.word)
                target[word] = (target[word] & ~change.clear) | change.set
            case .add:
                let word = Int(change.word)
                target[word] = target[word] &+ change.set
            case .offset:
                let ordinal = Int64(bitPattern: (state[Int(change.sourceWord)] >> UInt64(change.sourceShift)) & change.sourceMask) &+ change.bias
                if UInt64(bitPattern: ordinal) >= change.count { return false }
                let word = Int(change.word)
                target[word] = (target[word] & ~change.clear) | (UInt64(bitPattern: ordinal) << UInt64(change.shift))
            case .test:
                if !change.passes(state) {
                    step = Int(change.next)
                    continue
                }
            case .require:
                if !change.passes(state) { return false }
            case .jump:
                step = Int(change.next)
                continue
            case .dispatch:
                let ordinal = (state[Int(change.sourceWord)] >> UInt64(change.sourceShift)) & change.sourceMask
                let next = kernelTable[Int(change.next) + Int(ordinal)]
                if next < 0 { return false }
                step = Int(next)
                continue
            }
            step += 1
        }
    }

    /// Starts collecting the successors of a state with `expand(_:from:fired:)`; `anyEnabled` starts as given (true
    /// when the generated chunk expansion already took successors of the state from earlier actions).
    @inline(__always)
    public func beginExpansion(anyEnabled enabled: Bool = false) {
        successorCount = 0
        anyEnabled = enabled
    }

    /// Fires the ground actions from `start` on, in order, on `state`, appending each enabled action's
    /// successors to `successors` (after those already collected since `beginExpansion()`) with the action in
    /// `successorActions`, counting each firing in `fired` and setting `anyEnabled`. Stops at the first action
    /// that fails and returns its index, with `failure` and `failureAddress` set and the successors it emitted
    /// before failing dropped; returns `actionCount` when every action is done. The same successors, in the
    /// same order, as `forEachEnabled` gives.
    @inline(__always)
    public func expand(_ state: UnsafePointer<UInt64>, from start: Int, fired: UnsafeMutablePointer<Int>) -> Int {
        if let native { return expandNatively(native, state, from: start, fired: fired) }
        let count = actionCount
        beginScan(state)
        var action = nextPassing(from: start, state)
        while action < count {
            if !fireCollecting(action, state, fired: fired) { return action }
            action = nextPassing(from: action + 1, state)
        }
        return count
    }

    /// Runs `action`, whose guard tests passed on `state`, by its kernel or else the interpreter, for `expand`:
    /// appends its successors with their action, counts the firing in `fired` and sets `anyEnabled` when it
    /// produced a successor or failed. False when it failed (`failure` set, its successors dropped). The one step
    /// of `expand` and `expandNatively` (for an action the generated code handed back).
    @inline(__always)
    private func fireCollecting(_ action: Int, _ state: UnsafePointer<UInt64>, fired: UnsafeMutablePointer<Int>) -> Bool {
        let before = successorCount
        if applyKernel(action, state) {
            successorActions[before] = UInt32(truncatingIfNeeded: action)
            anyEnabled = true
            fired[action] &+= 1
            return true
        }
        failure = nil
        _ = run(actionPrograms[action], state, scratch, depth: 0)
        if failure != nil {
            successorCount = before
            anyEnabled = true
            fired[action] &+= 1
            return false
        }
        if successorCount > before {
            anyEnabled = true
            fired[action] &+= 1
            for k in before..<successorCount { successorActions[k] = UInt32(truncatingIfNeeded: action) }
        }
        return true
    }

    /// `expand` with the generated code: it runs the actions in order until one bails (it could fail, or the
    /// successor buffer is full), which then runs here exactly as `expand` runs it (its guard tests passed), and
    /// the generated code goes on after it.
    private func expandNatively(_ native: NativeLibrary, _ state: UnsafePointer<UInt64>, from start: Int,
                                fired: UnsafeMutablePointer<Int>) -> Int {
        let count = actionCount
        var action = start
        while true {
            nativeIO[0] = Int64(successorCount)
            nativeIO[1] = Int64(successorCapacity)
            nativeIO[2] = 0
            let stop = Int(native.expand(state, Int32(truncatingIfNeeded: action), successors, successorActions, nativeIO, fired))
            successorCount = Int(nativeIO[0])
            if nativeIO[2] != 0 { anyEnabled = true }
            if stop >= count { return count }
            if !fireCollecting(stop, state, fired: fired) { return stop }
            action = stop + 1
        }
    }

    /// Calls `body` with each ground action enabled in `state`, in order, after firing it (so `successors` and
    /// `failure` describe it). Runs of actions sharing the guard tests up to a failing one are skipped together.
    @inline(__always)
    public func forEachEnabled(_ state: UnsafePointer<UInt64>, _ body: (Int) -> Void) {
        let count = actionCount
        beginScan(state)
        var action = nextPassing(from: 0, state)
        while action < count {
            if fireAfterTests(action, state) { body(action) }
            action = nextPassing(from: action + 1, state)
        }
    }

    /// Prepares `nextPassing` for `state`: with the guard table, intersects the rows of the state's values.
    @inline(__always)
    private func beginScan(_ state: UnsafePointer<UInt64>) {
        guard usesGuardTable else { return }
        let words = setWords
        if words == 1 {
            var set = allActions[0]
            for f in 0..<guardFieldCount {
                let field = guardFields[f]
                let ordinal = (state[Int(field.word)] >> UInt64(field.shift)) & field.mask
                set &= guardRows[Int(field.rowBase) + Int(ordinal)]
            }
            enabledSet[0] = set
            return
        }
        for w in 0..<words { enabledSet[w] = allActions[w] }
        for f in 0..<guardFieldCount {
            let field = guardFields[f]
            let ordinal = (state[Int(field.word)] >> UInt64(field.shift)) & field.mask
            let row = guardRows + (Int(field.rowBase) + Int(ordinal)) * words
            for w in 0..<words { enabledSet[w] &= row[w] }
        }
    }

    /// The first action from `action` on whose guard tests all pass on `state` (after `beginScan(state)`), or
    /// `actionCount`. The one scan of `expand` and `forEachEnabled`: with the guard table, the next bit of the
    /// state's action set whose remaining tests pass; without, each action's tests in turn, skipping the runs of
    /// actions that share a failing test.
    @inline(__always)
    private func nextPassing(from start: Int, _ state: UnsafePointer<UInt64>) -> Int {
        var action = start
        let count = actionCount
        if usesGuardTable {
            let words = setWords
            while action < count {
                var word = action >> 6
                var bits = enabledSet[word] & (~UInt64(0) << UInt64(action & 63))
                while bits == 0 {
                    word += 1
                    if word >= words { return count }
                    bits = enabledSet[word]
                }
                action = word << 6 | bits.trailingZeroBitCount
                var test = Int(residualTestStart[action])
                let end = Int(residualTestStart[action + 1])
                while test < end, residualTests[test].passes(state) { test += 1 }
                if test == end { return action }
                action += 1
            }
            return count
        }
        while action < count {
            var test = Int(actionTestStart[action])
            let end = Int(actionTestStart[action + 1])
            while test < end, tests[test].passes(state) { test += 1 }
            if test == end { return action }
            action = Int(skipAt[test])
        }
        return count
    }

    private func growSuccessors() {
        let bigger: UnsafeMutablePointer<UInt64> = ThreadOwnedMemory.allocate(capacity: wordCount * successorCapacity * 2)
        bigger.update(from: successors, count: wordCount * successorCount)
        ThreadOwnedMemory.deallocate(successors)
        successors = bigger
        let biggerActions: UnsafeMutablePointer<UInt32> = ThreadOwnedMemory.allocate(capacity: successorCapacity * 2)
        biggerActions.update(from: successorActions, count: successorCount)
        ThreadOwnedMemory.deallocate(successorActions)
        successorActions = biggerActions
        successorCapacity *= 2
    }

    private func scratchState(depth: Int) -> UnsafeMutablePointer<UInt64> {
        scratch + min(depth, scratchDepth - 1) * wordCount
    }

    private func fail(_ failure: ActionFailure, at pc: Int) {
        if self.failure == nil {
            self.failure = failure
            failureAddress = Int32(pc)
        }
    }

    /// Records an arithmetic overflow (a `bounds` violation) and ends the evaluation.
    private func overflowed(at pc: Int) -> Int64 {
        fail(.bounds(detail: "arithmetic overflow"), at: pc)
        return 0
    }

    /// The flat cell index of the `count` indices on top of the stack, or nil (and a failure) when out of range.
    @inline(__always)
    private func flatIndex(_ sp: Int, count: Int, dimensionBase: Int, pc: Int) -> Int? {
        var flat: Int64 = 0
        for k in 0..<count {
            let dimension = dimensions[dimensionBase + k]
            // Wrapping is safe: an index so far out that the subtraction overflows wraps outside 0..<count.
            let ordinal = stack[sp - count + k] &- dimension.lowerBound
            if ordinal < 0 || ordinal >= dimension.count {
                fail(.bounds(detail: "index \(stack[sp - count + k]) is outside \(dimension.lowerBound)..\(dimension.lowerBound + dimension.count - 1)"), at: pc)
                return nil
            }
            flat = flat * dimension.count + ordinal
        }
        return Int(flat)
    }

    /// The interpreter. `dst` is the successor under construction (nil for expressions); `depth` its scratch level.
    private func run(_ start: Int32, _ src: UnsafePointer<UInt64>, _ dst: UnsafeMutablePointer<UInt64>?, depth: Int) -> Int64 {
        var pc = Int(start)
        var sp = 0
        let stack = self.stack
        while true {
            let instruction = code[pc]
            pc += 1
            switch instruction.op {
            case .constant:
                stack[sp] = instruction.imm
                sp += 1
            case .field:
                let mask = (UInt64(1) << UInt64(instruction.width)) &- 1
                stack[sp] = Int64((src[Int(instruction.word)] >> UInt64(instruction.shift)) & mask) &+ instruction.imm
                sp += 1
            case .fieldEquals:
                let mask = (UInt64(1) << UInt64(instruction.width)) &- 1
                stack[sp] = Int64((src[Int(instruction.word)] >> UInt64(instruction.shift)) & mask) == instruction.imm ? 1 : 0
                sp += 1
            case .fieldIn:
                let mask = (UInt64(1) << UInt64(instruction.width)) &- 1
                let ordinal = (src[Int(instruction.word)] >> UInt64(instruction.shift)) & mask
                stack[sp] = ordinal < 64 && (instruction.bits >> ordinal) & 1 != 0 ? 1 : 0
                sp += 1
            case .cell:
                let count = Int(instruction.word)
                guard let flat = flatIndex(sp, count: count, dimensionBase: Int(instruction.arg), pc: pc - 1) else { return 0 }
                sp -= count
                let field = cellFields[Int(instruction.imm) + flat]
                let mask = (UInt64(1) << UInt64(field.width)) &- 1
                stack[sp] = Int64((src[Int(field.word)] >> UInt64(field.shift)) & mask) &+ field.lowerBound
                sp += 1
            case .table:
                let count = Int(instruction.word)
                guard let flat = flatIndex(sp, count: count, dimensionBase: Int(instruction.arg), pc: pc - 1) else { return 0 }
                sp -= count
                stack[sp] = tableEntries[Int(instruction.imm) + flat]
                sp += 1
            case .fieldCell, .fieldTable:
                let mask = (UInt64(1) << UInt64(instruction.width)) &- 1
                let value = Int64((src[Int(instruction.word)] >> UInt64(instruction.shift)) & mask) &+ Int64(bitPattern: instruction.bits)
                let dimension = dimensions[Int(instruction.arg)]
                let ordinal = value &- dimension.lowerBound
                if ordinal < 0 || ordinal >= dimension.count {
                    fail(.bounds(detail: "index \(value) is outside \(dimension.lowerBound)..\(dimension.lowerBound + dimension.count - 1)"), at: pc - 1)
                    return 0
                }
                if instruction.op == .fieldTable {
                    stack[sp] = tableEntries[Int(instruction.imm) + Int(ordinal)]
                } else {
                    let field = cellFields[Int(instruction.imm) + Int(ordinal)]
                    stack[sp] = Int64((src[Int(field.word)] >> UInt64(field.shift)) & ((UInt64(1) << UInt64(field.width)) &- 1)) &+ field.lowerBound
                }
                sp += 1
            case .not:
                stack[sp - 1] = stack[sp - 1] == 0 ? 1 : 0
            case .negate:
                let (result, overflow) = Int64(0).subtractingReportingOverflow(stack[sp - 1])
                if overflow { return overflowed(at: pc - 1) }
                stack[sp - 1] = result
            case .add:
                sp -= 1
                let (result, overflow) = stack[sp - 1].addingReportingOverflow(stack[sp])
                if overflow { return overflowed(at: pc - 1) }
                stack[sp - 1] = result
            case .subtract:
                sp -= 1
                let (result, overflow) = stack[sp - 1].subtractingReportingOverflow(stack[sp])
                if overflow { return overflowed(at: pc - 1) }
                stack[sp - 1] = result
            case .multiply:
                sp -= 1
                let (result, overflow) = stack[sp - 1].multipliedReportingOverflow(by: stack[sp])
                if overflow { return overflowed(at: pc - 1) }
                stack[sp - 1] = result
            case .divide, .remainder:
                sp -= 1
                let divisor = stack[sp]
                if divisor == 0 || (divisor == -1 && stack[sp - 1] == Int64.min) {
                    fail(.bounds(detail: "division by zero"), at: pc - 1)
                    return 0
                }
                stack[sp - 1] = instruction.op == .divide ? stack[sp - 1] / divisor : stack[sp - 1] % divisor
            case .equal:
                sp -= 1
                stack[sp - 1] = stack[sp - 1] == stack[sp] ? 1 : 0
            case .notEqual:
                sp -= 1
                stack[sp - 1] = stack[sp - 1] != stack[sp] ? 1 : 0
            case .less:
                sp -= 1
                stack[sp - 1] = stack[sp - 1] < stack[sp] ? 1 : 0
            case .lessEqual:
                sp -= 1
                stack[sp - 1] = stack[sp - 1] <= stack[sp] ? 1 : 0
            case .greater:
                sp -= 1
                stack[sp - 1] = stack[sp - 1] > stack[sp] ? 1 : 0
            case .greaterEqual:
                sp -= 1
                stack[sp - 1] = stack[sp - 1] >= stack[sp] ? 1 : 0
            case .inBits:
                let offset = stack[sp - 1] &- instruction.imm
                stack[sp - 1] = offset >= 0 && offset < 64 && (instruction.bits >> UInt64(offset)) & 1 != 0 ? 1 : 0
            case .inList:
                let value = stack[sp - 1]
                var found: Int64 = 0
                for k in 0..<Int(instruction.word) where constantLists[Int(instruction.arg) + k] == value {
                    found = 1
                    break
                }
                stack[sp - 1] = found
            case .jump:
                pc = Int(instruction.arg)
            case .jumpIfFalse:
                sp -= 1
                if stack[sp] == 0 { pc = Int(instruction.arg) }
            case .andJump:
                if stack[sp - 1] == 0 { pc = Int(instruction.arg) } else { sp -= 1 }
            case .orJump:
                if stack[sp - 1] != 0 { pc = Int(instruction.arg) } else { sp -= 1 }
            case .result:
                return stack[sp - 1]
            case .copyState:
                guard let dst else { return 0 }
                dst.copyState(from: src, wordCount: wordCount)
            case .store:
                sp -= 1
                guard let dst else { return 0 }
                let ordinal = stack[sp] &- instruction.imm
                if ordinal < 0 || ordinal >= Int64(instruction.bits) {
                    fail(.bounds(detail: "value \(stack[sp]) is outside \(instruction.imm)..\(instruction.imm + Int64(instruction.bits) - 1)"), at: pc - 1)
                    return 0
                }
                let mask = ((UInt64(1) << UInt64(instruction.width)) &- 1) << UInt64(instruction.shift)
                let word = Int(instruction.word)
                dst[word] = (dst[word] & ~mask) | (UInt64(ordinal) << UInt64(instruction.shift))
            case .storeConstant:
                guard let dst else { return 0 }
                let word = Int(instruction.word)
                dst[word] = (dst[word] & ~instruction.bits) | UInt64(bitPattern: instruction.imm)
            case .storeCell:
                sp -= 1
                let value = stack[sp]
                let count = Int(instruction.word)
                guard let dst, let flat = flatIndex(sp, count: count, dimensionBase: Int(instruction.arg), pc: pc - 1) else { return 0 }
                sp -= count
                let field = cellFields[Int(instruction.imm) + flat]
                let ordinal = value &- field.lowerBound
                if ordinal < 0 || ordinal >= field.count {
                    fail(.bounds(detail: "value \(value) is outside \(field.lowerBound)..\(field.lowerBound + field.count - 1)"), at: pc - 1)
                    return 0
                }
                let mask = ((UInt64(1) << UInt64(field.width)) &- 1) << UInt64(field.shift)
                let word = Int(field.word)
                dst[word] = (dst[word] & ~mask) | (UInt64(ordinal) << UInt64(field.shift))
            case .assert:
                sp -= 1
                if stack[sp] == 0 {
                    fail(.assertion(property: Int(instruction.arg)), at: pc - 1)
                    return 0
                }
            case .fork:
                guard let dst else { return 0 }
                for k in 0..<Int(instruction.word) {
                    let copy = scratchState(depth: depth + 1)
                    copy.update(from: dst, count: wordCount)
                    _ = run(forkTargets[Int(instruction.arg) + k], src, copy, depth: depth + 1)
                    if failure != nil { return 0 }
                }
                return 0
            case .emit:
                guard let dst else { return 0 }
                if successorCount == successorCapacity { growSuccessors() }
                (successors + successorCount * wordCount).copyState(from: dst, wordCount: wordCount)
                successorCount += 1
                return 0
            case .abandon:
                return 0
            }
        }
    }
}
