import PackedSystem

/// Two versions of the kernel's tables compared: a proposed patch (`after`) against the current kernel
/// (`before`). Table entries, verdicts and combination paths are matched by name, per reading of the loop.
public struct KernelComparison: Sendable {
    /// One table entry that differs; nil on a side where the state pair does not exist.
    public struct EntryChange: Sendable, Hashable, Codable {
        /// The row.
        public let current: String
        /// The column.
        public let requested: String
        /// The entry in the base.
        public let before: String?
        /// The entry in the proposal.
        public let after: String?
    }

    /// One rule whose verdict differs.
    public struct VerdictChange: Sendable, Hashable, Codable {
        /// The reading of the loop.
        public let variant: LoopVariant
        /// The rule's property.
        public let property: String
        /// The verdict in the base.
        public let before: Verdict
        /// The verdict in the proposal.
        public let after: Verdict
        /// Held before and violated now, under a reading that counts for the proposal.
        public let regression: Bool
    }

    /// One request whose path differs; nil on a side where the request does not exist.
    public struct PathChange: Sendable, Hashable, Codable {
        /// The reading of the loop.
        public let variant: LoopVariant
        /// The flag set, `{P2P}`.
        public let flagSet: String
        /// `CUR -> NEW`.
        public let request: String
        /// The path in the base.
        public let before: String?
        /// The path in the proposal.
        public let after: String?
    }

    /// Table entries that differ, in table order.
    public let entries: [EntryChange]
    /// Verdicts that differ under the same reading of the loop.
    public let verdicts: [VerdictChange]
    /// Paths that differ under the same reading of the loop.
    public let paths: [PathChange]
    /// States only the proposal has.
    public let addedStates: [String]
    /// States only the base has.
    public let removedStates: [String]
    /// Supported-state rules that differ, `STATE: before -> after`.
    public let needs: [String]

    /// The loop readings of the two files, when they differ (`the shipped loop ...`, `the posted fix ...`).
    public let loopBefore: String?
    public let loopAfter: String?
    /// When the files show different readings of the loop: the verdicts that differ between the base's reading
    /// and the proposal's (each side's counted reading; `variant` is the proposal's).
    public let readingVerdicts: [VerdictChange]

    /// Whether some rule regressed.
    public var regressed: Bool { verdicts.contains { $0.regression } || readingVerdicts.contains { $0.regression } }

    /// Compares `after` (the proposal) with `before` (the base).
    public init(before: KernelAnalysis, after: KernelAnalysis) {
        let oldStates = before.tables.states
        let newStates = after.tables.states
        addedStates = newStates.filter { !oldStates.contains($0) }
        removedStates = oldStates.filter { !newStates.contains($0) }
        var entries: [EntryChange] = []
        let all = oldStates + addedStates
        for current in all {
            for requested in all {
                let old = before.tables.table[current]?[requested]
                let new = after.tables.table[current]?[requested]
                if old != new { entries.append(EntryChange(current: current, requested: requested, before: old, after: new)) }
            }
        }
        self.entries = entries
        var needs: [String] = []
        for state in all {
            let old = before.tables.needs[state]?.rendered ?? "-"
            let new = after.tables.needs[state]?.rendered ?? "-"
            if old != new { needs.append("\(state): \(old) -> \(new)") }
        }
        self.needs = needs

        var verdicts: [VerdictChange] = []
        var paths: [PathChange] = []
        for variant in LoopVariant.allCases {
            guard let old = before.result(variant), let new = after.result(variant) else { continue }
            for verdict in new.verdicts {
                guard let previous = old.verdicts.first(where: { $0.property == verdict.property }),
                      previous.verdict != verdict.verdict else { continue }
                let regression = previous.verdict == .holds && verdict.verdict == .violated
                    && after.countedVariants.contains(variant)
                verdicts.append(VerdictChange(variant: variant, property: verdict.property, before: previous.verdict,
                                              after: verdict.verdict, regression: regression))
            }
            var oldLines: [String: String] = [:]
            for path in old.paths { oldLines[path.flagSet + " " + path.request] = path.rendered }
            var seen: Set<String> = []
            for path in new.paths {
                let key = path.flagSet + " " + path.request
                seen.insert(key)
                let previous = oldLines[key]
                if previous != path.rendered {
                    paths.append(PathChange(variant: variant, flagSet: path.flagSet, request: path.request,
                                            before: previous, after: path.rendered))
                }
            }
            for path in old.paths where !seen.contains(path.flagSet + " " + path.request) {
                paths.append(PathChange(variant: variant, flagSet: path.flagSet, request: path.request,
                                        before: path.rendered, after: nil))
            }
        }
        self.verdicts = verdicts
        self.paths = paths

        // A proposal that changes the loop: compare each side's counted reading (both, when a side shows neither:
        // then a rule counts as violated when it is under either reading).
        var readingVerdicts: [VerdictChange] = []
        if before.countedVariants != after.countedVariants {
            loopBefore = before.tables.loop.rendered
            loopAfter = after.tables.loop.rendered
            func worst(_ analysis: KernelAnalysis, _ property: String) -> Verdict {
                let verdicts = analysis.countedVariants.compactMap { analysis.result($0)?.verdicts.first { $0.property == property }?.verdict }
                if verdicts.contains(.violated) { return .violated }
                return verdicts.first ?? .unknown
            }
            for (property, _) in KernelModel.rules {
                let old = worst(before, property)
                let new = worst(after, property)
                if old != new {
                    readingVerdicts.append(VerdictChange(variant: after.countedVariants[0], property: property, before: old,
                                                         after: new, regression: old == .holds && new == .violated))
                }
            }
        } else {
            loopBefore = nil
            loopAfter = nil
        }
        self.readingVerdicts = readingVerdicts
    }
}
