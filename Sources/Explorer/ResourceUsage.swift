import Foundation
import PackedSystem

/// Process memory and time measurements.
public enum ResourceUsage {
    /// Peak resident bytes of this process (`ProcessMemory.peakResidentBytes`, the one measure every engine uses).
    public static func peakResidentBytes() -> Int { ProcessMemory.peakResidentBytes() }

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
