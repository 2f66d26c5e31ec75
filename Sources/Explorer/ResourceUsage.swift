import Foundation

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

    /// Seconds since an arbitrary fixed point, monotonic.
    public static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
