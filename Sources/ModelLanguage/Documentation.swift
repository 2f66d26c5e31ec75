/// Doc comments (`///` lines): the prose of a model, a property, a named assertion or a variant, with the tags
/// that say which disputed point (disputes.md D1-D8) or discussion point (vfio-migration.md 1.2, P1-P4) it speaks
/// to. The lexer keeps them beside the tokens, the parser attaches each run of them to the declaration (or named
/// `assert`) that follows, and the type checker checks the quotes' references and keeps them in the
/// `CheckedModel`, so the FINDINGS generator reads prose from the model and verdicts from the checker.
/// Plain `//` comments are still ignored. docs/language.md, "Doc comments", is the reference.

/// One `///` line: its text after `///` (one leading space dropped) and the offset of that text.
public struct DocLine: Sendable, Hashable {
    /// The text of the line after `///` and one space.
    public let text: String
    /// The byte offset of `text` in the file.
    public let offset: Int
    /// Creates a line.
    public init(text: String, offset: Int) {
        self.text = text
        self.offset = offset
    }
}

/// The identifiers a tag may name: the disputes of disputes.md and the discussion points of vfio-migration.md 1.2.
public enum DocTopic {
    /// `dispute:` values.
    public static let disputes = (1...8).map { "D\($0)" }
    /// `point:` values.
    public static let points = (1...4).map { "P\($0)" }
}

/// A piece of a `quote:` sentence: text, or `{Property}` / `{Property: v=VALUE, w=VALUE}`, whose verdict the
/// generator writes in (over every combination, or over those matching the pins).
public enum QuotePart: Sendable, Hashable {
    case text(String)
    /// `offset` is where the property's name is written, `pinOffsets` (parallel to `pins`) where each pin is.
    case verdict(property: String, pins: [VariantPin], offset: Int, pinOffsets: [Int] = [])
}

/// A parsed doc comment.
public struct DocComment: Sendable, Hashable {
    /// The prose paragraphs (tag lines removed), each one line of text.
    public var paragraphs: [String] = []
    /// `dispute:` tags (D1 ... D8), in order, without repeats.
    public var disputes: [String] = []
    /// `point:` tags (P1 ... P4).
    public var points: [String] = []
    /// `quote:` sentences.
    public var quotes: [[QuotePart]] = []
    /// Where the comment starts.
    public var offset: Int = 0
    /// Creates an empty comment.
    public init() {}

    /// Whether the comment carries any tag.
    public var hasTags: Bool { !disputes.isEmpty || !points.isEmpty || !quotes.isEmpty }

    /// The first paragraph, or "" (what a table says about the model).
    public var summary: String { paragraphs.first ?? "" }

    /// Appends another comment (a named assertion documented in several actions).
    public mutating func merge(_ other: DocComment) {
        paragraphs += other.paragraphs
        for tag in other.disputes where !disputes.contains(tag) { disputes.append(tag) }
        for tag in other.points where !points.contains(tag) { points.append(tag) }
        quotes += other.quotes
    }

