import ModelLanguage
import PackedSystem

/// The explicit-state engine: breadth-first search over packed states with an exact visited set, so every
/// counterexample is a shortest one and the same model gives the same trace on every run.
public final class ExplicitExplorer: CheckingEngine {
    /// Results carry `.explicit`.
    public static let id = EngineID.explicit
    /// The system explored.
    public let system: TransitionSystem
    /// Limits.
    public let options: ExplorerOptions
    /// The file name reported in results.
    public let file: String

    let store: StateStore
    private let machine: Machine
    /// The one-thread search's action counts; the parallel search adds its workers' into them.
    let counters: ActionCounters
    /// The symmetry reducer, when symmetry reduction applies.
    let reducer: SymmetryReducer?
    var notes: [String] = []
    /// Whether `--native auto` has yet to start its compile beside the search (`pollNativeCompile()`, once the store
    /// passes `options.nativeStateThreshold` states).
    var nativePending = false
    /// `--native auto`'s compile while it runs beside the search (`pollNativeCompile()`).
    private var backgroundCompile: BackgroundCompile?
    /// The generated successor generation once loaded (`--native on` from the start, `auto` once its compile beside
    /// the search is loaded):
    /// one library serves the one-thread machine and every parallel worker's machine (the generated code keeps
    /// its state in the caller's buffers and its own stack, so several threads may run it at once).
    var nativeLibrary: NativeLibrary? { machine.nativeLibrary }

    /// A violation found during the search: the state, and the failing action when an action failed.
    struct Finding {
        let state: Int
        let action: Int?
        let failure: ActionFailure?
        let address: Int32
    }

    /// The first violation found of each property, by property index (the parallel search merges into it in the
    /// same order). An array, not a dictionary: every new state asks it once per state property, and on
    /// v2-qemu-p2p (12 invariants and goals) the dictionary's hashing took 5.5% of a one-thread search (`perf`).
    var findings: [Finding?]
    var transitions = 0
    var depth = 0
    /// Rounds of the parallel search on its threads and on the calling thread alone (`RoundPacer`).
    var parallelRounds = 0
    var sequentialRounds = 0
    /// The threads the parallel search ran on, when the system refused some of those asked for (`PhasePool`).
    var threadsStarted: Int?
    /// First occurrences the parallel expansion listed through its workers' tables of neighbouring chunks, and
    /// successors it left out as held by an earlier chunk (`NeighbourRepeats`), for tests and measurements.
    var neighbourRepeatsListed = 0
    var neighbourRepeatsDropped = 0
    /// Chunks that the parallel search's round leads inserted, and claims they took over (`insertAsLead`), for
    /// tests and measurements.
    var ledChunks = 0
    /// Rounds of the parallel search expanded while the round before was inserted (`RoundAhead`).
    var roundsExpandedAhead = 0
    var leadTakeovers = 0
    var stopReason: StopReason?
    var startTime = 0.0
    /// The run's limits from `startTime` on (set when the search starts).
    private(set) var limits = SearchLimits(interruption: nil, timeoutSeconds: nil, start: 0)
    /// The number of initial states stored (they come first in the store); nil while they are being stored.
    var initialStateCount: Int?
    /// The transitions the search records as it inserts each chunk, when the model has liveness properties (whose
    /// checks walk them) and no symmetry reduction applies; nil otherwise.
    var recordedGraph: SuccessorGraph?

    /// Whether the model has `eventually` or `leadsto` properties: symmetry reduction is then off, and the search
    /// records its transitions (`recordedGraph`) for their checks.
    let hasLiveness: Bool

    /// Creates an explorer for a system.
    public init(system: TransitionSystem, options: ExplorerOptions = ExplorerOptions(), file: String) {
        self.system = system
        self.options = options
        self.file = file
        store = StateStore(wordCount: system.wordCount, actionCount: system.actions.count,
                           mapping: StoreMapping(limit: options.storeMappingLimit, hugePages: options.hugePages))
        nativePending = options.native == .auto
        machine = system.makeMachine()
        counters = ActionCounters(actions: system.actions.count)
        findings = Array(repeating: nil, count: system.properties.count)
        deadlockPropertyIndex = system.properties.firstIndex { $0.info.kind == .deadlock }
        boundsPropertyIndex = system.properties.firstIndex { $0.info.kind == .bounds }
        hasLiveness = system.properties.contains { $0.info.kind == .eventually || $0.info.kind == .leadsto }
        var reducer: SymmetryReducer?
        if options.symmetry, !system.model.scalarsets.isEmpty {
            if hasLiveness {
                notes.append("symmetry reduction off: the model has liveness properties, and weak fairness of each action "
                             + "instance is not preserved by the symmetry quotient")
            } else {
                do {
                    reducer = try SymmetryReducer(system: system)
                } catch {
                    notes.append("symmetry reduction off: \(error)")
                }
            }
        } else if !options.symmetry, !system.model.scalarsets.isEmpty {
            notes.append("symmetry reduction off (--no-symmetry)")
        }
        self.reducer = reducer
    }

