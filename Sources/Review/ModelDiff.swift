import Analysis
import Explorer
import PackedSystem
import Reports

/// Two versions of a model compared: verdicts, new counterexamples, per-device automata and combination paths.
/// `render()` is the text `vfio-mc diff` prints; `exitCode` its exit status.
public struct ModelDiff: Sendable {
    /// The base version (before the proposed change).
    public let base: ModelAnalysis
    /// The proposed version.
    public let proposed: ModelAnalysis
    /// Every property, matched by name.
    public let properties: [PropertyChange]
    /// The devices whose projected automaton changed.
    public let devices: [DeviceAutomatonChange]
    /// The changed combination paths, when both versions define the definitions.
    public let paths: PathsComparison?
    /// Why the paths were not compared although one version defines them.
    public let pathsNote: String?
    /// The paths' definitions exist but cannot drive the resolver (wrong result types): exit 2.
    public let pathsError: String?
    /// The definitions the paths were computed with.
    public let definitions: PathDefinitions

    /// The definitions `paths` uses (`resolve` and `einval` by default).
    public struct PathDefinitions: Sendable {
        /// The next-state definition.
        public var next: String
        /// The refusal definition.
        public var fails: String

        /// Creates the pair.
        public init(next: String = "resolve", fails: String = "einval") {
            self.next = next
            self.fails = fails
        }
    }

    /// Checks and compares two loaded versions.
    public init(base: TransitionSystem, baseName: String, proposed: TransitionSystem, proposedName: String,
                options: ExplorerOptions = ExplorerOptions(), paths definitions: PathDefinitions = PathDefinitions()) {
        self.init(base: ModelAnalysis(system: base, name: baseName, options: options),
                  proposed: ModelAnalysis(system: proposed, name: proposedName, options: options), paths: definitions)
    }

    /// Compares two analysed versions.
    public init(base: ModelAnalysis, proposed: ModelAnalysis, paths definitions: PathDefinitions = PathDefinitions()) {
        self.base = base
        self.proposed = proposed
        properties = PropertyComparison.compare(base: base.result, proposed: proposed.result)
        devices = AutomatonComparison.compare(base: base, proposed: proposed)
        self.definitions = definitions
        var problem: String?
        do {
            paths = try PathsComparison.compare(base: base.system, proposed: proposed.system, next: definitions.next,
                                                fails: definitions.fails, baseName: base.name, proposedName: proposed.name)
            pathsNote = nil
        } catch let error as PathsDefinitionError {
            paths = nil
            pathsNote = nil
            problem = error.message
        } catch {
            paths = nil
            pathsNote = "\(error)"
        }
        pathsError = problem
    }

    /// The properties that regressed (see `PropertyChange.isRegression`).
    public var regressions: [PropertyChange] { properties.filter(\.isRegression) }

    /// 2 when the path definitions have the wrong types; 1 when some property regressed or a combination path
    /// no longer ends; otherwise 3 when a verdict is missing on either side (a budget ran out, as for `check`);
    /// otherwise 0.
    public var exitCode: Int32 {
        if pathsError != nil { return 2 }
        if !regressions.isEmpty || !(paths?.regressions.isEmpty ?? true) { return 1 }
        if base.result.hasUnknown || proposed.result.hasUnknown { return 3 }
        return 0
    }

    /// The report: the two versions' statistics, the property table, the changed device automata, the changed
    /// combination paths, the new counterexamples (and witnesses), and a result line.
    public func render() -> String {
        var lines: [String] = []
        lines.append("base:     " + Self.summary(base))
        lines.append("proposed: " + Self.summary(proposed))
        for analysis in [base, proposed] where !analysis.result.statistics.complete {
            lines.append("  (\(analysis.name): search stopped early, \(analysis.result.statistics.stopReason?.description ?? "budget"); "
                         + "verdicts may be missing and the automata are partial)")
        }
        lines.append("")
        lines += propertySection()
        lines.append("")
        lines += deviceSection()
        lines.append("")
        lines += pathsSection()
        for change in properties {
            guard let trace = change.newTrace, let after = change.after else { continue }
            lines.append("")
            let what = after.verdict == .reachable ? "New witness" : "New counterexample"
            let shape = trace.loopStart != nil ? "lasso" : "\(trace.length) step\(trace.length == 1 ? "" : "s")"
            lines.append("\(what) for \(change.name) (\(after.kind.rawValue), \(shape)), in the proposed model:")
            lines += TextRenderer().renderTrace(trace, cellNames: proposed.result.cellNames)
            if let note = after.note { lines.append("  (\(note))") }
        }
        lines.append("")
        lines.append(conclusion())
        return lines.joined(separator: "\n") + "\n"
    }

