import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// Builds a transition system from model text, failing the test with the diagnostics when it does not check.
func buildSystem(_ text: String, overrides: [ConstantOverride] = []) throws -> TransitionSystem {
    let source = SourceFile(name: "test.vmc", text: text)
    switch Frontend.check(source, overrides: overrides) {
    case .failure(let errors):
        Issue.record("model does not check:\n\(errors.rendered)")
        throw errors
    case .success(let model):
        switch SystemBuilder.build(model) {
        case .failure(let errors):
            Issue.record("model does not lower:\n\(errors.rendered)")
            throw errors
        case .success(let system): return system
        }
    }
}

/// Explores model text and returns the result.
func explore(_ text: String, options: ExplorerOptions = ExplorerOptions(), overrides: [ConstantOverride] = []) throws -> CheckResult {
    ExplicitExplorer(system: try buildSystem(text, overrides: overrides), options: options, file: "test.vmc").check()
}

extension CheckResult {
    /// The result of the named property.
    func property(_ name: String) throws -> PropertyResult {
        try #require(properties.first { $0.name == name }, "no property \(name)")
    }
}
