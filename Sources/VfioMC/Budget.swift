import ArgumentParser
import CProcessSupport
import Explorer
import Foundation
import ModelLanguage
import PackedSystem

/// The limits of the whole process, shared by every command that may run long.
struct ProcessBudgetOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Bound the whole process's memory (resident bytes); accepts K, M, G, T suffixes, or none. Default: "
            + "\(DefaultMemoryLimit.percent)% of the machine's memory, or of its memory cgroup's limit when lower.",
        valueName: "BYTES"))
    var maxMemory: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop the whole command after this many seconds (loading, search and output included).", valueName: "SECONDS"))
    var timeout: Double?

    func validate() throws {
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let maxMemory, !removesMemoryLimit, ByteCount.parse(maxMemory) == nil {
            throw ValidationError("--max-memory expects a byte count such as 512M or 8G, or none, got '\(maxMemory)'")
        }
    }

    /// `--max-memory none`: no memory limit at all, not even the default.
    private var removesMemoryLimit: Bool { maxMemory?.lowercased() == "none" }

    /// The memory limit in bytes: the one given, none for `none`, else the default (`DefaultMemoryLimit`).
    var maxMemoryBytes: Int? {
        guard let maxMemory else { return DefaultMemoryLimit.current }
        return removesMemoryLimit ? nil : ByteCount.parse(maxMemory)
    }

    /// Whether the memory limit is the default one, not given by the user.
    var memoryLimitIsDefault: Bool { maxMemory == nil }

    /// Installs the signal handlers and the watchdog for these limits. A memory limit below what the process
    /// already holds could only end the run before it starts: that is a usage error.
    func start() throws {
        let memoryLimit = maxMemoryBytes
        if let limit = memoryLimit, let text = maxMemory {
            let resident = ResourceUsage.residentBytes()
            if resident > limit {
                throw UsageProblem("error: --max-memory \(text) is below the \(resident >> 20) MiB vfio-mc already uses before loading a model")
            }
        }
        if let refused = RunControl.start(timeout: timeout, maxMemoryBytes: memoryLimit, memoryLimitIsDefault: memoryLimitIsDefault) {
            throw UsageProblem("error: cannot enforce \(timeout == nil ? "--max-memory" : maxMemory == nil || removesMemoryLimit ? "--timeout" : "--timeout and --max-memory"): \(refused)")
        }
    }

    /// The limits as the model's lowering polls them (after `start`): the memory limit, and the command's deadline
    /// and signals through `RunControl.interruption`. A model whose grounding runs out then stops with a stop
    /// reason and exit 3 instead of being ended by the watchdog.
    var buildBudget: BuildBudget {
        BuildBudget(maxResidentBytes: maxMemoryBytes, interruption: RunControl.interruption, memoryLimitIsDefault: memoryLimitIsDefault)
    }
}

/// The budget options of the commands that search a state space, declared once.
struct BudgetOptions: ParsableArguments {
    @OptionGroup var process: ProcessBudgetOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop each search after this many distinct states (exit 3 if verdicts are missing).", valueName: "N"))
    var maxStates: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Search threads (default: all cores). Results and traces are the same for every thread count.", valueName: "N"))
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp(
        "How a search on several threads runs each round of states: adaptive (the default: on the threads, or on one "
            + "thread alone when recent rounds ran faster there, as on a host where the cores share memory slowly) or "
            + "always (every round on the threads). Results and traces are the same either way.",
        valueName: "MODE"))
    var parallelRounds: ParallelRounds = .adaptive

    @Flag(help: ArgumentHelp(
        "Ask Linux for huge pages (2 MiB) for the state store's arrays of 4 MiB or more. Off by default: on virtual "
            + "machines that hand free memory back to the host, faulting such pages in again cost more than they saved "
            + "(docs/explorer.md). Results are the same either way."))
    var hugePages = false

    func validate() throws {
        if let maxStates, maxStates < 1 { throw ValidationError("--max-states must be at least 1") }
        if threads < 1 || threads > 256 { throw ValidationError("--threads must be between 1 and 256") }
    }

    /// Starts the command's budget (signal handlers and the watchdog) and returns explorer options that honour it:
    /// the time left of the command's limit, the whole process's memory, and interruption.
    func start() throws -> ExplorerOptions {
        try process.start()
        var options = ExplorerOptions()
        options.budget.maxStates = maxStates
        options.budget.maxMemoryBytes = process.maxMemoryBytes
        options.budget.memoryLimitIsDefault = process.memoryLimitIsDefault
        // The command's deadline reaches the search through `interruption`, so its stop reason names the limit
        // the user gave, and time spent loading counts against it.
        options.threads = threads
        options.parallelRounds = parallelRounds
        options.hugePages = hugePages
        options.budget.interruption = RunControl.interruption
        return options
    }
}

/// The explicit search of `check` and `report`: its budgets and whether it reduces by symmetry.
struct SearchOptions: ParsableArguments {
    @OptionGroup var budget: BudgetOptions

    @Flag(help: "Do not reduce by symmetry over scalarsets (on by default when a model declares one).")
    var noSymmetry = false

    @Option(help: ArgumentHelp(
        "Generate successors with C compiled for the model by the system compiler ($CC or cc, -O1) and loaded, on "
            + "every search thread: on (compiled before the search; when that fails, the interpreter, with a note), auto "
            + "(compiled beside the search once it has run about as long as the compile takes, for C of at most 8 MB, "
            + "switching when loaded and falling back silently; the default) or off. Results and traces are the same "
            + "either way. The compile counts against --timeout; at the limit, on SIGINT or when the search ends first "
            + "the compiler is killed.",
        valueName: "MODE"))
    var native: NativeMode = .auto

