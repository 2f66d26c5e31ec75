import Foundation

/// Reading input files (models, logs, C sources) with messages that name the file and say what failed in words.
///
/// Foundation's readers report failures as "NSCocoaErrorDomain error 256" or, for a non-UTF-8 device such as
/// /dev/zero, as a permission problem; they also read a special file without bound. This reader uses the system
/// calls directly: the errno text names the cause, a size limit stops unbounded inputs, and a FIFO without a
/// writer reads as empty instead of blocking forever.
public enum FileReading {
    /// The largest input read (512 MiB): far above any model or log, far below this machine's memory.
    public static let sizeLimit = 512 << 20

    /// The name `-` stands for standard input.
    public static let standardInputName = "-"

    /// The bytes of the file at `path` (`-`: standard input).
    public static func bytes(atPath path: String) throws -> [UInt8] {
        if path == standardInputName { return try readAll(descriptor: STDIN_FILENO, name: "standard input") }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw problem(path, "cannot open", errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw problem(path, "cannot inspect", errno) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw FileProblem(path: path, reason: "is a directory, not a file") }
        // Blocking reads from here on: O_NONBLOCK only kept `open` from waiting for a FIFO's writer.
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return try readAll(descriptor: descriptor, name: path)
    }

    /// The text of the file at `path`, decoded as UTF-8; invalid UTF-8 is an error naming the first bad byte.
    public static func text(atPath path: String) throws -> String {
        let data = try bytes(atPath: path)
        guard let text = String(validating: data, as: UTF8.self) else {
            var offset = 0
            var iterator = data.makeIterator()
            var decoder = UTF8()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): offset += UTF8.width(scalar)
                case .emptyInput, .error: break loop
                }
            }
            throw FileProblem(path: displayName(path), reason: "not UTF-8 text (invalid byte at offset \(offset))")
        }
        return text
    }

    /// How a path is named in messages.
    public static func displayName(_ path: String) -> String {
        path == standardInputName ? "standard input" : path
    }

    private static func readAll(descriptor: Int32, name: String) throws -> [UInt8] {
        var result: [UInt8] = []
        let chunk = 1 << 16
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunk) }
            if count < 0 {
                if errno == EINTR { continue }
                throw problem(name, "cannot read", errno)
            }
            if count == 0 { return result }
            result.append(contentsOf: buffer[0..<count])
            if result.count > sizeLimit {
                throw FileProblem(path: name, reason: "larger than \(sizeLimit >> 20) MiB; not read (is it a device or a stream?)")
            }
        }
    }

    private static func problem(_ path: String, _ what: String, _ code: Int32) -> FileProblem {
        FileProblem(path: path, reason: "\(what): \(String(cString: strerror(code)))")
    }
}