    static func summary(_ analysis: ModelAnalysis) -> String {
        let statistics = analysis.result.statistics
        return "\(analysis.name) (model \(analysis.result.model)): \(statistics.states) states, "
            + "\(statistics.transitions) transitions, depth \(statistics.depth)"
    }

    private func propertySection() -> [String] {
        let regressionCount = regressions.count
        let unchanged = properties.filter { $0.status == .unchanged }.count
        var heading = "Properties: \(properties.count - unchanged) changed, \(unchanged) unchanged"
        if regressionCount > 0 { heading += ", \(regressionCount) regression\(regressionCount == 1 ? "" : "s")" }
        var rows = [["property", "kind", "expected", "before", "after", "change"]]
        func verdict(_ result: PropertyResult?) -> String {
            guard let result else { return "-" }
            if result.verdict == .unknown { return "unknown" }
            return result.verdict.rawValue + (result.meetsExpectation ? " (ok)" : " (FAIL)")
        }
        for change in properties {
            let expectedBefore = change.before?.expected.rawValue
            let expectedAfter = change.after?.expected.rawValue
            let expected: String
            switch (expectedBefore, expectedAfter) {
            case (let b?, let a?) where a == b: expected = a
            case (let b?, let a?): expected = "\(b) -> \(a)"
            case (let b?, nil): expected = b
            case (nil, let a?): expected = a
            case (nil, nil): expected = "-"
            }
            rows.append([change.name, change.kind?.rawValue ?? "-", expected, verdict(change.before), verdict(change.after),
                         change.status.rawValue])
        }
        return [heading] + Markup.alignedColumns(rows)
    }

    private func deviceSection() -> [String] {
        let variables = Set(base.projection.stateVariables.map(\.name)).union(proposed.projection.stateVariables.map(\.name))
        if variables.isEmpty {
            return ["Device states: no device state variable in either version (see docs/reports.md, the projection heuristic)."]
        }
        if devices.isEmpty {
            return ["Device states: no state or arc of any device became reachable or unreachable."]
        }
        var lines = ["Device states: the projected automata (docs/reports.md) that changed"]
        for change in devices {
            lines.append("  \(change.title):")
            lines += change.lines.map { "    " + $0 }
        }
        return lines
    }

    private func pathsSection() -> [String] {
        if let pathsError { return ["Combination paths: error: \(pathsError)"] }
        if let pathsNote { return ["Combination paths: not compared: \(pathsNote)"] }
        guard let paths else {
            return ["Combination paths: neither version defines \(definitions.next)(current, requested) and "
                    + "\(definitions.fails)(current, requested) over one enum type."]
        }
        let header = "Combination paths (\(paths.next), \(paths.fails)): "
        if paths.changed.isEmpty { return [header + "all \(paths.total) lines unchanged"] }
        var lines = [header + "\(paths.changed.count) of \(paths.total) lines changed"]
        for line in paths.changed {
            if let before = line.before { lines.append("  - " + before.line) }
            if let after = line.after { lines.append("  + " + after.line + (line.isRegression ? "   REGRESSION: the resolver no longer ends" : "")) }
        }
        return lines
    }

    private func conclusion() -> String {
        if pathsError != nil { return "Result: error: the combination-path definitions are of the wrong type" }
        let regressed = regressions
        let unending = paths?.regressions ?? []
        if !regressed.isEmpty || !unending.isEmpty {
            var names = regressed.map { change -> String in
                guard let after = change.after else { return "\(change.name) (removed)" }
                guard let before = change.before else { return change.name }
                return "\(change.name) (\(before.verdict.rawValue), now \(after.verdict.rawValue))"
            }
            if !unending.isEmpty {
                names.append("\(unending.count) combination path\(unending.count == 1 ? "" : "s") no longer end\(unending.count == 1 ? "s" : "")")
            }
            let count = regressed.count + unending.count
            return "Result: \(count) regression\(count == 1 ? "" : "s"): " + names.joined(separator: ", ")
        }
        if exitCode == 3 { return "Result: no regression found, but some verdicts are missing (a budget ran out)" }
        return "Result: no regression"
    }
}
