import Analysis
import Explorer
import PackedSystem

/// Two versions of a model compared: verdicts, new counterexamples, per-device automata and combination paths.
/// `exitCode` is its exit status; `DiffTextRenderer` (Reports) writes the text `vfio-mc diff` prints.
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
    /// Why the paths were not compared although one version defines them (rendered by the diff's renderer).
    public let pathsNote: ReviewError?
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
            // `compare` throws only these two; anything else would be shown as an error in its own words.
            pathsNote = error as? ReviewError ?? ReviewError.failure("\(error)")
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
}
