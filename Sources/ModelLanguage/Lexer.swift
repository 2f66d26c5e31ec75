/// Turns source bytes into tokens, recording lexical errors and carrying on after each.
struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    private(set) var diagnostics: DiagnosticBag
    /// The `///` lines met, in source order (the parser attaches them to declarations; `//` comments are dropped).
    private(set) var docLines: [DocLine] = []

    init(source: SourceFile) {
        bytes = source.bytes
        diagnostics = DiagnosticBag(source: source)
    }

    /// Tokenises the whole input; the last token is always `.endOfFile`.
    mutating func tokenize() -> [Token] {
        if let bad = Self.firstInvalidUTF8(bytes) {
            diagnostics.error("invalid UTF-8 byte 0x\(String(bytes[bad], radix: 16, uppercase: true))", at: bad)
            return [Token(kind: .endOfFile, range: SourceRange(bytes.count, bytes.count))]
        }
        var tokens: [Token] = []
        while true {
            skipTrivia()
            guard index < bytes.count else { break }
            if let token = nextToken() { tokens.append(token) }
        }
        tokens.append(Token(kind: .endOfFile, range: SourceRange(bytes.count, bytes.count)))
        return tokens
    }

    /// The offset of the first byte that is not part of valid UTF-8, if any.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var minimum: UInt32
            if b & 0xE0 == 0xC0 { length = 2; minimum = 0x80 } else if b & 0xF0 == 0xE0 { length = 3; minimum = 0x800 } else if b & 0xF8 == 0xF0 {
                length = 4; minimum = 0x10000
            } else { return i }
            guard i + length <= bytes.count else { return i }
            var scalar = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            minimum = 0
            i += length
        }
        return nil
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let i = index + offset
        return i < bytes.count ? bytes[i] : nil
    }

    private mutating func skipTrivia() {
        while let byte = peek() {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                index += 1
            } else if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                // `///` (not `////`) starts a doc comment line: kept, without the slashes and one space.
                let isDoc = peek(2) == UInt8(ascii: "/") && peek(3) != UInt8(ascii: "/")
                let start = index
                while let c = peek(), c != 0x0A { index += 1 }
                if isDoc {
                    var textStart = start + 3
                    if textStart < index, bytes[textStart] == 0x20 { textStart += 1 }
                    var end = index
                    if end > textStart, bytes[end - 1] == 0x0D { end -= 1 }
                    docLines.append(DocLine(text: String(decoding: bytes[textStart..<max(textStart, end)], as: UTF8.self), offset: textStart))
                }
            } else if byte == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                let start = index
                index += 2
                var closed = false
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                        index += 2
                        closed = true
                        break
                    }
                    index += 1
                }
                if !closed { diagnostics.error("unterminated block comment", at: start) }
            } else {
                return
            }
        }
    }

    private static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private mutating func nextToken() -> Token? {
        let start = index
        let byte = bytes[index]
        if Self.isIdentifierStart(byte) {
            while let c = peek(), Self.isIdentifierStart(c) || Self.isDigit(c) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            let kind: TokenKind = Keyword(rawValue: text).map { .keyword($0) } ?? .identifier(text)
            return Token(kind: kind, range: SourceRange(start, index))
        }
        if Self.isDigit(byte) { return lexInteger(start: start) }
        if byte == UInt8(ascii: "\"") { return lexString(start: start) }
        if let symbol = lexSymbol() { return Token(kind: .symbol(symbol), range: SourceRange(start, index)) }
        // Unknown character: report it (whole UTF-8 sequence) and skip it.
        var length = 1
        if byte >= 0xF0 { length = 4 } else if byte >= 0xE0 { length = 3 } else if byte >= 0xC0 { length = 2 }
        length = min(length, bytes.count - start)
        let text = String(decoding: bytes[start..<(start + length)], as: UTF8.self)
        let shown = Self.visible(text)
        diagnostics.error("unexpected character '\(shown)'", at: start)
        index += length
        return nil
    }

    /// A character as shown in a message: itself when visible, else `U+XXXX` (controls, spaces, format marks).
    static func visible(_ text: String) -> String {
        guard let scalar = text.unicodeScalars.first else { return text }
        let invisible: Bool
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
            invisible = true
        default:
            invisible = scalar.properties.isWhitespace
        }
        guard invisible else { return text }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private mutating func lexInteger(start: Int) -> Token {
        var value: Int64 = 0
        var overflow = false
        while let c = peek(), Self.isDigit(c) {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(c - 0x30))
            if o1 || o2 || plus > Int64(Int32.max) { overflow = true } else { value = plus }
            index += 1
        }
        if let c = peek(), Self.isIdentifierStart(c) {
            while let c = peek(), Self.isIdentifierStart(c) || Self.isDigit(c) { index += 1 }
            diagnostics.error("invalid number '\(String(decoding: bytes[start..<index], as: UTF8.self))'", at: start)
            return Token(kind: .integer(0), range: SourceRange(start, index))
        }
        if overflow { diagnostics.error("integer literal too large (the limit is 2147483647)", at: start) }
        return Token(kind: .integer(overflow ? 0 : value), range: SourceRange(start, index))
    }

    private mutating func lexString(start: Int) -> Token {
        index += 1
        var content: [UInt8] = []
        while let c = peek() {
            if c == 0x0A { break }
            index += 1
            if c == UInt8(ascii: "\"") { return Token(kind: .string(String(decoding: content, as: UTF8.self)), range: SourceRange(start, index)) }
            if c == UInt8(ascii: "\\"), let next = peek(), next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") {
                content.append(next)
                index += 1
            } else {
                content.append(c)
            }
        }
        diagnostics.error("unterminated string", at: start)
        return Token(kind: .string(String(decoding: content, as: UTF8.self)), range: SourceRange(start, index))
    }

    private mutating func lexSymbol() -> Symbol? {
        let next = peek(1)
        func two(_ symbol: Symbol) -> Symbol {
            index += 2
            return symbol
        }
        func one(_ symbol: Symbol) -> Symbol {
            index += 1
            return symbol
        }
        switch bytes[index] {
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: "-"), peek(2) == UInt8(ascii: ">") {
                index += 3
                return .equivalence
            }
            return next == UInt8(ascii: "=") ? two(.lessEqual) : one(.less)
        case UInt8(ascii: "."): return next == UInt8(ascii: ".") ? two(.dotDot) : one(.dot)
        case UInt8(ascii: ":"): return next == UInt8(ascii: "=") ? two(.assign) : one(.colon)
        case UInt8(ascii: "="): return next == UInt8(ascii: "=") ? two(.equalEqual) : one(.equal)
        case UInt8(ascii: "!"): return next == UInt8(ascii: "=") ? two(.notEqual) : one(.bang)
        case UInt8(ascii: ">"): return next == UInt8(ascii: "=") ? two(.greaterEqual) : one(.greater)
        case UInt8(ascii: "&"): return next == UInt8(ascii: "&") ? two(.andAnd) : nil
        case UInt8(ascii: "|"): return next == UInt8(ascii: "|") ? two(.orOr) : nil
        case UInt8(ascii: "-"): return next == UInt8(ascii: ">") ? two(.arrow) : one(.minus)
        case UInt8(ascii: "~"): return next == UInt8(ascii: ">") ? two(.leadsTo) : nil
        case UInt8(ascii: "("): return one(.leftParen)
        case UInt8(ascii: ")"): return one(.rightParen)
        case UInt8(ascii: "{"): return one(.leftBrace)
        case UInt8(ascii: "}"): return one(.rightBrace)
        case UInt8(ascii: "["): return one(.leftBracket)
        case UInt8(ascii: "]"): return one(.rightBracket)
        case UInt8(ascii: ","): return one(.comma)
        case UInt8(ascii: ";"): return one(.semicolon)
        case UInt8(ascii: "+"): return one(.plus)
        case UInt8(ascii: "*"): return one(.star)
        case UInt8(ascii: "/"): return one(.slash)
        case UInt8(ascii: "%"): return one(.percent)
        default: return nil
        }
    }
}
