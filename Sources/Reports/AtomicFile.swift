import Foundation

/// Writes files so that a reader never sees a half-written one: write a temporary file beside it, then rename.
///
/// Every write is checked, including short writes and the final close (where NFS and full disks report late),
/// and a failure removes the temporary file and leaves the old file in place. The system calls are used
/// directly so the error names the file and says what failed in words ("No space left on device"), where
/// Foundation says "NSCocoaErrorDomain error 512".
public enum AtomicFile {
    /// A file written beside its destination, not yet renamed over it.
    public struct Staged: Sendable {
        /// The temporary file.
        public let temporary: String
        /// The destination.
        public let destination: String
    }

    /// Writes `contents` to `path`, creating parent directories.
    public static func write(_ contents: String, to path: String) throws {
        try commit([stage(contents, for: path)])
    }

    /// Writes `contents` to a temporary file beside `path` (creating parent directories); nothing visible changes
    /// until `commit`. On failure nothing is left behind.
    public static func stage(_ contents: String, for path: String) throws -> Staged {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: directory, action: "cannot create the directory", reason: describe(error))
        }
        let (descriptor, temporary) = try createTemporary(beside: path)
        var failure: FileWriteError?
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count, failure == nil {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { failure = FileWriteError(path: path, action: "cannot write", code: count < 0 ? errno : EIO) }
            else { written += count }
        }
        if close(descriptor) != 0, failure == nil { failure = FileWriteError(path: path, action: "cannot write", code: errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        return Staged(temporary: temporary, destination: path)
    }

    /// Creates an empty file (mode 0644) in `path`'s directory, named after it, for writing before a rename.
    public static func createTemporary(beside path: String) throws -> (descriptor: Int32, path: String) {
        let url = URL(fileURLWithPath: path)
        var template = Array((url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else { throw FileWriteError(path: path, action: "cannot create a file beside it", code: errno) }
        fchmod(descriptor, 0o644)
        return (descriptor, String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// Renames each staged file over its destination. If a rename fails, the files not yet renamed are removed.
    public static func commit(_ staged: [Staged]) throws {
        for (index, file) in staged.enumerated() where rename(file.temporary, file.destination) != 0 {
            let code = errno
            discard(staged[index...])
            throw FileWriteError(path: file.destination, action: "cannot replace", code: code)
        }
    }

    /// Removes staged files that will not be committed.
    public static func discard<S: Sequence>(_ staged: S) where S.Element == Staged {
        for file in staged { unlink(file.temporary) }
    }

    private static func describe(_ error: any Error) -> String {
        if let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return error.localizedDescription
    }
}

/// A file that could not be written: which file, what was being done, and why.
public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    /// The file or directory.
    public let path: String
    /// What failed ("cannot write").
    public let action: String
    /// Why, in words.
    public let reason: String

    /// Creates the error from a reason in words.
    public init(path: String, action: String, reason: String) {
        self.path = path
        self.action = action
        self.reason = reason
    }

    /// Creates the error from an errno value.
    public init(path: String, action: String, code: Int32) {
        self.init(path: path, action: action, reason: String(cString: strerror(code)))
    }

    /// `PATH: cannot write: No space left on device`.
    public var description: String { "\(path): \(action): \(reason)" }
}