    /// Starts the command's budget (see `BudgetOptions.start`) and returns the explorer options, symmetry and
    /// native code set.
    func start() throws -> ExplorerOptions {
        var options = try budget.start()
        options.symmetry = !noSymmetry
        options.native = native
        return options
    }
}

/// The whole command's budget. The search stops cooperatively: between batches it asks `interruption`, which
/// reports a signal (SIGINT, SIGTERM) or a spent budget, and the command then writes its partial results. For
/// the phases that do not poll (loading, grounding, liveness on a huge graph), a watchdog thread ends the
/// process with exit 3 one second after the limit, saying which limit and that the output is incomplete.
enum RunControl {
    /// When the command started (monotonic seconds).
    nonisolated(unsafe) private static var startTime = ResourceUsage.now()
    nonisolated(unsafe) private static var timeout: Double?
    nonisolated(unsafe) private static var deadline: Double?
    /// The stop reasons for a spent time and memory budget, set before any thread reads them.
    nonisolated(unsafe) private static var reasons: [StopReason?] = [nil, nil, nil]

    /// Installs the signal handlers and, when there is a limit, the watchdog. Returns why the system refused the
    /// watchdog's thread, when it did and a limit the user gave needs it (such limits could not be kept: the
    /// command must not run without them). Without the watchdog the default memory limit still stops the search
    /// and the grounding, which check it themselves.
    static func start(timeout: Double?, maxMemoryBytes: Int?, memoryLimitIsDefault: Bool = false) -> String? {
        vmc_install_interrupt_handlers()
        startTime = ResourceUsage.now()
        Self.timeout = timeout
        deadline = timeout.map { startTime + $0 }
        reasons = [nil, .timeLimit(seconds: timeout ?? 0), .memoryLimit(bytes: maxMemoryBytes ?? 0, byDefault: memoryLimitIsDefault)]
        guard timeout != nil || maxMemoryBytes != nil else { return nil }
        let refused = ThreadLauncher.start(stackSize: 1 << 16) { watch(timeout: timeout, maxMemoryBytes: maxMemoryBytes) }
        return timeout == nil && memoryLimitIsDefault ? nil : refused
    }

    /// The command's own time limit (`--timeout`), as the stop reasons name it.
    static var commandTimeout: Double? { timeout }

    /// Seconds left of the time limit (at least a millisecond, so a search still reports what it covered).
    static func remainingSeconds() -> Double? {
        guard let timeout else { return nil }
        return max(0.001, timeout - (ResourceUsage.now() - startTime))
    }

    /// Why the run must stop now, if it must: a signal, or a limit the watchdog saw exceeded.
    static let interruption: @Sendable () -> StopReason? = {
        switch vmc_interrupt_signal() {
        case 0:
            let budget = Int(vmc_budget_exhausted())
            if budget != 0 { return reasons[budget] }
            if let deadline, ResourceUsage.now() > deadline { return reasons[1] }
            return nil
        case SIGINT: return .signal(name: "SIGINT")
        default: return .signal(name: "SIGTERM")
        }
    }

    /// The exit code a signal asks for (128 + its number), or nil when none arrived.
    static var signalExitCode: Int32? {
        let signal = vmc_interrupt_signal()
        return signal == 0 ? nil : 128 + signal
    }

    /// Seconds of CPU time this process (all its threads) has used.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private static func watch(timeout: Double?, maxMemoryBytes: Int?) {
        // When the limit was first seen exceeded: wall-clock and CPU seconds.
        var exceededSince: (wall: Double, cpu: Double)?
        while true {
            // Every 10 ms: reading /proc/self/statm costs microseconds, and a fast allocation (grounding a million
            // actions) must not run far past the limit between two looks.
            usleep(10_000)
            let now = ResourceUsage.now()
            var which: Int32 = 0
            var resident = 0
            if let timeout, now - startTime > timeout { which = 1 }
            if which == 0, let maxMemoryBytes {
                resident = ResourceUsage.residentBytes()
                if resident > maxMemoryBytes { which = 2 }
            }
            guard which != 0 else { continue }
            vmc_set_budget_exhausted(which)
            let reason = reasons[Int(which)].map(\.description) ?? "budget"
            if exceededSince == nil { exceededSince = (now, processCPUSeconds()) }
            // The search stops at its next poll; a phase that does not poll gets one more second of CPU time
            // (time), or is ended at once when memory passes the limit by 5% (so the peak stays within a tenth of
            // it). CPU time, not wall time: on a loaded machine a run starved of the processor for a second after
            // its limit is not stuck, and ending it would throw away verdicts it is about to print (seen under
            // the parallel test suite on 2 cores). 30 s of wall time still end a phase that waits without
            // computing.
            let overMemory = which == 2 && Double(resident) > Double(maxMemoryBytes ?? 0) * 1.05
            if let since = exceededSince,
               processCPUSeconds() - since.cpu > 1 || now - since.wall > 30 || overMemory {
                printError("error: \(reason) in a phase that cannot stop early; ending without verdicts (output incomplete)")
                // A native compile polls the limits itself; a group still running (another combination's) must
                // not outlive the process.
                vmc_kill_tracked_child_groups()
                exit(3)
            }
        }
    }
}

extension NativeMode: ExpressibleByArgument {}
extension ParallelRounds: ExpressibleByArgument {}
