import Foundation
import Testing

/// A thread the system refuses to Z3 is an engine error, not the end of the process. Z3 4.8.12 starts a
/// `std::thread` for a query's timer; when the system refused it, the `std::system_error` went through Z3's C API
/// and the process ended with SIGABRT (`terminate called after throwing an instance of 'std::system_error'`, exit
/// 134, no verdicts). It happened under an address-space limit (`check --engine smt Models/set-irqs.vmc` under
/// `ulimit -v 1200000`), and under a stack limit too large for a thread's default stack, which is how this test
/// provokes it on any machine: no address space holds 64 PiB, whatever the overcommit policy. vfio-mc's own threads
/// give their stack sizes (`ThreadLauncher`), so the explicit engine runs as usual.
@Suite struct RefusedThreadsCLITests {
    /// 2^46 KiB: `ulimit -s`'s unit is the kibibyte.
    static let hugeStackKilobytes = "68719476736"

    /// Whether this process may raise the stack limit that far (the hard limit allows it).
    static var stackLimitCanBeRaised: Bool {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_STACK.rawValue), &limit) == 0 else { return false }
        return limit.rlim_max >= (rlim_t(1) << 56) // RLIM_INFINITY is the largest value
    }

    static func runWithHugeStackLimit(_ arguments: [String]) throws -> CLITests.Run {
        try CLITests.run(["-c", "ulimit -s \(hugeStackKilobytes) && exec \"$0\" \"$@\"", CLITests.binary.path] + arguments,
                         executable: URL(fileURLWithPath: "/bin/sh"))
    }

    @Test(.enabled(if: stackLimitCanBeRaised))
    func aThreadZ3CannotStartIsAnEngineError() throws {
        let model = try CLITests.write(CLITests.passing, name: "refused-threads/passing.vmc")
        let smt = try Self.runWithHugeStackLimit(["check", "--engine", "smt", "--timeout", "60", model])
        #expect(smt.status == 3, "\(smt.status)\n\(smt.stdout)\n\(smt.stderr)")
        #expect(smt.stdout.contains("Z3 failed while checking a query"), "\(smt.stdout)")
        #expect(smt.stdout.contains("ulimit -s"), "the message names the likely cause")
        #expect(!smt.stderr.contains("terminate called"), "\(smt.stderr)")

        // With both engines the explorer's verdicts stand and the SMT engine's are left open, with the reason.
        let both = try Self.runWithHugeStackLimit(["check", "--engine", "both", "--timeout", "60", model])
        #expect(both.status == 0, "\(both.status)\n\(both.stdout)\n\(both.stderr)")
        #expect(both.stdout.contains("left open by the SMT engine"), "\(both.stdout)")
        #expect(!both.stderr.contains("terminate called"), "\(both.stderr)")
    }
}
