import Foundation
import Review

/// The text `vfio-mc kernel` prints: the tables read, the rules' verdicts under each reading of the loop, the
/// combination paths, and with a base the changes (Review's `KernelAnalysis` and `KernelComparison`).
public enum KernelTextRenderer {
    static func variantName(_ variant: LoopVariant) -> String { variant == .shipped ? "shipped loop" : "posted fix" }

    /// The report of `analysis`, compared with `base` when given.
    public static func render(_ analysis: KernelAnalysis, base: KernelAnalysis?, comparison: KernelComparison?) -> String {
        var out = ""
        func line(_ text: String = "") { out += text + "\n" }
        let tables = analysis.tables
        line("\(tables.file): \(tables.states.count) states (\(tables.enumSource))")
        line("  supported-state rule: \(tables.needsSource.rendered)")
        for state in tables.states { line("    \(state) needs \(tables.needs[state]?.rendered ?? "?")") }
        line("  flag sets: STOP_COPY with every subset of {\(tables.optionalFlags.joined(separator: ","))}")
        line("  loop: \(tables.loop.rendered)")
        for note in tables.notes { line("  note: \(note)") }
        if let fromError = analysis.fromError { line("  SET from ERROR: \(fromError)") }
        for state in analysis.undocumentedStates {
            line("  note: the documentation gives \(state) no permitted arc, so every arc into or out of it violates ArcPermitted")
        }
        line()
        line("Rules (verdicts of the explicit engine on a resolver model generated from the table; * = counts):")
        let counted = analysis.countedVariants
        let width = KernelModel.rules.map(\.property.count).max() ?? 10
        line("  " + "rule".padding(toLength: width, withPad: " ", startingAt: 0) + "  "
             + LoopVariant.allCases.map { (counted.contains($0) ? "*" : " ") + variantName($0).padding(toLength: 13, withPad: " ", startingAt: 0) }.joined(separator: " ")
             + "  meaning")
        for (index, rule) in KernelModel.rules.enumerated() {
            let cells = LoopVariant.allCases.map { variant -> String in
                let verdict = analysis.result(variant)?.verdicts[index].verdict.rawValue ?? "-"
                return " " + verdict.padding(toLength: 13, withPad: " ", startingAt: 0)
            }
            line("  " + rule.property.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + cells.joined(separator: " ")
                 + "  " + rule.rule)
        }
        for result in analysis.results {
            for verdict in result.verdicts where verdict.verdict == .violated {
                line("  \(verdict.property) violated (\(variantName(result.variant))): e.g. \(verdict.example ?? "see --json")")
            }
        }
        line()
        let shown: LoopVariant = counted.count == 1 ? counted[0] : .shipped
        if let result = analysis.result(shown) {
            line("Combination paths (\(variantName(shown))), per flag set; requests of an unsupported state (EINVAL at once) and no-op requests are left out:")
            var lastSet: String?
            for path in result.paths where path.current != path.requested {
                let flags = Set(path.flags).union(["STOP_COPY"])
                guard tables.needs[path.current]?.supported(by: flags) ?? false,
                      tables.needs[path.requested]?.supported(by: flags) ?? false else { continue }
                if path.flagSet != lastSet {
                    line("  flag set \(path.flagSet):")
                    lastSet = path.flagSet
                }
                line("    \(path.request): \(path.rendered)")
            }
            let other: LoopVariant = shown == .shipped ? .fixed : .shipped
            if let otherResult = analysis.result(other) {
                let differing = zip(result.paths, otherResult.paths).filter { $0.0.rendered != $0.1.rendered }
                line("Paths that differ under the \(variantName(other)):" + (differing.isEmpty ? " none" : ""))
                for (_, path) in differing { line("    \(path.flagSet) \(path.request): \(path.rendered)") }
            }
        }
        if let comparison, let base {
            line()
            line("Against \(base.tables.file) (the base):")
            if !comparison.addedStates.isEmpty { line("  states added: \(comparison.addedStates.joined(separator: ", "))") }
            if !comparison.removedStates.isEmpty { line("  states removed: \(comparison.removedStates.joined(separator: ", "))") }
            for need in comparison.needs { line("  rule changed: \(need)") }
            line("  table entries changed: \(comparison.entries.count)")
            for entry in comparison.entries {
                line("    [\(entry.current)][\(entry.requested)]: \(entry.before ?? "-") -> \(entry.after ?? "-")")
            }
            line("  verdicts changed (same reading of the loop on both sides): \(comparison.verdicts.count)")
            for change in comparison.verdicts {
                line("    \(change.property) (\(variantName(change.variant))): \(change.before.rawValue) -> \(change.after.rawValue)\(change.regression ? "  REGRESSION" : "")")
            }
            if let before = comparison.loopBefore, let after = comparison.loopAfter {
                line("  loop changed: \(before) -> \(after)")
                line("  verdicts that count, changed: \(comparison.readingVerdicts.count)")
                for change in comparison.readingVerdicts {
                    line("    \(change.property): \(change.before.rawValue) -> \(change.after.rawValue)\(change.regression ? "  REGRESSION" : "")")
                }
            }
            line("  paths changed: \(comparison.paths.count)")
            for change in comparison.paths {
                line("    \(change.flagSet) \(change.request) (\(variantName(change.variant))):")
                line("      - \(change.before ?? "(absent)")")
                line("      + \(change.after ?? "(absent)")")
            }
            line(comparison.regressed ? "Result: a rule regressed." : "Result: no rule regressed.")
        } else {
            let violated = counted.flatMap { variant in
                (analysis.result(variant)?.verdicts ?? []).filter { $0.verdict == .violated }.map { "\($0.property) (\(variantName(variant)))" }
            }
            line(violated.isEmpty ? "Result: every rule holds." : "Result: violated: \(violated.joined(separator: ", ")).")
        }
        return out
    }
}

