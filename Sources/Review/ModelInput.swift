import Foundation
import ModelLanguage
import PackedSystem

/// Where a model's text comes from: a file, or a file as of a git revision.
public enum ModelInput: Sendable, Hashable {
    /// A model file in the file system.
    case file(String)
    /// A model file as it was at a git revision (`git show REV:PATH`).
    case revision(path: String, revision: String)
    /// Model text held in memory (a patched copy, a test's model), named `name` in messages.
    case text(name: String, text: String)

    /// How the model is named in output: the path, or `PATH@REV`.
    public var displayName: String {
        switch self {
        case .file(let path): return path
        case .revision(let path, let revision): return "\(path)@\(revision)"
        case .text(let name, _): return name
        }
    }

    /// The source of a model file; an unreadable file is a `ReviewError` saying why.
    static func source(ofFile path: String) throws -> SourceFile {
        do {
            return try Frontend.load(path: path)
        } catch {
            throw ReviewError.unreadable(error)
        }
    }

    /// The model's text.
    public func text() throws -> String {
        switch self {
        case .file(let path):
            return String(decoding: try Self.source(ofFile: path).bytes, as: UTF8.self)
        case .revision(let path, let revision):
            return try GitRevision.show(path: path, revision: revision)
        case .text(_, let text):
            return text
        }
    }
}

/// Loading a model (checking and lowering it) from a file, a git revision or text.
public enum ModelLoader {
    /// Loads a model; diagnostics and unreadable files become a `ReviewError`, and so does a `budget` that runs out
    /// while grounding (its `stopReason` set: exit 3, as `check`).
    public static func load(_ input: ModelInput, overrides: [ConstantOverride] = [],
                            budget: BuildBudget = BuildBudget()) throws -> TransitionSystem {
        switch input {
        case .file(let path):
            return try build(try ModelInput.source(ofFile: path), overrides: overrides, budget: budget)
        case .revision, .text:
            return try load(text: try input.text(), name: input.displayName, overrides: overrides, budget: budget)
        }
    }

    /// Every runnable combination of a model's variants, checked and lowered under `budget`, in order; a model
    /// without variants gives one pair with an empty assignment. The model is parsed once.
    public static func loadCombinations(_ input: ModelInput, overrides: [ConstantOverride] = [], pins: [VariantPin] = [],
                                        budget: BuildBudget = BuildBudget())
        throws -> [(assignment: VariantAssignment, system: TransitionSystem)] {
        let matrix = try self.matrix(input, overrides: overrides, pins: pins)
        let source = matrix.source
        return try matrix.combinations.map { combination in
            switch matrix.check(combination).flatMap({ SystemBuilder.build($0, budget: budget) }) {
            case .failure(let errors):
                // The combination heading only where there are combinations, as `check` prints it (a model without
                // variants got `FILE: in combination :` before).
                let error = ReviewError.model(errors)
                throw matrix.hasVariants ? error.inCombination(combination, of: source.name) : error
            case .success(let system): return (combination, system)
            }
        }
    }

    /// The model's source, parsed once with its combinations found; diagnostics and unreadable files become a
    /// `ReviewError`.
    public static func matrix(_ input: ModelInput, overrides: [ConstantOverride] = [], pins: [VariantPin] = []) throws -> ModelMatrix {
        let source: SourceFile
        if case .file(let path) = input {
            source = try ModelInput.source(ofFile: path)
        } else {
            source = SourceFile(name: input.displayName, text: try input.text())
        }
        switch Frontend.matrix(source, overrides: overrides, pins: pins) {
        case .failure(let errors): throw ReviewError.model(errors)
        case .success(let value): return value
        }
    }

    /// Loads a model from its text; `name` is the file name diagnostics show.
    public static func load(text: String, name: String, overrides: [ConstantOverride] = [],
                            budget: BuildBudget = BuildBudget()) throws -> TransitionSystem {
        try build(SourceFile(name: name, text: text), overrides: overrides, budget: budget)
    }

    /// Reads, checks and lowers one model file (`-`: standard input), keeping the failure's parts apart: each
    /// diagnostic rendered on its own (for JSON and JUnit), or the one message of an unreadable file.
    public static func loadFile(_ path: String, overrides: [ConstantOverride],
                                budget: BuildBudget = BuildBudget()) -> Result<TransitionSystem, LoadFailure> {
        do {
            return system(try Frontend.load(path: path), overrides: overrides, budget: budget).mapError {
                LoadFailure(file: path, errors: $0)
            }
        } catch {
            return .failure(LoadFailure(file: path, problems: [.unreadable(error as? FileProblem ?? FileProblem(message: "\(error)"))]))
        }
    }

    /// The one path from source to system: check, then lower. A model with variants is taken under its first
    /// runnable combination (`check` runs them all).
    public static func system(_ source: SourceFile, overrides: [ConstantOverride],
                              budget: BuildBudget = BuildBudget()) -> Result<TransitionSystem, ModelErrors> {
        Frontend.matrix(source, overrides: overrides).map(\.first).flatMap { SystemBuilder.build($0, budget: budget) }
    }

    private static func build(_ source: SourceFile, overrides: [ConstantOverride], budget: BuildBudget) throws -> TransitionSystem {
        switch system(source, overrides: overrides, budget: budget) {
        case .failure(let errors): throw ReviewError.model(errors)
        case .success(let system): return system
        }
    }
}
