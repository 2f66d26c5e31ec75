/// A C tokenizer just large enough to read the kernel's migration tables: identifiers, numbers, punctuation,
/// with 1-based line and column. Comments, string and character literals and preprocessor lines are skipped,
/// so a table may carry comments, line breaks and `#if` lines anywhere. It works on bytes, so any input
/// (invalid UTF-8, binary) tokenizes in one linear pass; the only error is an unterminated comment.
struct CToken: Sendable, Hashable {
    /// What the token is.
    enum Kind: Sendable, Hashable {
        case identifier, number, punct
    }

    let kind: Kind
    let text: String
    let line: Int
    let column: Int
}

/// A problem in a kernel source file, located at a line and column.
public struct KernelSourceError: Error, Sendable, CustomStringConvertible {
    /// The file the problem is in.
    public let file: String
    /// 1-based line, or nil when the problem concerns the whole file.
    public let line: Int?
    /// 1-based column.
    public let column: Int?
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(file: String, line: Int?, column: Int?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COL: error: MESSAGE`, or `FILE: error: MESSAGE` without a location (rendered where every
    /// reviewer's problem is, `ReviewProblem.rendered`).
    public var description: String { ReviewProblem.kernelSource(self).rendered }
}

enum CTokenizer {
    /// Tokenizes `bytes`; `file` names the file in errors.
    static func tokenize(_ bytes: [UInt8], file: String) throws -> [CToken] {
        var tokens: [CToken] = []
        var index = 0
        var line = 1
        var column = 1
        // True while only blanks have been seen on the current line (a `#` there starts a directive).
        var lineStart = true

        func advance() {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
                lineStart = true
            } else {
                column += 1
            }
            index += 1
        }
        func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\n") || byte == 0x0B || byte == 0x0C {
                advance()
                continue
            }
            if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/") {
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { advance() }
                continue
            }
            if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let (startLine, startColumn) = (line, column)
                advance()
                advance()
                var closed = false
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                        advance()
                        advance()
                        closed = true
                        break
                    }
                    advance()
                }
                if !closed {
                    throw KernelSourceError(file: file, line: startLine, column: startColumn,
                                            message: "unterminated comment")
                }
                continue
            }
            if byte == UInt8(ascii: "#") && lineStart {
                // A directive runs to the end of the line, continued by a backslash before the newline.
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") {
                    if bytes[index] == UInt8(ascii: "\\") && peek(1) == UInt8(ascii: "\n") { advance() }
                    advance()
                }
                continue
            }
            lineStart = false
            let (startLine, startColumn) = (line, column)
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                // A literal ends at its closing quote or at the end of the line (an unclosed one is not ours).
                advance()
                while index < bytes.count && bytes[index] != byte && bytes[index] != UInt8(ascii: "\n") {
                    if bytes[index] == UInt8(ascii: "\\") && index + 1 < bytes.count { advance() }
                    advance()
                }
                if index < bytes.count && bytes[index] == byte { advance() }
                tokens.append(CToken(kind: .punct, text: byte == UInt8(ascii: "\"") ? "\"…\"" : "'…'",
                                     line: startLine, column: startColumn))
                continue
            }
            if isIdentifierStart(byte) || isDigit(byte) {
                let start = index
                while index < bytes.count && (isIdentifierStart(bytes[index]) || isDigit(bytes[index])) { advance() }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                tokens.append(CToken(kind: isDigit(byte) ? .number : .identifier, text: text,
                                     line: startLine, column: startColumn))
                continue
            }
            if byte == UInt8(ascii: "-") && peek(1) == UInt8(ascii: ">") {
                advance()
                advance()
                tokens.append(CToken(kind: .punct, text: "->", line: startLine, column: startColumn))
                continue
            }
            advance()
            let text = byte < 0x80 ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
            tokens.append(CToken(kind: .punct, text: text, line: startLine, column: startColumn))
        }
        return tokens
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
