import ModelLanguage
import PackedSystem

/// One property compared across two versions of a model, matched by name.
public struct PropertyChange: Sendable {
    /// How the property changed.
    public enum Status: String, Sendable {
        /// Same verdict, same expectation.
        case unchanged = ""
        /// It held or met its expectation before and now fails (or is gone): the diff exits 1.
        case regression = "REGRESSION"
        /// It did not meet its expectation before and does now.
        case fixed = "fixed"
        /// The verdict or the expectation changed in another way.
        case changed = "changed"
        /// Only in the proposed version.
        case new = "new"
        /// Only in the base version (and it neither held nor met its expectation there).
        case removed = "removed"
        /// A verdict is missing on one side (a budget ran out).
        case unknown = "unknown"
    }

    /// The property's name.
    public let name: String
    /// The result in the base version.
    public let before: PropertyResult?
    /// The result in the proposed version.
    public let after: PropertyResult?

    /// Creates a comparison.
    public init(name: String, before: PropertyResult?, after: PropertyResult?) {
        self.name = name
        self.before = before
        self.after = after
    }

    /// The property's kind (as in the proposed version when it exists there).
    public var kind: CheckedPropertyKind? { after?.kind ?? before?.kind }

    /// Whether this is a regression: the property held (verdict `holds`) or met its expectation in the base
    /// version, and in the proposed version it is missing, is violated although it held, or no longer meets its
    /// (possibly updated) expectation. A held property that is now violated counts even when the proposal also
    /// changed its `expect` line: a reviewer wants to see it.
    public var isRegression: Bool {
        guard let before else { return false }
        let heldOrMet = before.verdict == .holds || before.meetsExpectation
        guard heldOrMet else { return false }
        guard let after else { return true }
        if after.verdict == .unknown { return false }
        if before.verdict == .holds && after.verdict == .violated { return true }
        return before.meetsExpectation && !after.meetsExpectation
    }

    /// The status shown in the table.
    public var status: Status {
        if isRegression { return .regression }
        guard let before else { return .new }
        guard let after else { return .removed }
        if before.verdict == .unknown || after.verdict == .unknown { return .unknown }
        if !before.meetsExpectation && after.meetsExpectation { return .fixed }
        if before.verdict != after.verdict || before.expected != after.expected { return .changed }
        return .unchanged
    }

    /// The proposed version's counterexample (or witness) when one appears: the property is violated (or the goal
    /// reachable) now and was not before.
    public var newTrace: Trace? {
        guard let after, let trace = after.trace else { return nil }
        switch after.verdict {
        case .violated, .reachable:
            return before?.verdict == after.verdict ? nil : trace
        default:
            return nil
        }
    }
}

/// Matching the properties of two check results by name.
public enum PropertyComparison {
    /// The base version's properties in order, then the ones only the proposed version has, in its order.
    public static func compare(base: CheckResult, proposed: CheckResult) -> [PropertyChange] {
        var afterByName: [String: PropertyResult] = [:]
        for property in proposed.properties where afterByName[property.name] == nil { afterByName[property.name] = property }
        var seen: Set<String> = []
        var changes: [PropertyChange] = []
        for property in base.properties where seen.insert(property.name).inserted {
            changes.append(PropertyChange(name: property.name, before: property, after: afterByName[property.name]))
        }
        for property in proposed.properties where seen.insert(property.name).inserted {
            changes.append(PropertyChange(name: property.name, before: nil, after: property))
        }
        return changes
    }
}
