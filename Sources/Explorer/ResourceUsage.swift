import Foundation
import PackedSystem

/// Process memory and time measurements.
public enum ResourceUsage {
    /// Peak resident set size of this process in bytes (VmHWM on Linux; 0 when unknown).
    public static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").compactMap { Int($0) }
            if let kilobytes = digits.first { return kilobytes * 1024 }
        }
        return 0
    }

    /// Resident bytes of this process now (0 when unknown).
    public static func residentBytes() -> Int { ProcessMemory.residentBytes() }

    /// The resident bytes of everything but a structure of `bytes` bytes (the state store): the compiled model,
    /// the ground actions, batches and the runtime. A memory limit counts them too, so `--max-memory` bounds the
    /// process, not only the store (read when the store is about to grow, which is rare).
    public static func bytesBesides(_ bytes: Int) -> Int {
        max(0, residentBytes() - bytes)
    }

    /// Seconds since an arbitrary fixed point, monotonic.
    public static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
