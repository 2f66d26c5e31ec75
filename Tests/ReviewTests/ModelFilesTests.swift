import Foundation
import ModelLanguage
import Testing
@testable import Review

/// Finding model files: a directory that cannot be listed anywhere below a given path is an error, not a skip.
@Suite struct ModelFilesTests {
    static func tree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vfio-mc-files-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        for path in ["a.vmc", "sub/b.vmc", "sub/deeper/c.vmc", "sub/notes.txt", "locked/d.vmc"] {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("model m\n".utf8).write(to: file)
        }
        return root.path
    }

    @Test func directoriesAreSearchedRecursivelyInSortedOrder() throws {
        let root = try Self.tree()
        let files = try ModelFiles.find([root])
        #expect(files == ["a.vmc", "locked/d.vmc", "sub/b.vmc", "sub/deeper/c.vmc"].map { root + "/" + $0 })
    }

    @Test func anUnreadableSubdirectoryIsAnErrorNamingIt() throws {
        let root = try Self.tree()
        // Root reads every directory whatever its mode, so the failing listing is injected.
        let lister: ModelFiles.Lister = { path in
            if path.hasSuffix("/locked") { throw FileProblem(message: "\(path): cannot read the directory: Permission denied") }
            return try ModelFiles.listDirectory(path)
        }
        #expect(throws: FileProblem.self) { try ModelFiles.find([root], list: lister) }
        do {
            _ = try ModelFiles.find([root], list: lister)
        } catch {
            #expect("\(error)" == "\(root)/locked: cannot read the directory: Permission denied")
        }
    }

    @Test func theSystemListingReportsMissingDirectoriesInWords() {
        do {
            _ = try ModelFiles.listDirectory("/nonexistent-vfio-mc")
            Issue.record("listing a missing directory succeeded")
        } catch {
            #expect("\(error)" == "/nonexistent-vfio-mc: cannot read the directory: No such file or directory")
        }
    }

    @Test func missingPathsAndDirectoriesWithoutModelsAreErrors() throws {
        let root = try Self.tree()
        #expect(throws: FileProblem.self) { try ModelFiles.find([root + "/missing.vmc"]) }
        let empty = root + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(throws: FileProblem.self) { try ModelFiles.find([empty]) }
        #expect(try ModelFiles.find(["-"]) == ["-"])
    }
}