    /// Parses the lines of one comment; malformed tags are reported into `diagnostics`.
    ///
    /// A line `dispute: D2, D3`, `point: P1` or `quote: ...` is a tag; a quote runs on over the following lines up to
    /// a blank line or the next tag. Other lines are prose; a blank `///` line ends a paragraph.
    static func parse(_ lines: [DocLine], diagnostics: inout DiagnosticBag) -> DocComment {
        var comment = DocComment()
        comment.offset = lines.first?.offset ?? 0
        var paragraph: [String] = []
        var quote: [DocLine] = []
        func flushParagraph() {
            if !paragraph.isEmpty { comment.paragraphs.append(paragraph.joined(separator: " ")) }
            paragraph = []
        }
        func flushQuote(_ diagnostics: inout DiagnosticBag) {
            if !quote.isEmpty { comment.quotes.append(parseQuote(quote, diagnostics: &diagnostics)) }
            quote = []
        }
        for line in lines {
            let trimmed = line.text.trimmingSpaces
            let lead = line.text.utf8.count - line.text.drop { $0 == " " || $0 == "\t" }.utf8.count
            if trimmed.isEmpty {
                flushParagraph()
                flushQuote(&diagnostics)
                continue
            }
            if let (tag, value, valueOffset) = tagLine(trimmed, offset: line.offset + lead) {
                flushParagraph()
                flushQuote(&diagnostics)
                switch tag {
                case "dispute", "point":
                    let known = tag == "dispute" ? DocTopic.disputes : DocTopic.points
                    var position = valueOffset
                    for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                        let name = String(item).trimmingSpaces
                        let itemOffset = position + (item.utf8.count - item.drop { $0 == " " }.utf8.count)
                        position += item.utf8.count + 1
                        if !known.contains(name) {
                            let what = tag == "dispute" ? "dispute" : "discussion point"
                            let list = tag == "dispute" ? "D1 ... D8 (disputes.md)" : "P1 ... P4 (vfio-migration.md section 1.2)"
                            diagnostics.error("unknown \(what) '\(name)' in a doc comment; the \(tag == "dispute" ? "disputes" : "points") are \(list)",
                                              at: itemOffset)
                        } else if tag == "dispute" {
                            if !comment.disputes.contains(name) { comment.disputes.append(name) }
                        } else if !comment.points.contains(name) {
                            comment.points.append(name)
                        }
                    }
                default:
                    if value.isEmpty {
                        diagnostics.error("empty 'quote:' in a doc comment (write the sentence after it)", at: line.offset + lead)
                    } else {
                        quote = [DocLine(text: value, offset: valueOffset)]
                    }
                }
                continue
            }
            if let misspelt = misspeltTag(trimmed) {
                diagnostics.error("'\(misspelt):' is not a doc comment tag; the tags are 'dispute:', 'point:' and 'quote:'",
                                  at: line.offset + lead)
                continue
            }
            if !quote.isEmpty {
                quote.append(DocLine(text: trimmed, offset: line.offset + lead))
            } else {
                paragraph.append(trimmed)
            }
        }
        flushParagraph()
        flushQuote(&diagnostics)
        return comment
    }

    /// `dispute: ...`, `point: ...`, `quote: ...`: the tag, its value and the value's offset.
    private static func tagLine(_ text: String, offset: Int) -> (String, String, Int)? {
        for tag in ["dispute", "point", "quote"] where text.hasPrefix(tag + ":") {
            let rest = text.dropFirst(tag.count + 1)
            let value = String(rest).trimmingSpaces
            let skipped = rest.utf8.count - rest.drop { $0 == " " || $0 == "\t" }.utf8.count
            return (tag, value, offset + tag.utf8.count + 1 + skipped)
        }
        return nil
    }

    /// A line that starts like a tag but is not one (`disputes:`, `Dispute:`, `points:`, `quotes:`).
    private static func misspeltTag(_ text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let word = String(text[..<colon])
        guard !word.contains(" ") else { return nil }
        let lower = word.lowercased()
        guard ["dispute", "disputes", "point", "points", "quote", "quotes"].contains(lower) else { return nil }
        return word
    }

    /// Splits a quote into text and `{Property}` / `{Property: v=VALUE, ...}` references.
    private static func parseQuote(_ lines: [DocLine], diagnostics: inout DiagnosticBag) -> [QuotePart] {
        var parts: [QuotePart] = []
        var text = ""
        for (number, line) in lines.enumerated() {
            if number > 0 { text += " " }
            let bytes = Array(line.text.utf8)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "}") {
                    diagnostics.error("'}' without '{' in a quote (a verdict is written {Property} or {Property: v=VALUE})",
                                      at: line.offset + index)
                    index += 1
                    continue
                }
                guard byte == UInt8(ascii: "{") else {
                    var end = index
                    while end < bytes.count, bytes[end] != UInt8(ascii: "{"), bytes[end] != UInt8(ascii: "}") { end += 1 }
                    text += String(decoding: bytes[index..<end], as: UTF8.self)
                    index = end
                    continue
                }
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) else {
                    diagnostics.error("'{' without '}' in a quote (a reference does not run over lines)", at: line.offset + index)
                    break
                }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                let inside = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                if let reference = parseReference(inside, offset: line.offset + index + 1, diagnostics: &diagnostics) {
                    parts.append(reference)
                }
                index = close + 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        return parts
    }

    /// `Property` or `Property: v=VALUE, w=VALUE`.
    private static func parseReference(_ text: String, offset: Int, diagnostics: inout DiagnosticBag) -> QuotePart? {
        let pieces = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(pieces[0]).trimmingSpaces
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            diagnostics.error("expected a property name in '{...}' of a quote, found '\(text)'", at: offset)
            return nil
        }
        var pins: [VariantPin] = []
        var pinOffsets: [Int] = []
        if pieces.count == 2 {
            var position = offset + pieces[0].utf8.count + 1
            for item in pieces[1].split(separator: ",", omittingEmptySubsequences: false) {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let variant = pair.first.map { String($0).trimmingSpaces } ?? ""
                let value = pair.count == 2 ? String(pair[1]).trimmingSpaces : ""
                if pair.count != 2 || variant.isEmpty || value.isEmpty {
                    diagnostics.error("expected 'variant=VALUE' after '\(name):' in a quote, found '\(String(item).trimmingSpaces)'",
                                      at: position + (item.utf8.count - item.drop { $0 == " " }.utf8.count))
                    return nil
                }
                pins.append(VariantPin(name: variant, value: value))
                pinOffsets.append(position + (item.utf8.count - item.drop { $0 == " " }.utf8.count))
                position += item.utf8.count + 1
            }
        }
        return .verdict(property: name, pins: pins, offset: offset + (pieces[0].utf8.count - pieces[0].drop { $0 == " " }.utf8.count),
                        pinOffsets: pinOffsets)
    }
}

/// What a doc comment documents.
public enum DocTarget: Sendable, Hashable {
    case model
    case property(String)
    /// A named `assert` inside an action (its property).
    case assertion(String)
    case variant(String)
    /// Any other declaration: prose only, kept for readers of the source, no tags.
    case other
}

/// The doc comments of a checked model, by what they document.
public struct ModelDocumentation: Sendable, Hashable {
    /// The comment before `model`.
    public var model: DocComment?
    /// Comments of properties and named assertions, by property name.
    public var properties: [String: DocComment] = [:]
    /// Comments of variants, by variant name.
    public var variants: [String: DocComment] = [:]
    /// Creates an empty set.
    public init() {}

    /// Every comment with the property or variant it belongs to (nil for the model's), in a stable order.
    public var all: [(owner: String?, comment: DocComment)] {
        var result: [(String?, DocComment)] = []
        if let model { result.append((nil, model)) }
        result += properties.keys.sorted().compactMap { key in properties[key].map { (key, $0) } }
        result += variants.keys.sorted().compactMap { key in variants[key].map { (key, $0) } }
        return result
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
