/// The kinds of token of the `.vmc` language.
public enum TokenKind: Sendable, Hashable {
    case identifier(String)
    case integer(Int64)
    case string(String)
    case keyword(Keyword)
    case symbol(Symbol)
    case endOfFile
}

/// Reserved words.
public enum Keyword: String, Sendable, CaseIterable {
    case model, const, type, `var`, table, def, action, fair, when, `if`, then, `else`, choose, `let`, assert
    case invariant, reachable, eventually, leadsto, terminal, expect, holds, violated, unreachable
    case forall, exists, count, `in`, bool, `enum`, scalarset, any, `true`, `false`, `where`
    case variant, combination, emits, entry
}

/// Punctuation and operators.
public enum Symbol: String, Sendable, CaseIterable {
    case leftParen = "(", rightParen = ")", leftBrace = "{", rightBrace = "}", leftBracket = "[", rightBracket = "]"
    case comma = ",", colon = ":", semicolon = ";", dot = ".", dotDot = "..", assign = ":="
    case equal = "=", equalEqual = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
    case greaterEqual = ">=", plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    case bang = "!", andAnd = "&&", orOr = "||", arrow = "->", equivalence = "<->", leadsTo = "~>"
}

/// A token with its source range.
public struct Token: Sendable {
    /// What the token is.
    public let kind: TokenKind
    /// Where it is.
    public let range: SourceRange

    /// A short description for error messages.
    public var spelling: String {
        switch kind {
        case .identifier(let name): return "'\(name)'"
        case .integer(let value): return "'\(value)'"
        case .string: return "a string"
        case .keyword(let keyword): return "'\(keyword.rawValue)'"
        case .symbol(let symbol): return "'\(symbol.rawValue)'"
        case .endOfFile: return "end of file"
        }
    }
}