    /// The limits of the run.
    public var budget: EngineBudget { options.budget }

    /// The `deadlock` and `bounds` properties' indices, looked up once: every state without an enabled action asks
    /// the first (as a scan of the properties it was 2.9% of a one-thread search of v2-qemu-p2p, `perf`).
    let deadlockPropertyIndex: Int?
    let boundsPropertyIndex: Int?

    /// Runs the search and every check, once per explorer.
    public func run() -> ExplicitRun { run(progress: nil) }

    /// Runs the search and every check, once per explorer; `progress` is called about once per
    /// `progressInterval` seconds.
    public func run(progress: ((ExplorerProgress) -> Void)?) -> ExplicitRun {
        startTime = ResourceUsage.now()
        limits = SearchLimits(interruption: options.budget.interruption, timeoutSeconds: options.budget.timeoutSeconds,
                              start: startTime)
        if options.native == .on { compileAtStart() }
        explore(progress: progress)
        // A compile still running when the search ended is killed, and waited for, so that none of it outlives the run.
        backgroundCompile?.finish()
        backgroundCompile = nil
        let relation = TransitionRelation(system)
        // A graph recorded by a search that stopped early lacks transitions: only a complete one is handed on.
        let successors = stopReason == nil ? recordedGraph : nil
        recordedGraph = nil
        let livenessResults = stopReason == nil
            ? LivenessChecker(system: system, store: store, relation: relation, recorded: successors).check() : [:]
        let result = makeResult(liveness: livenessResults, relation: relation)
        return ExplicitRun(result: result,
                           graph: ExploredGraph(system: system, store: store, reducer: reducer, successors: successors,
                                                interruption: options.budget.interruption))
    }

    // MARK: Search

    /// Records a violation unless one is already recorded for the property (the first found is the shortest).
    func record(_ property: Int, _ finding: Finding) {
        if findings[property] == nil { findings[property] = finding }
    }

    /// Evaluates the state properties on a newly stored state.
    func checkState(_ index: Int, _ stateChecks: [StateCheck]) {
        let state = store.state(index)
        for check in stateChecks where findings[check.property] == nil {
            let value = machine.evaluate(check.program, state)
            if let failure = machine.failure {
                recordStateEvent(StateCheckEvent(property: check.property, state: index, failure: failure, address: machine.failureAddress))
            } else if (value != 0) == check.goal {
                recordStateEvent(StateCheckEvent(property: check.property, state: index, failure: nil, address: 0))
            }
        }
    }

    /// Records what evaluating a state property on a state gave, unless the property is already decided: a
    /// failed evaluation is a `bounds` finding, a violated invariant or a reached goal the property's own.
    func recordStateEvent(_ event: StateCheckEvent) {
        guard findings[event.property] == nil else { return }
        if let failure = event.failure {
            if let bounds = boundsPropertyIndex {
                record(bounds, Finding(state: event.state, action: nil, failure: failure, address: event.address))
            }
        } else {
            record(event.property, Finding(state: event.state, action: nil, failure: nil, address: 0))
        }
    }

