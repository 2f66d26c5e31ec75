import ModelLanguage
import PackedSystem

/// The `paths` lines (combination paths of a model's resolver, see `vfio-mc paths`) that differ between two
/// versions of a model. Entries are matched by flag valuation, current and requested state.
public struct PathsComparison: Sendable {
    /// One changed request, as the two versions' entries (typed; rendered only by the diff's text).
    public struct Line: Sendable, Hashable {
        /// The base version's entry, nil when the request is new.
        public let before: CombinationPaths.Entry?
        /// The proposed version's entry, nil when the request is gone.
        public let after: CombinationPaths.Entry?

        /// Creates a changed line.
        public init(before: CombinationPaths.Entry?, after: CombinationPaths.Entry?) {
            self.before = before
            self.after = after
        }

        /// A request that ended (reached or refused) in the base version and no longer ends: the resolver now
        /// loops, which the kernel must never do, so `diff` counts it as a regression.
        public var isRegression: Bool {
            guard let after, case .unending = after.outcome else { return false }
            guard let before else { return true }
            if case .unending = before.outcome { return false }
            return true
        }
    }

    /// The changed requests that regressed (see `Line.isRegression`).
    public var regressions: [Line] { changed.filter(\.isRegression) }

    /// The definition giving the next state.
    public let next: String
    /// The definition telling whether a request is refused.
    public let fails: String
    /// The changed requests, in the base version's order, then new ones.
    public let changed: [Line]
    /// How many requests the base version has.
    public let total: Int

    /// Compares the paths when both versions define `next` and `fails` (each with two parameters of one enum type).
    /// Returns nil when neither does; throws a
    /// `ReviewError` naming the version that lacks them when only one does, or when a definition has the wrong shape.
    public static func compare(base: TransitionSystem, proposed: TransitionSystem, next: String, fails: String,
                               baseName: String, proposedName: String) throws -> PathsComparison? {
        // `paths` needs two parameters of one enum type (current, requested); a definition with another shape (such
        // as a per-device resolver `resolve(d, c, r)`) is not a combination-path resolver.
        func defines(_ system: TransitionSystem) -> Bool {
            [next, fails].allSatisfy { name in
                system.model.definitions.contains { definition in
                    guard definition.name == name, definition.parameterTypes.count == 2,
                          definition.parameterTypes[0] == definition.parameterTypes[1],
                          case .enumeration = definition.parameterTypes[0] else { return false }
                    return true
                }
            }
        }
        switch (defines(base), defines(proposed)) {
        case (false, false): return nil
        case (true, false):
            throw ReviewError(.pathDefinitionsInOneVersion(next: next, fails: fails, baseDefines: true, baseName: baseName,
                                                           proposedName: proposedName))
        case (false, true):
            throw ReviewError(.pathDefinitionsInOneVersion(next: next, fails: fails, baseDefines: false, baseName: baseName,
                                                           proposedName: proposedName))
        case (true, true):
            break
        }
        let before: [CombinationPaths.Entry]
        let after: [CombinationPaths.Entry]
        do {
            before = try CombinationPaths.compute(system: base, next: next, fails: fails)
        } catch {
            throw PathsDefinitionError(message: "\(baseName): \(error)")
        }
        do {
            after = try CombinationPaths.compute(system: proposed, next: next, fails: fails)
        } catch {
            throw PathsDefinitionError(message: "\(proposedName): \(error)")
        }
        func key(_ entry: CombinationPaths.Entry) -> String { entry.flags + "\u{0}" + entry.current + "\u{0}" + entry.requested }
        let afterByKey = Dictionary(after.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let beforeKeys = Set(before.map(key))
        var changed: [Line] = []
        for entry in before {
            let new = afterByKey[key(entry)]
            if new != entry { changed.append(Line(before: entry, after: new)) }
        }
        for entry in after where !beforeKeys.contains(key(entry)) {
            changed.append(Line(before: nil, after: entry))
        }
        return PathsComparison(next: next, fails: fails, changed: changed, total: before.count)
    }
}

/// Definitions that exist with the resolver's parameters but cannot drive it (a `next` that does not return a
/// state, a `fails` that does not return a bool): an error of the command, not a note.
public struct PathsDefinitionError: Error, Sendable, CustomStringConvertible {
    /// The message, naming the version.
    public let message: String
    /// The message.
    public var description: String { message }
}
