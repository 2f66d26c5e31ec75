import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import PackedSystem
import Testing

/// The compiler's process (`CompilerProcess`) gets standard input, output and error and nothing else this process
/// holds open: a descriptor opened without close-on-exec (as a test writing its fake compiler's script, or a report
/// being written, has one) does not reach it. When it did, a fake compiler that lived on held another test's new
/// script open for writing, and starting that script failed with ETXTBSY.
@Suite struct CompilerProcessTests {
    @Test func theCompilerInheritsNoOtherDescriptor() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vfio-mc-compiler-fds-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let held = open(directory.appendingPathComponent("held").path, O_WRONLY | O_CREAT, 0o600)
        try #require(held >= 3)
        defer { close(held) }
        let listing = directory.appendingPathComponent("fds")
        // The shell lists its own descriptors (`$$`: the compiler's process itself, not `ls`).
        let outcome = try CompilerProcess.run("/bin/sh", arguments: ["-c", "ls /proc/$$/fd > '\(listing.path)'"],
                                              errors: directory.appendingPathComponent("errors"),
                                              temporaryDirectory: directory, stop: nil)
        guard case .exited(0) = outcome else {
            Issue.record("the shell ended with \(outcome)")
            return
        }
        let descriptors = try String(contentsOf: listing, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(descriptors.contains(1), "the listing \(descriptors) is not the shell's")
        #expect(!descriptors.contains(held), "the compiler inherited descriptor \(held): \(descriptors)")
    }
}
