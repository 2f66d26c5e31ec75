import Foundation

/// The memory limit a command keeps when `--max-memory` is not given: 90% of the memory the process may use, that
/// is of the machine's physical memory or, when lower, of the limit of the memory cgroup it runs in (cgroup v2
/// `memory.max`, v1 `memory.limit_in_bytes`, the smallest on the way up to the hierarchy's root).
///
/// Why a default at all: a search that outgrows the machine is otherwise ended by the kernel's OOM killer (SIGKILL:
/// no verdicts, no partial statistics, no report) or first swaps the machine to a halt. Under a limit it stops
/// as under `--max-memory`, with what it decided and exit 3. SPIN's `-DMEMLIM` plays the same part. 90%, not all of
/// it: the kernel, the shell and the C compiler of `--native` (not counted in the process's resident size) need
/// some, and the watchdog ends a phase that cannot stop early only once memory is 5% past the limit.
public enum DefaultMemoryLimit {
    /// The share of the usable memory the default allows, in per cent.
    public static let percent = 90

    /// The default limit of this process, read once (every budget of a command then names the same limit).
    public static let current = bytes()

    /// The default limit on this machine, in bytes; nil when neither the physical memory nor a cgroup limit can
    /// be read.
    public static func bytes() -> Int? {
        let cgroup = cgroupLimit(membership: read("/proc/self/cgroup") ?? "", read: read)
        return limit(physical: physicalBytes(), cgroup: cgroup)
    }

    /// `percent` of the smaller of the two that are known.
    static func limit(physical: Int?, cgroup: Int?) -> Int? {
        guard let usable = [physical, cgroup].compactMap({ $0 }).min(), usable > 0 else { return nil }
        return Int(Double(usable) * Double(percent) / 100)
    }

    /// The machine's physical memory.
    static func physicalBytes() -> Int? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return nil }
        return pages.multipliedReportingOverflow(by: size).overflow ? nil : pages * size
    }

    /// The smallest memory limit of the process's cgroup and its ancestors, from `/proc/self/cgroup`'s text
    /// (`membership`) and the files `read` returns (nil for a file that cannot be read). Lines are
    /// `ID:CONTROLLERS:PATH`: cgroup v2 is the line `0::PATH`, with `memory.max` under /sys/fs/cgroup; v1 the line
    /// whose controllers include `memory`, with `memory.limit_in_bytes` under /sys/fs/cgroup/memory. "max" and
    /// v1's "no limit" (a number near 2^63) are no limit. A container whose cgroup namespace hides its path sees
    /// `/`, where the root's files are its own limit.
    static func cgroupLimit(membership: String, read: (String) -> String?) -> Int? {
        var limits: [Int] = []
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let root: String, file: String
            if fields[0] == "0" && fields[1].isEmpty {
                (root, file) = ("/sys/fs/cgroup", "memory.max")
            } else if fields[1].split(separator: ",").contains("memory") {
                (root, file) = ("/sys/fs/cgroup/memory", "memory.limit_in_bytes")
            } else {
                continue
            }
            var components = fields[2].split(separator: "/").map(String.init)
            while true {
                let directory = ([root] + components).joined(separator: "/")
                if let text = read(directory + "/" + file), let value = parse(text) { limits.append(value) }
                if components.isEmpty { break }
                components.removeLast()
            }
        }
        return limits.min()
    }

    /// A limit file's value in bytes; nil for "max", for no limit, and for anything unreadable.
    static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // cgroup v1 writes "no limit" as the largest page-aligned value below 2^63.
        guard let value = Int(trimmed), value > 0, value < 1 << 62 else { return nil }
        return value
    }

    private static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
