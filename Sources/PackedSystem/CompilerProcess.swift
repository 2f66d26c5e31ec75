import CProcessSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of the C compiler for `NativeLibrary`, bounded by the run's limits. Foundation's `Process` can neither
/// start a child in a process group of its own nor be waited for with a deadline, and `cc` is only the driver: it
/// starts `cc1`, `as` and `ld`, which killing `cc` alone would leave running. So the compiler is started with
/// `posix_spawnp` as the leader of a new process group, with `TMPDIR` pointing into the build's own temporary
/// directory (so that the intermediate files of a killed compiler are removed with it), polled every few
/// milliseconds, and on `stop`'s answer (the deadline, SIGINT, SIGTERM, the command's spent budget) the whole group
/// gets SIGKILL and the leader is reaped. The group is also remembered for the process's abrupt ends (a second
/// SIGINT, the watchdog's exit), which kill it (`vmc_track_child_group`).
struct CompilerProcess {
    /// How the compiler's run ended.
    enum Outcome {
        /// It exited with this status.
        case exited(Int32)
        /// A signal it did not send itself ended it (someone else killed it).
        case signalled(Int32)
        /// `stop` answered this reason: the group was killed.
        case stopped(StopReason)
    }

    /// Why the compiler could not be started (or waited for): errno's text.
    struct SpawnError: Error {
        let message: String
    }

    /// Runs `command` (a name looked up on PATH, or a path) with `arguments`, standard input and output on
    /// `/dev/null`, standard error into `errors`, no other descriptor of this process, and `TMPDIR` set to
    /// `temporaryDirectory`; polls `stop` while it runs. Returns when the compiler has ended or was killed and reaped.
    static func run(_ command: String, arguments: [String], errors: URL, temporaryDirectory: URL,
                    stop: (@Sendable () -> StopReason?)?) throws -> Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporaryDirectory.path
        let argv = ([command] + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errors.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else the process holds open (a report being written, another thread's new file) goes to the compiler.
        let closing = vmc_spawn_close_inherited(&actions)
        guard closing == 0 else { throw SpawnError(message: String(cString: strerror(closing))) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new group led by the compiler (group 0: the child's own pid); the signal mask emptied and SIGINT,
        // SIGTERM and SIGPIPE at their defaults, whatever the calling thread had.
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = (argv + [nil]).withUnsafeBufferPointer { arguments -> Int32 in
            (envp + [nil]).withUnsafeBufferPointer { environment -> Int32 in
                guard let arguments = arguments.baseAddress, let environment = environment.baseAddress else { return EINVAL }
                return posix_spawnp(&pid, command, &actions, &attributes, arguments, environment)
            }
        }
        guard spawned == 0 else { throw SpawnError(message: String(cString: strerror(spawned))) }
        let tracked = vmc_track_child_group(pid) != 0
        defer { if tracked { vmc_untrack_child_group(pid) } }
        // Most compiles take 20 to 400 ms: look often at first, then every 10 ms (the watchdog's own period).
        var pause: useconds_t = 1_000
        while true {
            var status: Int32 = 0
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { return outcome(of: status) }
            if waited < 0, errno != EINTR {
                // Not our child any more (only if something else reaped it): nothing left to wait for.
                kill(-pid, SIGKILL)
                throw SpawnError(message: "lost its process: " + String(cString: strerror(errno)))
            }
            if let reason = stop?() {
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                return .stopped(reason)
            }
            usleep(pause)
            pause = min(10_000, pause * 2)
        }
    }

    /// The outcome a `waitpid` status describes.
    private static func outcome(of status: Int32) -> Outcome {
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (macros).
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    /// Removes `directory` and everything in it. A compiler process killed a moment ago may still finish the
    /// system call that creates a file while the first removal runs (the directory then is not empty): a few more
    /// tries, 20 ms apart, remove that too.
    static func remove(_ directory: URL) {
        for attempt in 0..<5 {
            do {
                try FileManager.default.removeItem(at: directory)
                return
            } catch {
                if !FileManager.default.fileExists(atPath: directory.path) { return }
                if attempt < 4 { usleep(20_000) }
            }
        }
    }
}
