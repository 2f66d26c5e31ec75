/// One error found in a model, with its position.
public struct Diagnostic: Sendable, Hashable, Error {
    /// The file name as given.
    public let file: String
    /// 1-based line.
    public let line: Int
    /// 1-based column, in Unicode scalars.
    public let column: Int
    /// The message, without the `error:` prefix.
    public let message: String
    /// The offending source line (for the caret display).
    public let sourceLine: String

    /// Creates a diagnostic.
    public init(file: String, line: Int, column: Int, message: String, sourceLine: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// The first line: `FILE:LINE:COL: error: MESSAGE`.
    public var headline: String { "\(file):\(line):\(column): error: \(message)" }

    /// The full rendering: the headline, the source line (clipped around the column when long), and a caret.
    public var rendered: String {
        let scalars = Array(sourceLine.unicodeScalars)
        let window = 100
        var startIndex = 0
        var prefix = ""
        if scalars.count > window, column > window / 2 {
            startIndex = min(column - 1 - window / 2, max(0, scalars.count - window))
            prefix = "..."
        }
        let endIndex = min(scalars.count, startIndex + window)
        var shown = prefix
        for scalar in scalars[startIndex..<endIndex] {
            // Tabs are shown as a space so the caret lines up; other control characters as '?'.
            if scalar == "\t" { shown += " " } else if scalar.value < 0x20 || scalar.value == 0x7F { shown += "?" } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        if endIndex < scalars.count { shown += "..." }
        let caretColumn = prefix.count + max(0, column - 1 - startIndex)
        return headline + "\n" + shown + "\n" + String(repeating: " ", count: caretColumn) + "^"
    }
}

/// Collects diagnostics for one source file, deduplicated and in source order.
public struct DiagnosticBag: Sendable {
    /// The source file the diagnostics refer to.
    public let source: SourceFile
    private(set) var items: [(offset: Int, message: String)] = []
    private var seen: Set<String> = []

    /// The most errors reported for one file; the rest are summarised in one last error.
    public static let maximumErrors = 100

    /// Creates an empty bag.
    public init(source: SourceFile) { self.source = source }

    /// Records an error at a byte offset (once; after `maximumErrors`, only a final "too many errors").
    public mutating func error(_ message: String, at offset: Int) {
        guard items.count <= Self.maximumErrors else { return }
        guard seen.insert("\(offset):\(message)").inserted else { return }
        if items.count == Self.maximumErrors {
            items.append((offset, "too many errors; stopping after \(Self.maximumErrors)"))
            return
        }
        items.append((offset, message))
    }

    /// Records an error at the start of a range.
    public mutating func error(_ message: String, at range: SourceRange) { error(message, at: range.start) }

    /// Whether any error was recorded.
    public var hasErrors: Bool { !items.isEmpty }

    /// How many errors were recorded.
    public var count: Int { items.count }

    /// The diagnostics, ordered by position (stable for equal positions).
    public var diagnostics: [Diagnostic] {
        items.enumerated().sorted { lhs, rhs in
            lhs.element.offset != rhs.element.offset ? lhs.element.offset < rhs.element.offset : lhs.offset < rhs.offset
        }.map { makeDiagnostic(offset: $0.element.offset, message: $0.element.message) }
    }

    /// Builds a diagnostic for an offset in this bag's source.
    public func makeDiagnostic(offset: Int, message: String) -> Diagnostic {
        let position = source.position(of: offset)
        return Diagnostic(file: source.name, line: position.line, column: position.column,
                          message: message, sourceLine: source.lineText(position.line))
    }
}

/// The failure of a front-end stage: every diagnostic found.
public struct ModelErrors: Error, Sendable {
    /// The diagnostics, in source order.
    public let diagnostics: [Diagnostic]
    /// Set when a budget (memory, time, a signal) stopped the work rather than a problem in the model: the
    /// command then exits 3 (no verdict), not 2.
    public let stopReason: String?
    /// Creates the error.
    public init(_ diagnostics: [Diagnostic], stopReason: String? = nil) {
        self.diagnostics = diagnostics
        self.stopReason = stopReason
    }
    /// All diagnostics rendered, one after the other.
    public var rendered: String { diagnostics.map(\.rendered).joined(separator: "\n") }
}
