import Foundation
import ModelLanguage
import PackedSystem

/// A JSON value with deterministic output (keys in insertion order).
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.serialized() == rhs.serialized() }
    public func hash(into hasher: inout Hasher) { hasher.combine(serialized()) }

    /// Compact or indented JSON text.
    public func serialized(indent: Int? = 2) -> String {
        var output = ""
        write(into: &output, level: 0, indent: indent)
        return output
    }

    private func write(into output: inout String, level: Int, indent: Int?) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (depth: Int) in indent.map { String(repeating: " ", count: $0 * depth) } ?? "" }
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .double(let value):
            output += value.isFinite ? String(format: "%.6g", value) : "null"
        case .string(let value): output += Self.quote(value)
        case .array(let items):
            if items.isEmpty { output += "[]"; return }
            output += "[" + newline
            for (index, item) in items.enumerated() {
                output += pad(level + 1)
                item.write(into: &output, level: level + 1, indent: indent)
                output += (index + 1 < items.count ? "," : "") + newline
            }
            output += pad(level) + "]"
        case .object(let members):
            if members.isEmpty { output += "{}"; return }
            output += "{" + newline
            for (index, member) in members.enumerated() {
                output += pad(level + 1) + Self.quote(member.0) + (indent == nil ? ":" : ": ")
                member.1.write(into: &output, level: level + 1, indent: indent)
                output += (index + 1 < members.count ? "," : "") + newline
            }
            output += pad(level) + "}"
        }
    }

    /// A JSON string literal.
    public static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}

/// Renders check results as the JSON document documented in docs/cli.md.
public enum JSONRenderer {
    /// The document for a run: every model's result and every model that failed to load.
    /// `peakMemoryBytes`, when given, is the whole process's peak resident size (the figure `--max-memory` bounds).
    public static func document(results: [CheckResult], errors: [(file: String, messages: [String])],
                                peakMemoryBytes: Int? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("tool", .string("vfio-mc")),
            ("models", .array(results.map(model))),
            ("errors", .array(errors.map { .object([("file", .string($0.file)), ("messages", .array($0.messages.map { .string($0) }))]) })),
        ]
        if let peakMemoryBytes { fields.append(("peakMemoryBytes", .int(peakMemoryBytes))) }
        return .object(fields)
    }

    /// One model's result.
    public static func model(_ result: CheckResult) -> JSONValue {
        let statistics = result.statistics
        return .object([
            ("file", .string(result.file)),
            ("model", .string(result.model)),
            ("engine", .string(result.engine)),
            ("states", .int(statistics.states)),
            ("transitions", .int(statistics.transitions)),
            ("depth", .int(statistics.depth)),
            ("seconds", .double(statistics.seconds)),
            ("statesPerSecond", .double(statistics.statesPerSecond)),
            ("bytesPerState", .double(statistics.bytesPerState)),
            ("peakMemoryBytes", .int(statistics.peakMemoryBytes)),
            ("complete", .bool(statistics.complete)),
            ("stopReason", statistics.stopReason.map { .string($0) } ?? .null),
            ("reductions", .array(statistics.reductions.map { .string($0) })),
            ("notes", .array(statistics.notes.map { .string($0) })),
            ("threads", .int(statistics.threads)),
            ("expectationsMet", .bool(result.expectationsMet)),
            ("properties", .array(result.properties.map { property(result, $0) })),
        ])
    }

    static func property(_ result: CheckResult, _ property: PropertyResult) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(property.name)),
            ("kind", .string(property.kind.rawValue)),
            ("expected", .string(property.expected.rawValue)),
            ("verdict", .string(property.verdict.rawValue)),
            ("met", .bool(property.meetsExpectation)),
            ("engine", .string(property.engine)),
        ]
        if let note = property.note { members.append(("note", .string(note))) }
        if let trace = property.trace { members.append(("trace", self.trace(trace, result))) }
        return .object(members)
    }

    /// A trace: steps with action, parameters and the full valuation; `loopStart` for lassos; `failure` when the
    /// last action failed.
    public static func trace(_ trace: Trace, _ result: CheckResult) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("length", .int(trace.length)),
            ("loopStart", trace.loopStart.map { .int($0) } ?? .null),
            ("steps", .array(trace.steps.map { step in
                .object([
                    ("action", step.action.map { .string($0) } ?? .null),
                    ("parameters", .object(step.arguments.map { ($0.name, .string($0.formatted)) })),
                    ("state", .object(zip(result.cellNames, zip(step.cells, result.cellTypes)).map { name, cell in
                        (name, typedValue(cell.0, cell.1))
                    })),
                ])
            })),
        ]
        if let failure = trace.failure {
            members.append(("failure", .object([
                ("action", .string(failure.action)),
                ("parameters", .object(failure.arguments.map { ($0.name, .string($0.formatted)) })),
                ("message", .string(failure.message)),
                ("line", .int(failure.line)),
                ("column", .int(failure.column)),
            ])))
        }
        return .object(members)
    }

    /// A cell value as JSON: booleans and integers as such, enum constants and scalarset values as strings.
    static func typedValue(_ value: Int64, _ type: FiniteType) -> JSONValue {
        switch type {
        case .bool: return .bool(value != 0)
        case .range: return .int(Int(value))
        default: return .string(type.format(value))
        }
    }
}
