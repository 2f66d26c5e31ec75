/// A model's source text, held as UTF-8 bytes, with the line table needed to turn offsets into positions.
public struct SourceFile: Sendable {
    /// The path or name used in diagnostics.
    public let name: String
    /// The raw bytes of the file.
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    public let lineStarts: [Int]

    /// Creates a source file from raw bytes.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    /// Creates a source file from a string.
    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// The 1-based line and column (in Unicode scalars) of a byte offset.
    public func position(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        let start = lineStarts[low]
        var column = 1
        var index = start
        while index < clamped {
            // Count only the lead bytes of UTF-8 sequences.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        // A position inside a multi-byte sequence counts as that character.
        return (low + 1, column)
    }

    /// The text of the 1-based line `line`, without its newline, decoded leniently.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }
}

/// A byte range in a source file.
public struct SourceRange: Sendable, Hashable {
    /// First byte.
    public var start: Int
    /// One past the last byte.
    public var end: Int
    /// Creates a range.
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }
    /// A range that covers both.
    public func merged(with other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}
