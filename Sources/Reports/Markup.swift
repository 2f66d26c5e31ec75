/// Escaping and naming helpers shared by the HTML, SVG, XML and Markdown renderers.
public enum Markup {
    /// Rows as left-aligned columns two spaces apart, indented by two, trailing spaces trimmed: the terminal
    /// tables of `check` (properties, the verdict matrix) and `diff`.
    public static func alignedColumns(_ rows: [[String]]) -> [String] {
        var widths = Array(repeating: 0, count: rows.map(\.count).max() ?? 0)
        for row in rows { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        return rows.map { row in
            var line = "  " + row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// Text escaped for XML and HTML content and attribute values. Characters XML 1.0 forbids are dropped.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Text for a Markdown table cell or inline text: pipes, backslashes and the markup characters `*`, `` ` ``, `[`,
    /// `]` and `<` escaped (underscores inside words and `#` inside a line are literal in GitHub Markdown), newlines
    /// turned into spaces.
    public static func markdown(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "|": result += "\\|"
            case "\\": result += "\\\\"
            case "*", "`", "[", "]", "<": result += "\\" + String(character)
            case "\n", "\r": result += " "
            default: result.append(character)
            }
        }
        return result
    }

    /// `base`, or `base-2`, `base-3` ... when taken: the first name not in `used`, which is then added to it
    /// (page names of models, anchors of properties).
    static func unique(_ base: String, among used: inout Set<String>) -> String {
        var candidate = base
        var suffix = 2
        while used.contains(candidate) {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// A name usable in a file name or an HTML id: ASCII letters, digits, `-` and `_`; anything else becomes `_`.
    public static func slug(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let keep = (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
                || scalar == "-" || scalar == "_"
            result += keep ? String(scalar) : "_"
        }
        return result.isEmpty ? "_" : result
    }

    /// Text cut to at most `limit` characters, with an ellipsis when cut.
    public static func truncate(_ text: String, _ limit: Int) -> String {
        guard text.count > limit, limit > 1 else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }

    /// A number with thousands separators: `1,234,567`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = value < 0 ? "-" : ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result += "," }
            result.append(character)
        }
        return result
    }

    /// A decimal with `places` digits after the point, without locale or exponent: `0.25`.
    public static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = scaled % Int(scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if places > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return text
    }

    /// A byte count in binary units: `512 B`, `1.5 MiB`.
    public static func bytes(_ value: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : fixed(amount, places: 1) + " " + units[unit]
    }
}

/// Geometry helpers for the SVG renderers, which use a monospace font so that text widths are known exactly.
enum SVGMetrics {
    /// Font size of labels, in pixels.
    static let fontSize = 12.0
    /// Advance of one character of the monospace font at `fontSize` (0.6 em).
    static let characterWidth = 7.2
    /// The font stack: local fonts only.
    static let fontFamily = "DejaVu Sans Mono, Menlo, Consolas, monospace"

    /// Width of a label in pixels.
    static func width(_ text: String, size: Double = fontSize) -> Double {
        Double(text.count) * size * 0.6
    }

    /// A coordinate with at most one decimal, for compact and stable output.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : Markup.fixed(Double(tenths) / 10, places: 1)
    }
}

/// Accumulates SVG (or XML) elements with escaped attribute values, in the order given.
struct ElementWriter {
    /// The text so far.
    var text = ""

    /// An element with attributes, and content (already escaped markup) or none.
    mutating func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) {
        text += Self.open(name, attributes, selfClosing: content == nil)
        if let content { text += content + "</\(name)>" }
        text += "\n"
    }

    /// An element whose content is plain text (escaped here).
    mutating func textElement(_ name: String, _ attributes: [(String, String)], _ content: String) {
        element(name, attributes, content: Markup.escape(content))
    }

    /// Raw markup.
    mutating func raw(_ markup: String) { text += markup }

    /// The opening of an SVG picture of both diagrams (sequence, state graph): the root element with its size,
    /// class and accessible title (the namespace only for a standalone file), the title, and a white background.
    mutating func svgRoot(class name: String, width: Double, height: Double, title: String, standalone: Bool) {
        let n = SVGMetrics.number
        var attributes: [(String, String)] = standalone ? [("xmlns", "http://www.w3.org/2000/svg")] : []
        attributes += [("class", name), ("width", n(width)), ("height", n(height)), ("viewBox", "0 0 \(n(width)) \(n(height))"),
                       ("role", "img"), ("aria-label", title), ("font-family", SVGMetrics.fontFamily), ("font-size", "12")]
        raw(Self.open("svg", attributes) + "\n")
        textElement("title", [], title)
        element("rect", [("x", "0"), ("y", "0"), ("width", n(width)), ("height", n(height)), ("fill", "#ffffff")])
    }

    /// `<name a="v" ...>` or `<name ... />`.
    static func open(_ name: String, _ attributes: [(String, String)], selfClosing: Bool = false) -> String {
        var result = "<" + name
        for (key, value) in attributes { result += " \(key)=\"\(Markup.escape(value))\"" }
        return result + (selfClosing ? "/>" : ">")
    }
}
