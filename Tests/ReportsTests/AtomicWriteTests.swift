import Foundation
import Testing
@testable import Reports

/// Output files are complete or untouched.
@Suite struct AtomicWriteTests {
    static func directory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vfio-mc-atomic-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test func aFailedWriteNamesTheFileAndLeavesNothingBehind() throws {
        let directory = try Self.directory()
        let blocker = directory + "/blocker"
        try AtomicFile.write("a file", to: blocker)
        do {
            try AtomicFile.write("text", to: blocker + "/inside.txt")
            Issue.record("writing below a regular file succeeded")
        } catch let error as FileWriteError {
            #expect(error.path.hasPrefix(blocker))
            #expect(!error.reason.isEmpty)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["blocker"])
        #expect(try String(contentsOfFile: blocker, encoding: .utf8) == "a file")
    }

    @Test func aWrittenFileIsReadableByOthers() throws {
        let path = try Self.directory() + "/out.txt"
        try AtomicFile.write("hello\n", to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "hello\n")
    }

    @Test func aReportDirectoryIsCompleteOrUntouched() throws {
        let directory = try Self.directory()
        let first = [ReportFile(path: "a.md", contents: "one"), ReportFile(path: "b.md", contents: "two")]
        try ReportGenerator.write(first, to: directory)
        // The second write fails on its last file (its parent is a regular file): the first file must keep its
        // old contents, and no temporary file may remain.
        try AtomicFile.write("not a directory", to: directory + "/z")
        let second = [ReportFile(path: "a.md", contents: "changed"), ReportFile(path: "z/c.md", contents: "three")]
        #expect(throws: FileWriteError.self) { try ReportGenerator.write(second, to: directory) }
        #expect(try String(contentsOfFile: directory + "/a.md", encoding: .utf8) == "one")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == [ReportGenerator.manifestName, "a.md", "b.md", "z"].sorted(), "\(names)")
        #expect(!names.contains { $0.hasPrefix(".a.md.") })
    }
}