    private func explore(progress: ((ExplorerProgress) -> Void)?) {
        let wordCount = system.wordCount
        var stateChecks: [StateCheck] = []
        for (index, property) in system.properties.enumerated() {
            guard let program = property.predicateProgram else { continue }
            if property.info.kind == .invariant { stateChecks.append((index, program, false)) }
            if property.info.kind == .reachable { stateChecks.append((index, program, true)) }
        }
        let actionCount = system.actions.count
        let current = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, wordCount))
        defer { current.deallocate() }

        for initial in system.initialStates {
            var canonical = initial
            let inserted = canonical.withUnsafeMutableBufferPointer { buffer -> (index: Int, inserted: Bool)? in
                guard let base = buffer.baseAddress else { return nil }
                reducer?.canonicalize(base)
                return admit(base, parent: StateStore.noParent, action: 0)
            }
            if let inserted, inserted.inserted { checkState(inserted.index, stateChecks) }
            if stopReason != nil { return }
        }
        initialStateCount = store.count
        // Symmetry reduction is off for such a model (see `init`), so the edges are between concrete states.
        if hasLiveness { recordedGraph = SuccessorGraph() }
        if options.threads > 1 {
            exploreInParallel(threads: options.threads, stateChecks: stateChecks, progress: progress)
            return
        }
        var levelStart = 0
        var levelEnd = store.count
        var nextProgress = startTime + options.progressInterval
        let batch = SuccessorBatch(wordCount: wordCount)
        batch.recordsTargets = recordedGraph != nil
        while levelStart < levelEnd {
            var chunkStart = levelStart
            while chunkStart < levelEnd {
                let chunkEnd = min(levelEnd, chunkStart + max(1, options.chunkStates))
                batch.removeAll()
                if reducer == nil, let library = machine.nativeLibrary {
                    var index = chunkStart
                    while index < chunkEnd {
                        if index & 15 == 0, timeIsUp() { return }
                        let (next, successors) = expandNatively(library, from: index, to: min(chunkEnd, (index | 15) + 1),
                                                                into: batch, current: current, machine: machine,
                                                                counters: counters) { record($0, $1) }
                        transitions += successors
                        index = next
                    }
                } else {
                    for index in chunkStart..<chunkEnd {
                        if index & 15 == 0, timeIsUp() { return }
                        expand(index, into: batch, current: current, actionCount: actionCount)
                    }
                }
                guard insertSequentially(batch, stateChecks) else { return }
                recordedGraph?.append(batch, expanding: chunkStart..<chunkEnd)
                pollNativeCompile()
                chunkStart = chunkEnd
                guard continueAfterBatch(progress: progress, nextProgress: &nextProgress) else { return }
            }
            levelStart = levelEnd
            levelEnd = store.count
            if levelEnd > levelStart { depth += 1 }
        }
    }

    /// `--native on`: compiles before the search, inside the run's time (the compile counts against the limit as
    /// the search does). When that fails the search runs on the interpreter with a note saying why; a compile
    /// stopped by the run's limits (`compileStop`) is such a failure too, and the search then stops at its first
    /// poll with the limit's stop reason, keeping what the interpreter found before it (the initial states' checks).
    /// The note goes first, where it was when the compile ran in `init`.
    private func compileAtStart() {
        do {
            machine.useNative(try NativeLibrary.build(system, compiler: options.nativeCompiler, stop: compileStop()))
        } catch {
            notes.insert("native code off: \(error)", at: 0)
        }
    }

    /// `--native auto`, between chunks (between rounds in the parallel search): past `options.nativeStateThreshold`
    /// states, generates the C beside the search (`BackgroundCompile`); once the search has run for the compile's
    /// estimated time (`NativeLibrary.estimatedCompileSeconds`), compiles it there (with
    /// `options.nativeCompileInForeground`, compiles at the threshold and waits); once the library is loaded, the
    /// machine runs it from the next chunk on. Returns the library when this call loaded it (the parallel search
    /// gives it to its workers). When the C is over `NativeLibrary.autoSourceLimit` or does not compile, the search
    /// goes on as it was (the results are the same either way); so it does when the run's limits stop the compile
    /// (`compileStop`), and the search's next poll then stops it with the same reason.
    @discardableResult
    func pollNativeCompile() -> NativeLibrary? {
        if nativePending, store.count >= options.nativeStateThreshold {
            nativePending = false
            let compile = BackgroundCompile(system, compiler: options.nativeCompiler, sourceLimit: NativeLibrary.autoSourceLimit,
                                            stop: compileStop())
            backgroundCompile = compile
            if options.nativeCompileInForeground { compile.wait() }
        }
        guard let compile = backgroundCompile else { return nil }
        if !compile.started, let bytes = compile.sourceBytes,
           ResourceUsage.now() - startTime >= options.nativeCompileAfterSeconds ?? NativeLibrary.estimatedCompileSeconds(bytes: bytes) {
            compile.start()
        }
        guard compile.hasEnded else { return nil }
        backgroundCompile = nil
        guard let library = compile.library() else { return nil }
        machine.useNative(library)
        return library
    }

    /// What stops the C compiler: the run's limits as the search's polls see them (`SearchLimits`), so that a
    /// compile never outlasts them (`NativeLibrary.build` kills the compiler's process group and removes its files).
    private func compileStop() -> @Sendable () -> StopReason? {
        let limits = self.limits
        return { limits.stopReason() }
    }

    /// Called after each batch of states: stops at the run's limits, and reports progress when it is due.
    /// False when the search stops.
    func continueAfterBatch(progress: ((ExplorerProgress) -> Void)?, nextProgress: inout Double) -> Bool {
        let now = ResourceUsage.now()
        if let reason = limits.stopReason(at: now) {
            stopReason = reason
            return false
        }
        if let progress, now >= nextProgress {
            progress(ExplorerProgress(states: store.count, depth: depth, seconds: now - startTime))
            nextProgress = now + options.progressInterval
        }
        return true
    }

    /// Whether the run's limits stop the search; records why.
    func timeIsUp() -> Bool {
        guard let reason = limits.stopReason() else { return false }
        stopReason = reason
        return true
    }

    /// Whether the run's limits stop the search, without recording anything (safe from any thread).
    func timeBudgetSpent() -> Bool { limits.stopReason() != nil }

    /// States expanded before their successors are inserted together. Public because the SMT engine's reading of
    /// its breadth-first sample (`SampleVerdicts`) takes states in this order to find the explorer's own findings.
    ///
    /// 2,048 rather than 256 (until 2026-12-06): a repeat inside a chunk is found in the chunk's own small table
    /// (`SuccessorBatch.findFirstOccurrences`) instead of a probe of the store's index, and on two threads instead
    /// of a claim the other core may also make. Release builds, `farm-bench`, medians against 256: deep K=70
    /// 0.954x the wall on one thread and 0.929x on two; p2p-scale N=6 0.941x and 0.953x. Larger chunks help deep
    /// (four successors per state) more, 8,192 states 0.84x and 0.72x, but made p2p-scale (sixteen) slower than
    /// 2,048, its chunk's successors then outgrowing the second-level cache (Benchmarks/README.md, "The chunk:
    /// 2,048 states"). The size decides only which of two equally short `bounds` findings comes first (an action
    /// that fails while a chunk is expanded, or a state property that fails to evaluate on a state the chunk before
    /// discovered); the library's reports were the same with either.
    public static let chunkSize = 2048

    /// Fires every action on state `index`, records failures and deadlock, and collects the successors.
    @inline(__always)
    private func expand(_ index: Int, into batch: SuccessorBatch, current: UnsafeMutablePointer<UInt64>, actionCount: Int) {
        current.copyState(from: store.state(index), wordCount: system.wordCount)
        transitions += expandState(index, current: current, machine: machine, reducer: reducer, counters: counters,
                                   into: batch) { record($0, $1) }
    }

    /// Expands stored states `index ..< end` with the generated chunk expansion, straight into the batch, and
    /// returns the first state not expanded: `end`, or the state after the one where the generated code stopped,
    /// which `expandState` finished from the action it stopped at (an action that could fail or did not fit in the
    /// batch, or the deadlock check of a state without successors), and the successors appended. Results as
    /// `expand` gives them state by state. `machine` (whose `nativeIO` words it exchanges with the generated code)
    /// and `counters` are the calling thread's own: the one-thread search's, or a parallel worker's (the store is
    /// only read while a round expands).
    @inline(__always)
    func expandNatively(_ library: NativeLibrary, from index: Int, to end: Int, into batch: SuccessorBatch,
                        current: UnsafeMutablePointer<UInt64>, machine: Machine, counters: ActionCounters,
                        report: (Int, Finding) -> Void) -> (next: Int, successors: Int) {
        let io = machine.nativeIO
        let before = batch.count
        io[0] = Int64(before)
        io[1] = Int64(batch.room)
        let stop = Int(library.expandChunk(store.state(0), Int64(index), Int64(end), batch.words, batch.actions,
                                           batch.parents, batch.hashes, io, counters.fired))
        batch.setCount(Int(io[0]))
        let generated = batch.count - before
        guard stop < end else { return (end, generated) }
        current.copyState(from: store.state(stop), wordCount: system.wordCount)
        let finished = expandState(stop, current: current, machine: machine, reducer: nil, counters: counters, into: batch,
                                   from: Int(io[3]), anyEnabled: io[4] != 0, report: report)
        return (stop + 1, generated + finished)
    }

    /// Fires every action on `current` (the contents of state `index`) with the given machine: appends the
    /// successors (canonicalised under symmetry) to the batch, counts each firing in `counters` (the calling
    /// thread's own), and reports each failing action and a deadlock. Returns the number of successors. Used by
    /// the one-thread and the parallel search alike.
    @inline(__always)
    func expandState(_ index: Int, current: UnsafeMutablePointer<UInt64>, machine: Machine, reducer: SymmetryReducer?,
                     counters: ActionCounters, into batch: SuccessorBatch, from start: Int = 0, anyEnabled: Bool = false,
                     report: (Int, Finding) -> Void) -> Int {
        let wordCount = system.wordCount
        machine.beginExpansion(anyEnabled: anyEnabled)
        var action = start
        let actionCount = machine.actionCount
        while true {
            action = machine.expand(current, from: action, fired: counters.fired)
            guard action < actionCount, let failure = machine.failure else { break }
            counters.failed[action] &+= 1
            let property: Int?
            switch failure {
            case .assertion(let assertion): property = assertion
            case .bounds: property = boundsPropertyIndex
            }
            if let property {
                report(property, Finding(state: index, action: action, failure: failure, address: machine.failureAddress))
            }
            action += 1
        }
        let successors = machine.successorCount
        if let reducer {
            for successor in 0..<successors { reducer.canonicalize(machine.successors + successor * wordCount) }
        }
        batch.append(machine.successors, actions: machine.successorActions, number: successors, parent: UInt32(index))
        if !machine.anyEnabled, let deadlock = deadlockPropertyIndex, machine.evaluate(system.terminalProgram, current) == 0 {
            report(deadlock, Finding(state: index, action: nil, failure: nil, address: 0))
        }
        return successors
    }

    /// How far ahead of the insertion the hash slots and the stored states they point to are prefetched.
    static let slotPrefetchDistance = 32
    static let candidatePrefetchDistance = 16

    /// Inserts a batch in order, prefetching slots and candidate states a fixed distance ahead, so that their
    /// cache misses overlap. False when a limit stops the search.
    func insertSequentially(_ batch: SuccessorBatch, _ stateChecks: [StateCheck]) -> Bool {
        batch.findFirstOccurrences()
        return insertFirstOccurrences(batch, stateChecks)
    }

    /// `insertSequentially` for a batch whose first occurrences are already listed (a parallel worker's
    /// expansion lists them).
    func insertFirstOccurrences(_ batch: SuccessorBatch, _ stateChecks: [StateCheck]) -> Bool {
        // Two copies of the loop, so that the search that records nothing has no test of the flag in it.
        batch.recordsTargets ? insertFirstOccurrences(batch, stateChecks, recording: true)
            : insertFirstOccurrences(batch, stateChecks, recording: false)
    }

    @inline(__always)
    private func insertFirstOccurrences(_ batch: SuccessorBatch, _ stateChecks: [StateCheck], recording: Bool) -> Bool {
        let count = batch.firstCount
        let firsts = batch.firsts
        let hashes = batch.hashes
        for k in 0..<min(count, Self.slotPrefetchDistance) { store.prefetchSlot(hashes[Int(firsts[k])]) }
        for k in 0..<count {
            if k + Self.slotPrefetchDistance < count { store.prefetchSlot(hashes[Int(firsts[k + Self.slotPrefetchDistance])]) }
            if k + Self.candidatePrefetchDistance < count { store.prefetchCandidate(hashes[Int(firsts[k + Self.candidatePrefetchDistance])]) }
            let position = Int(firsts[k])
            guard let added = admit(batch.state(position), hash: hashes[position], parent: batch.parents[position],
                                    action: batch.actions[position]) else {
                return false
            }
            if recording { batch.setTarget(position, added.index) }
            if added.inserted { checkState(added.index, stateChecks) }
        }
        return true
    }

    /// Inserts a state, enforcing the state and memory limits. Returns nil when a limit stops the search.
    private func admit(_ state: UnsafePointer<UInt64>, parent: UInt32, action: UInt32) -> (index: Int, inserted: Bool)? {
        admit(state, hash: StateStore.hash(state, system.wordCount), parent: parent, action: action)
    }

    @inline(__always)
    private func admit(_ state: UnsafePointer<UInt64>, hash: UInt64, parent: UInt32, action: UInt32) -> (index: Int, inserted: Bool)? {
        if let limit = options.budget.maxStates, store.count >= limit, store.find(state) == nil {
            stopReason = .stateLimit(limit)
            return nil
        }
        if store.isFull, let limit = options.budget.maxMemoryBytes, ResourceUsage.bytesBesides(store.bytes) + store.bytesAfterGrowth > limit,
           store.find(state) == nil {
            stopReason = options.budget.memoryStop(limit)
            return nil
        }
        if store.count >= StateStore.maximumStates, store.find(state) == nil {
            stopReason = .storeCapacity(StateStore.maximumStates)
            return nil
        }
        guard let added = store.insert(state, hash: hash, parent: parent, action: action) else {
            stopReason = .outOfMemory(bytes: store.bytesAfterGrowth)
            return nil
        }
        return added
    }

    // MARK: Results

    private func makeResult(liveness: [Int: LivenessOutcome], relation: TransitionRelation) -> CheckResult {
        let builder = TraceBuilder(system: system, store: store, reducer: reducer, relation: relation)
        let complete = stopReason == nil
        var results: [PropertyResult] = []
        for (index, property) in system.properties.enumerated() {
            let info = property.info
            var result = PropertyResult(name: info.name, kind: info.kind, expected: info.expected, verdict: .unknown, engine: Self.id)
            switch info.kind {
            case .invariant, .assertion, .bounds, .deadlock:
                if let finding = findings[index] {
                    result.verdict = .violated
                    if let action = finding.action, let failure = finding.failure {
                        result.trace = builder.failingTrace(to: finding.state, action: action, failure: failure, address: finding.address)
                    } else {
                        result.trace = builder.trace(to: finding.state)
                        if info.kind == .bounds, case .bounds(let detail) = finding.failure {
                            result.note = "while evaluating a property: \(detail)"
                        }
                    }
                } else if complete {
                    result.verdict = .holds
                }
            case .reachable:
                if let finding = findings[index] {
                    result.verdict = .reachable
                    result.trace = builder.trace(to: finding.state)
                } else if complete {
                    result.verdict = .unreachable
                }
            case .eventually, .leadsto:
                if let outcome = liveness[index] {
                    result.verdict = outcome.trace == nil ? .holds : .violated
                    result.trace = outcome.trace.map { builder.lasso(states: $0.states, actions: $0.actions, loopStart: $0.loopStart) }
                    result.note = outcome.note
                }
            }
            if result.verdict == .unknown, let stopReason { result.note = stopReason.description }
            results.append(result)
        }
        var statistics = RunStatistics()
        statistics.states = store.count
        statistics.transitions = transitions
        statistics.depth = depth
        statistics.seconds = ResourceUsage.now() - startTime
        statistics.peakMemoryBytes = ResourceUsage.peakResidentBytes()
        statistics.engineBytes = store.bytes
        statistics.complete = complete
        statistics.stopReason = stopReason
        if let reducer {
            statistics.reductions.append(reducer.summary + (reducer.truncated ? "; some states only partly canonicalised" : ""))
        }
        statistics.notes = notes
        statistics.threads = threadsStarted ?? options.threads
        statistics.roundsOnOneThread = sequentialRounds
        statistics.rounds = parallelRounds + sequentialRounds
        var result = CheckResult(file: file, model: system.name, cellNames: system.cellNames,
                                 cellTypes: system.layout.fields.map(\.type), properties: results, statistics: statistics,
                                 engine: Self.id)
        result.coverage = coverage(complete: complete)
        return result
    }

    /// The coverage of the search: the counted firings and failures, and per ground action the stored states
    /// it discovered first (read from the store's action column after the search, so the hot loop pays nothing
    /// for it; the one-thread and the parallel search store the same first discoveries).
    private func coverage(complete: Bool) -> Coverage {
        var distinct = Array(repeating: 0, count: system.actions.count)
        // Every state after the initial ones was discovered by an action. (When a limit stopped the search while
        // the initial states were stored, no state was discovered by one.)
        for index in (initialStateCount ?? store.count)..<store.count {
            let action = Int(store.action(index))
            if action < distinct.count { distinct[action] += 1 }
        }
        let actions = system.actions.enumerated().map { index, ground in
            ActionCoverage(action: ground.name, arguments: ground.arguments, fired: counters.fired[index],
                           distinctStates: distinct[index], failures: counters.failed[index])
        }
        return Coverage(actions: actions, declarations: system.model.actions.map(\.name), complete: complete,
                        symmetry: reducer != nil)
    }
}
