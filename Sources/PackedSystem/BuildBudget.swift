import Foundation

/// Limits that apply while a system is built. Grounding a model with a million action instances holds gigabytes
/// before any search starts, so the builder polls the process's memory (and the command's interruption) every
/// few thousand instances instead of leaving the limit to a watchdog thread that a loaded machine may not
/// schedule in time.
public struct BuildBudget: Sendable {
    /// Stop once the process's resident memory exceeds this many bytes.
    public var maxResidentBytes: Int?
    /// Asked while grounding whether to stop now; a non-nil answer is the stop reason.
    public var interruption: (@Sendable () -> StopReason?)?
    /// Whether `maxResidentBytes` is the default limit (`EngineBudget.memoryLimitIsDefault`).
    public var memoryLimitIsDefault: Bool

    /// No limits.
    public init(maxResidentBytes: Int? = nil, interruption: (@Sendable () -> StopReason?)? = nil, memoryLimitIsDefault: Bool = false) {
        self.maxResidentBytes = maxResidentBytes
        self.interruption = interruption
        self.memoryLimitIsDefault = memoryLimitIsDefault
    }

    /// Why building must stop now, if it must.
    func stopReason() -> StopReason? {
        if let reason = interruption?() { return reason }
        if let limit = maxResidentBytes, ProcessMemory.residentBytes() > limit {
            return .memoryLimit(bytes: limit, byDefault: memoryLimitIsDefault)
        }
        return nil
    }
}

/// The build stopped because a budget ran out; not a problem of the model.
struct BuildStopped: Error {
    let reason: StopReason
}

/// The process's memory, as the kernel counts it.
public enum ProcessMemory {
    /// Resident bytes of this process now (from /proc/self/statm; 0 when unknown).
    public static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Peak resident bytes of this process so far: the kernel's high-water mark `VmHWM` from /proc/self/status
    /// (getrusage's `ru_maxrss` where /proc is missing; 0 when neither answers). The one measure of peak memory:
    /// both engines' statistics and the JSON `peakMemoryBytes` read it. Not `ru_maxrss` first: a process spawned
    /// with CLONE_VM (posix_spawn's vfork) inherits its parent's high-water mark there, so a child of a large
    /// process would report the parent's peak as its own.
    public static func peakResidentBytes() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                if let kilobytes = line.split(separator: " ").compactMap({ Int($0) }).first { return kilobytes * 1024 }
            }
        }
        var usage = rusage()
        #if canImport(Darwin)
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss)
        #else
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024
        #endif
    }
}
