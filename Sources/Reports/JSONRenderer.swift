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
    /// `peakMemoryBytes`, when given, is the whole process's peak resident size (the figure `--max-memory` bounds),
    /// and `memoryLimitBytes` the limit the run kept (null for none).
    public static func document(results: [CheckResult], errors: [(file: String, messages: [String])],
                                peakMemoryBytes: Int? = nil, memoryLimitBytes: Int? = nil) -> JSONValue {
        document(models: results.map(model), errors: errors, peakMemoryBytes: peakMemoryBytes, memoryLimitBytes: memoryLimitBytes)
    }

    /// The document for a run of matrices: every model's combinations and every model that failed to load.
    public static func document(matrices: [MatrixResult], errors: [(file: String, messages: [String])],
                                peakMemoryBytes: Int? = nil, memoryLimitBytes: Int? = nil) -> JSONValue {
        document(models: matrices.map(model), errors: errors, peakMemoryBytes: peakMemoryBytes, memoryLimitBytes: memoryLimitBytes)
    }

    /// The document's frame around the rendered models: the tool, the models, the load errors, the peak memory
    /// and the memory limit.
    private static func document(models: [JSONValue], errors: [(file: String, messages: [String])],
                                 peakMemoryBytes: Int?, memoryLimitBytes: Int?) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("tool", .string("vfio-mc")),
            ("models", .array(models)),
            ("errors", .array(errors.map { .object([("file", .string($0.file)), ("messages", .array($0.messages.map { .string($0) }))]) })),
        ]
        if let peakMemoryBytes {
            fields.append(("peakMemoryBytes", .int(peakMemoryBytes)))
            fields.append(("memoryLimitBytes", memoryLimitBytes.map { .int($0) } ?? .null))
        }
        return .object(fields)
    }

    /// One model's result: the fields of its single run, and `variants` with that run.
    public static func model(_ result: CheckResult) -> JSONValue {
        model(MatrixResult(single: result))
    }

    /// One model's matrix. Without variants, the model-level fields are its single run's; with variants they
    /// summarise the matrix (sums of states and transitions, the deepest depth, the wall-clock seconds, and per
    /// property the common verdict or `varies`), and `variants` carries each combination's run.
    public static func model(_ matrix: MatrixResult) -> JSONValue {
        guard matrix.hasVariants, let first = matrix.runs.first else {
            guard let run = matrix.runs.first else { return .object([]) }
            guard case .object(var members) = singleModel(run) else { return .null }
            members.append(("variants", .array([variant(run)])))
            return .object(members)
        }
        let results = matrix.results
        let states = results.reduce(0) { $0 + $1.statistics.states }
        let peak = results.map(\.statistics.peakMemoryBytes).max() ?? 0
        var reductions: [String] = []
        var methods: [String] = []
        var notes: [String] = []
        for result in results {
            for reduction in Self.reductionsField(result.statistics) where !reductions.contains(reduction) { reductions.append(reduction) }
            for method in result.statistics.methods where !methods.contains(method) { methods.append(method) }
            for note in result.statistics.notes where !notes.contains(note) { notes.append(note) }
        }
        return .object([
            ("file", .string(matrix.file)),
            ("model", .string(matrix.model)),
            ("engine", .string(first.result.engine.rawValue)),
            ("states", .int(states)),
            ("transitions", .int(results.reduce(0) { $0 + $1.statistics.transitions })),
            ("depth", .int(results.map(\.statistics.depth).max() ?? 0)),
            ("seconds", .double(matrix.seconds)),
            ("statesPerSecond", .double(matrix.seconds > 0 ? Double(states) / matrix.seconds : 0)),
            ("bytesPerState", .double(states > 0 ? Double(peak) / Double(states) : 0)),
            ("peakMemoryBytes", .int(peak)),
            ("complete", .bool(results.allSatisfy(\.statistics.complete))),
            ("stopReason", results.lazy.compactMap(\.statistics.stopReason).first.map { .string($0.description) } ?? .null),
            ("reductions", .array(reductions.map { .string($0) })),
            ("methods", .array(methods.map { .string($0) })),
            ("notes", .array(notes.map { .string($0) })),
            ("threads", .int(results.map(\.statistics.threads).max() ?? 1)),
            ("rounds", .int(results.reduce(0) { $0 + $1.statistics.rounds })),
            ("roundsOnOneThread", .int(results.reduce(0) { $0 + $1.statistics.roundsOnOneThread })),
            ("expectationsMet", .bool(matrix.expectationsMet)),
            ("properties", .array(matrix.propertyNames.map { summary(of: $0, in: matrix) })),
            ("variants", .array(matrix.runs.map(variant))),
        ])
    }

    /// One combination's run: its assignment, statistics and properties in the model-level shape.
    static func variant(_ run: VariantRun) -> JSONValue {
        let statistics = run.result.statistics
        return .object([
            ("assignment", assignment(run.assignment)),
            ("states", .int(statistics.states)),
            ("transitions", .int(statistics.transitions)),
            ("depth", .int(statistics.depth)),
            ("seconds", .double(statistics.seconds)),
            ("complete", .bool(statistics.complete)),
            ("expectationsMet", .bool(run.result.expectationsMet)),
            ("properties", .array(run.result.properties.map { property(run.result, $0, sanity: run.sanity[$0.name]) })),
        ] + coverage(run))
    }

    /// `coverage` (per ground action: `action`, `parameters`, `fired`, `distinctStates`, `failures`; null when
    /// only the SMT engine ran), `deadActions` (the declarations never enabled in a reachable state; null when
    /// there is no coverage or the search stopped early, so nothing can be called dead) and `expectDead` (the
    /// actions an `expect dead` line marks in this combination).
    static func coverage(_ run: VariantRun) -> [(String, JSONValue)] {
        guard let coverage = run.result.coverage else {
            return [("coverage", .null), ("deadActions", .null), ("expectDead", .array(run.meantDead.sorted().map { .string($0) }))]
        }
        let entries: [JSONValue] = coverage.actions.map { entry in
            .object([
                ("action", .string(entry.action)),
                ("parameters", .object(entry.arguments.map { ($0.name, .string($0.formatted)) })),
                ("fired", .int(entry.fired)),
                ("distinctStates", .int(entry.distinctStates)),
                ("failures", .int(entry.failures)),
            ])
        }
        let marked = coverage.declarations.filter { run.meantDead.contains($0) }
        return [
            ("coverage", .array(entries)),
            ("deadActions", coverage.complete ? .array(coverage.deadActions.map { .string($0) }) : .null),
            ("expectDead", .array(marked.map { .string($0) })),
        ]
    }

    /// A combination as a JSON object, variant name -> value: booleans as JSON booleans, integers as numbers, enum
    /// constants as strings, typed from the checker's values (`VariantAssignment.typedValues`), never parsed from
    /// their text. An assignment made from text alone keeps its values as strings.
    static func assignment(_ assignment: VariantAssignment) -> JSONValue {
        let typed = assignment.typedValues.count == assignment.entries.count ? assignment.typedValues : nil
        return .object(assignment.entries.enumerated().map { index, entry -> (String, JSONValue) in
            guard let typed else { return (entry.name, .string(entry.value)) }
            switch typed[index].type {
            case .bool: return (entry.name, .bool(typed[index].value != 0))
            case .range: return (entry.name, .int(Int(typed[index].value)))
            case .enumeration, .scalarset: return (entry.name, .string(entry.value))
            }
        })
    }

    /// A property across the matrix: `expected` and `verdict` when every combination agrees, else `varies`;
    /// `met` when every combination meets its expectation. The traces are in `variants`.
    static func summary(of name: String, in matrix: MatrixResult) -> JSONValue {
        let cells = matrix.runs.indices.compactMap { matrix.cell(name, run: $0) }
        func common(_ values: [String]) -> String { Set(values).count == 1 ? values[0] : "varies" }
        let sanities = matrix.runs.compactMap { $0.sanity[name] }
        return .object([
            ("name", .string(name)),
            ("kind", .string(cells.first?.kind.rawValue ?? "invariant")),
            ("expected", .string(common(cells.map(\.expected.rawValue)))),
            ("verdict", .string(common(cells.map(\.verdict.rawValue)))),
            ("met", .bool(cells.allSatisfy(\.meetsExpectation))),
            ("engine", .string(common(cells.map(\.engine.rawValue)))),
        ] + (sanities.isEmpty ? [] : [("sanity", .string(common(sanities.map(\.label))))]))
    }

    /// The JSON `reductions` field: the explicit engine's reductions, then the SMT engine's methods. The methods
    /// have their own statistics field (`RunStatistics.methods`) and their own JSON field `methods`; the JSON format
    /// printed them under `reductions` before they had, and keeps them there too, for the consumers that read them
    /// there.
    static func reductionsField(_ statistics: RunStatistics) -> [String] { statistics.reductions + statistics.methods }

    /// One run's model-level fields.
    private static func singleModel(_ run: VariantRun) -> JSONValue {
        let result = run.result
        let statistics = result.statistics
        return .object([
            ("file", .string(result.file)),
            ("model", .string(result.model)),
            ("engine", .string(result.engine.rawValue)),
            ("states", .int(statistics.states)),
            ("transitions", .int(statistics.transitions)),
            ("depth", .int(statistics.depth)),
            ("seconds", .double(statistics.seconds)),
            ("statesPerSecond", .double(statistics.statesPerSecond)),
            ("bytesPerState", .double(statistics.bytesPerState)),
            ("peakMemoryBytes", .int(statistics.peakMemoryBytes)),
            ("complete", .bool(statistics.complete)),
            ("stopReason", statistics.stopReason.map { .string($0.description) } ?? .null),
            ("reductions", .array(Self.reductionsField(statistics).map { .string($0) })),
            ("methods", .array(statistics.methods.map { .string($0) })),
            ("notes", .array(statistics.notes.map { .string($0) })),
            ("threads", .int(statistics.threads)),
            ("rounds", .int(statistics.rounds)),
            ("roundsOnOneThread", .int(statistics.roundsOnOneThread)),
            ("expectationsMet", .bool(result.expectationsMet)),
            ("properties", .array(result.properties.map { property(result, $0, sanity: run.sanity[$0.name]) })),
        ])
    }

    /// One property; `sanity` (and `sanityNote` when it is not `ok`) when the property was analysed; under
    /// `--engine both`, `explicit` and `smt`: each engine's own verdict and note (`PropertyResult.engines`).
    static func property(_ result: CheckResult, _ property: PropertyResult, sanity: PropertySanity? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(property.name)),
            ("kind", .string(property.kind.rawValue)),
            ("expected", .string(property.expected.rawValue)),
            ("verdict", .string(property.verdict.rawValue)),
            ("met", .bool(property.meetsExpectation)),
            ("engine", .string(property.engine.rawValue)),
        ]
        if let sanity {
            members.append(("sanity", .string(sanity.label)))
            if let note = sanity.note { members.append(("sanityNote", .string(note))) }
        }
        if let note = property.note { members.append(("note", .string(note))) }
        if let engines = property.engines {
            members.append(("explicit", engineVerdict(engines.explicit)))
            members.append(("smt", engineVerdict(engines.smt)))
        }
        if let trace = property.trace { members.append(("trace", self.trace(trace, result))) }
        return .object(members)
    }

    /// One engine's own verdict under `--engine both`: `verdict`, and `note` when the engine made one.
    static func engineVerdict(_ verdict: EngineVerdict) -> JSONValue {
        .object([("verdict", .string(verdict.verdict.rawValue))] + (verdict.note.map { [("note", .string($0))] } ?? []))
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
