import Foundation

/// Writes files so that a reader never sees a half-written one: write a temporary file beside it, then rename.
public enum AtomicFile {
    /// Writes `contents` to `path`, creating parent directories.
    public static func write(_ contents: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url, options: .atomic)
    }
}
