import Foundation

/// A fake C compiler for the tests of the native compile's limits: a shell script that records its own process id,
/// the library path it was asked to write (`-o`) and the id of a child it starts (a `sleep` standing for the
/// `cc1`, `as` and `ld` a real driver starts), then waits for that child for a minute. A compile with it ends only
/// when something kills it, and whatever it leaves behind (a process, the library's temporary directory) can be
/// looked for afterwards.
public struct SlowCompiler: Sendable {
    /// The script to pass as the compiler (`CC`).
    public let path: String
    /// Where the script writes what it recorded.
    public let record: URL
    /// The fresh directory holding both (a test may also point `TMPDIR` into it: `temporaryDirectory`).
    public let directory: URL

    /// Writes the script into a fresh directory named after `name` and the test process.
    public init(name: String) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vfio-mc-slowcc-\(getpid())-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        record = directory.appendingPathComponent("record.txt")
        let script = directory.appendingPathComponent("slow-cc")
        try """
            #!/bin/sh
            echo "pid $$" >> '\(record.path)'
            previous=""
            for argument in "$@"; do
              if [ "$previous" = "-o" ]; then echo "output $argument" >> '\(record.path)'; fi
              previous="$argument"
            done
            sleep 60 &
            echo "pid $!" >> '\(record.path)'
            echo "started" >> '\(record.path)'
            wait
            """.write(to: script, atomically: true, encoding: .utf8)
        guard chmod(script.path, 0o755) == 0 else { throw CocoaError(.fileWriteNoPermission) }
        path = script.path
    }

    /// A directory inside `directory` for the compiled program's `TMPDIR`, created empty.
    public func temporaryDirectory() throws -> URL {
        let url = directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func lines(_ prefix: String) -> [String] {
        let text = (try? String(contentsOf: record, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// Whether the script has started its child (and so recorded everything).
    public var started: Bool { !lines("started").isEmpty }

    /// The recorded process ids: the script's and its child's.
    public var processes: [Int32] { lines("pid ").compactMap { Int32($0) } }

    /// The library paths the script was asked to write.
    public var outputs: [String] { lines("output ") }

    /// Waits (at most `seconds`) until the script has started its child.
    public func waitUntilStarted(seconds: Double = 60) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while !started {
            if Date() > end { return false }
            usleep(10_000)
        }
        return true
    }

    /// The recorded processes still running after `seconds` of waiting for them to end. A zombie counts as ended:
    /// it runs nothing, and on a machine whose process 1 does not reap orphans (some containers) a killed
    /// grandchild stays one.
    public func survivors(within seconds: Double = 5) -> [Int32] {
        let end = Date().addingTimeInterval(seconds)
        while true {
            let running = processes.filter(Self.isRunning)
            if running.isEmpty || Date() > end { return running }
            usleep(20_000)
        }
    }

    /// Whether process `pid` exists and is not a zombie (Linux: the state field of /proc/PID/stat).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
            return kill(pid, 0) == 0
        }
        // "PID (COMMAND) STATE ...": the command may hold spaces and parentheses, the state follows the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Removes the directory (and the script).
    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