/// The `vfio-mc kernel --json` document.
public enum KernelJSONRenderer {
    struct Document: Encodable {
        let tool = "vfio-mc"
        let command = "kernel"
        let source: Source
        let against: Source?
        let changes: KernelComparison.Changes?
        let violated: Bool
        let regressed: Bool?
    }

    struct Source: Encodable {
        let file: String
        let states: [String]
        let values: [String: Int]
        let enumSource: String
        let needs: [String: String]
        let needsSource: String
        let optionalFlags: [String]
        let loop: String
        let countedVariants: [LoopVariant]
        let uninitialised: [String]
        let notes: [String]
        let variants: [KernelVariantResult]
        let undocumentedStates: [String]
        let fromError: String?

        init(_ analysis: KernelAnalysis) {
            let tables = analysis.tables
            file = tables.file
            states = tables.states
            values = tables.values
            enumSource = tables.enumSource
            needs = tables.needs.mapValues(\.rendered)
            needsSource = tables.needsSource.rendered
            optionalFlags = tables.optionalFlags
            loop = tables.loop.rendered
            countedVariants = analysis.countedVariants
            uninitialised = tables.uninitialised.map { "[\($0.current)][\($0.requested)]" }
            notes = tables.notes
            variants = analysis.results
            undocumentedStates = analysis.undocumentedStates
            fromError = analysis.fromError
        }
    }

    /// The document of `analysis`, compared with `base` when given.
    public static func render(_ analysis: KernelAnalysis, base: KernelAnalysis?, comparison: KernelComparison?) throws -> String {
        let document = Document(source: Source(analysis), against: base.map(Source.init), changes: comparison?.changes,
                                violated: analysis.violated, regressed: comparison?.regressed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}

extension KernelComparison {
    /// The comparison as JSON members.
    struct Changes: Encodable {
        let addedStates: [String]
        let removedStates: [String]
        let needs: [String]
        let entries: [EntryChange]
        let verdicts: [VerdictChange]
        let paths: [PathChange]
        let loopBefore: String?
        let loopAfter: String?
        let readingVerdicts: [VerdictChange]
    }

    var changes: Changes {
        Changes(addedStates: addedStates, removedStates: removedStates, needs: needs, entries: entries,
                verdicts: verdicts, paths: paths, loopBefore: loopBefore, loopAfter: loopAfter,
                readingVerdicts: readingVerdicts)
    }
}
