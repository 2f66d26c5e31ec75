import ModelLanguage
import PackedSystem

/// Renders traces in the Informal Trace Format (ITF) of Apalache and Quint.
///
/// - top level: `#meta` (tool, model, source file, property, kind, verdict, the failing action if any, and for a
///   model with variants the combination the trace belongs to, `variants`: name -> value),
///   `vars` (the model's variables in declaration order), `states`, and `loop` for lassos;
/// - each state: `#meta` with its `index` (and the `action` that produced it), then every variable;
/// - values: booleans as JSON booleans, integers as `{"#bigint": "N"}`, enum constants and scalarset values as
///   strings (`RUNNING`, `Dev#0`), arrays as `{"#map": [[key, value], ...]}` with keys typed like values
///   (nested maps for several dimensions).
///
/// A lasso's last step repeats the state where the loop starts; that repeated state is dropped and `loop` is the
/// index of the state the last one steps back to. A trace that stays forever in its last state has `loop` equal
/// to the last index.
public enum ITFRenderer {
    /// The ITF document of one trace.
    public static func document(trace: Trace, property: PropertyResult, result: CheckResult, layout: StateLayout,
                                variants: VariantAssignment = VariantAssignment(entries: [])) -> JSONValue {
        var steps = trace.steps
        var loop: Int?
        if let loopStart = trace.loopStart {
            if loopStart < steps.count - 1 { steps.removeLast() }
            loop = loopStart
        }
        var meta: [(String, JSONValue)] = [
            ("format", .string("ITF")),
            ("tool", .string("vfio-mc")),
            ("source", .string(result.file)),
            ("model", .string(result.model)),
            ("property", .string(property.name)),
            ("kind", .string(property.kind.rawValue)),
            ("verdict", .string(property.verdict.rawValue)),
            ("expected", .string(property.expected.rawValue)),
            ("engine", .string(property.engine.rawValue)),
        ]
        if !variants.isEmpty {
            meta.append(("variants", JSONRenderer.assignment(variants)))
        }
        if let failure = trace.failure {
            meta.append(("failure", .object([
                ("action", .string(failure.label)),
                ("message", .string(failure.message)),
                ("line", .int(failure.line)),
                ("column", .int(failure.column)),
            ])))
        }
        var members: [(String, JSONValue)] = [
            ("#meta", .object(meta)),
            ("vars", .array(layout.variables.map { .string($0.info.name) })),
            ("states", .array(steps.enumerated().map { index, step in state(step, index: index, layout: layout) })),
        ]
        if let loop { members.append(("loop", .int(loop))) }
        return .object(members)
    }

    /// The ITF text of one trace: the document's members one per line, and each state on a line of its own (compact
    /// JSON within a line), so that files stay small and diffs show which states changed. Ends with a newline.
    public static func render(trace: Trace, property: PropertyResult, result: CheckResult, layout: StateLayout,
                              variants: VariantAssignment = VariantAssignment(entries: [])) -> String {
        guard case .object(let members) = document(trace: trace, property: property, result: result, layout: layout,
                                                    variants: variants) else { return "" }
        var lines: [String] = []
        for (index, member) in members.enumerated() {
            let comma = index + 1 < members.count ? "," : ""
            let key = JSONValue.quote(member.0) + ": "
            if member.0 == "states", case .array(let states) = member.1, !states.isEmpty {
                lines.append("  " + key + "[")
                for (position, state) in states.enumerated() {
                    lines.append("    " + state.serialized(indent: nil) + (position + 1 < states.count ? "," : ""))
                }
                lines.append("  ]" + comma)
            } else {
                lines.append("  " + key + member.1.serialized(indent: nil) + comma)
            }
        }
        return "{\n" + lines.joined(separator: "\n") + "\n}\n"
    }

    /// One state: `#meta` then each variable's value.
    static func state(_ step: TraceStep, index: Int, layout: StateLayout) -> JSONValue {
        var meta: [(String, JSONValue)] = [("index", .int(index))]
        if step.action != nil { meta.append(("action", .string(step.label))) }
        var members: [(String, JSONValue)] = [("#meta", .object(meta))]
        for variable in layout.variables {
            let info = variable.info
            let cells = (0..<info.cellCount).map { cell -> JSONValue in
                let field = variable.firstField + cell
                return field < step.cells.count ? value(step.cells[field], type: info.elementType) : .null
            }
            members.append((info.name, nest(cells[...], indexTypes: info.indexTypes[...])))
        }
        return .object(members)
    }

    /// Row-major cells as nested `#map`s over the index types.
    private static func nest(_ cells: ArraySlice<JSONValue>, indexTypes: ArraySlice<FiniteType>) -> JSONValue {
        guard let outer = indexTypes.first else { return cells.first ?? .null }
        let inner = indexTypes.dropFirst()
        let stride = inner.reduce(1) { $0 * $1.cardinality }
        let entries = outer.values.enumerated().map { ordinal, key -> JSONValue in
            let start = cells.startIndex + ordinal * stride
            let slice = cells[start..<min(cells.endIndex, start + stride)]
            return .array([value(key, type: outer), nest(slice, indexTypes: inner)])
        }
        return .object([("#map", .array(entries))])
    }

    /// A typed value as ITF.
    static func value(_ value: Int64, type: FiniteType) -> JSONValue {
        switch type {
        case .bool: return .bool(value != 0)
        case .range: return .object([("#bigint", .string(String(value)))])
        case .enumeration, .scalarset: return .string(type.format(value))
        }
    }
}
