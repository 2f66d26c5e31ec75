/// A JSON value as parsed by `JSONReader` (a small strict parser, independent of the renderers).
indirect enum JSON: Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: return false
        }
    }

    subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    var keys: [String] {
        if case .object(let members) = self { return members.map(\.0) }
        return []
    }

    var array: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var int: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }
}

/// A strict JSON parser (RFC 8259), enough to validate the renderers' output.
struct JSONReader {
    private let bytes: [UInt8]
    private var position = 0

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ text: String) throws -> JSON {
        var reader = JSONReader(bytes: Array(text.utf8))
        let value = try reader.value()
        reader.skipSpace()
        guard reader.position == reader.bytes.count else { throw Failure(description: "trailing characters at \(reader.position)") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        let expected = Array(literal.utf8)
        guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected else {
            throw Failure(description: "expected \(literal) at \(position)")
        }
        position += expected.count
    }

    private mutating func value() throws -> JSON {
        skipSpace()
        guard position < bytes.count else { throw Failure(description: "unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(String, JSON)] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object([]) }
            while true {
                skipSpace()
                let key = try string()
                skipSpace()
                try expect(":")
                if members.contains(where: { $0.0 == key }) { throw Failure(description: "duplicate key \(key)") }
                members.append((key, try value()))
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                try expect("}")
                return .object(members)
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [JSON] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array([]) }
            while true {
                items.append(try value())
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                try expect("]")
                return .array(items)
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        default:
            let start = position
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            while position < bytes.count, (bytes[position] >= 0x30 && bytes[position] <= 0x39) || [UInt8(ascii: "."), UInt8(ascii: "e"),
                                                                                                   UInt8(ascii: "E"), UInt8(ascii: "+"),
                                                                                                   UInt8(ascii: "-")].contains(bytes[position]) {
                position += 1
            }
            guard position > start, let text = String(bytes: bytes[start..<position], encoding: .utf8), Double(text) != nil else {
                throw Failure(description: "bad value at \(start)")
            }
            return .number(text)
        }
    }

    private mutating func string() throws -> String {
        try expect("\"")
        var scalars: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: scalars, as: UTF8.self) }
            if byte < 0x20 { throw Failure(description: "control character in string at \(position)") }
            if byte == UInt8(ascii: "\\") {
                guard position < bytes.count else { break }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escaped)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "u"):
                    guard position + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(code) else { throw Failure(description: "bad \\u escape") }
                    position += 4
                    scalars += Array(String(Character(scalar)).utf8)
                default: throw Failure(description: "bad escape")
                }
                continue
            }
            scalars.append(byte)
        }
        throw Failure(description: "unterminated string")
    }
}

/// The shape of an ITF trace (Apalache ADR-015, as Quint also writes it), checked strictly: returns the violations.
enum ITFSchema {
    static func violations(_ document: JSON) -> [String] {
        var problems: [String] = []
        guard case .object(let members) = document else { return ["the document is not an object"] }
        for (key, _) in members where !["#meta", "params", "vars", "states", "loop"].contains(key) {
            problems.append("unknown top-level key \(key)")
        }
        if let meta = document["#meta"] {
            if case .object = meta {} else { problems.append("#meta is not an object") }
            if meta["tool"]?.string == nil { problems.append("#meta.tool missing") }
        } else {
            problems.append("#meta missing")
        }
        guard let vars = document["vars"]?.array else { return problems + ["vars missing or not an array"] }
        let names = vars.compactMap(\.string)
        if names.count != vars.count { problems.append("vars must be strings") }
        if Set(names).count != names.count { problems.append("vars repeat a name") }
        guard let states = document["states"]?.array else { return problems + ["states missing or not an array"] }
        if states.isEmpty { problems.append("no states") }
        for (index, state) in states.enumerated() {
            guard case .object(let entries) = state else {
                problems.append("state \(index) is not an object")
                continue
            }
            if state["#meta"]?["index"]?.int != index { problems.append("state \(index): #meta.index is not \(index)") }
            let keys = Set(entries.map(\.0))
            if keys != Set(names + ["#meta"]) { problems.append("state \(index): keys \(keys.sorted()) differ from vars") }
            for (key, value) in entries where key != "#meta" {
                problems += valueViolations(value, path: "state \(index).\(key)")
            }
        }
        if let loop = document["loop"] {
            guard let value = loop.int else { return problems + ["loop is not an integer"] }
            if value < 0 || value >= states.count { problems.append("loop \(value) is not a state index") }
        }
        return problems
    }

    /// ITF expressions: booleans, strings, {"#bigint": "-?[0-9]+"}, {"#map": [[k, v]]}, {"#set": []}, {"#tup": []},
    /// lists, records, {"#unserializable": "..."}. Plain JSON numbers and null are not ITF values.
    static func valueViolations(_ value: JSON, path: String) -> [String] {
        switch value {
        case .bool, .string: return []
        case .null: return ["\(path): null"]
        case .number: return ["\(path): a plain JSON number (integers must be #bigint)"]
        case .array(let items): return items.enumerated().flatMap { valueViolations($1, path: "\(path)[\($0)]") }
        case .object(let members):
            if let first = members.first, first.0.hasPrefix("#") {
                guard members.count == 1 else { return ["\(path): a tagged value with extra keys"] }
                switch (first.0, first.1) {
                case ("#bigint", .string(let digits)):
                    let body = digits.hasPrefix("-") ? String(digits.dropFirst()) : digits
                    return !body.isEmpty && body.allSatisfy(\.isASCII) && body.allSatisfy(\.isNumber) ? [] : ["\(path): bad #bigint \(digits)"]
                case ("#map", .array(let pairs)):
                    return pairs.enumerated().flatMap { index, pair -> [String] in
                        guard let items = pair.array, items.count == 2 else { return ["\(path): #map entry \(index) is not a pair"] }
                        return valueViolations(items[0], path: "\(path) key \(index)") + valueViolations(items[1], path: "\(path) value \(index)")
                    }
                case ("#set", .array(let items)), ("#tup", .array(let items)):
                    return items.enumerated().flatMap { valueViolations($1, path: "\(path)[\($0)]") }
                case ("#unserializable", .string): return []
                default: return ["\(path): unknown tag \(first.0)"]
                }
            }
            return members.flatMap { valueViolations($0.1, path: "\(path).\($0.0)") }
        }
    }
}
