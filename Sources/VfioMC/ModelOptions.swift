import ArgumentParser
import ModelLanguage
import Review

/// Options shared by the commands that load models.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("const"), help: ArgumentHelp("Override a constant: NAME=VALUE (repeatable).", valueName: "NAME=VALUE"))
    var constants: [String] = []

    func validate() throws { _ = try overrides() }

    /// The parsed overrides (an empty value is passed on: the type checker says why it is not a value).
    func overrides() throws -> [ConstantOverride] {
        try constants.map { text in
            let pair = try NameValue.parse(text, option: "--const", allowEmptyValue: true)
            return ConstantOverride(name: pair.name, value: pair.value)
        }
    }
}

/// `--variant NAME=VALUE`, shared by the commands that run a model's variant combinations (`check`, `replay`).
struct VariantOptions: ParsableArguments {
    @Option(name: .customLong("variant"),
            help: ArgumentHelp("Pin a variant to one of its values: NAME=VALUE (repeatable); the other variants range over theirs.",
                               valueName: "NAME=VALUE"))
    var variants: [String] = []

    func validate() throws { _ = try pins() }

    /// The parsed pins.
    func pins() throws -> [VariantPin] {
        try variants.map { text in
            let pair = try NameValue.parse(text, option: "--variant")
            return VariantPin(name: pair.name, value: pair.value)
        }
    }
}

/// `--next` and `--fails`: the definitions a combination path is computed with (`paths`, `diff`).
struct PathDefinitionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The definition giving the next state of a combination path.", valueName: "NAME"))
    var next = "resolve"

    @Option(help: ArgumentHelp("The definition telling whether a request is refused.", valueName: "NAME"))
    var fails = "einval"

    /// The two definitions.
    var definitions: ModelDiff.PathDefinitions { ModelDiff.PathDefinitions(next: next, fails: fails) }
}

/// `NAME=VALUE` arguments (`--const`, `--variant`, `--map`), all refused with one message shape:
/// `OPTION expects NAME=VALUE, got 'TEXT'`.
enum NameValue {
    /// Splits `text` at its first `=` (at its last with `atLast`, for names that may contain one). The name must
    /// not be empty; the value must not be either unless `allowEmptyValue`.
    static func parse(_ text: String, option: String, valueName: String = "VALUE", atLast: Bool = false,
                      allowEmptyValue: Bool = false) throws -> (name: String, value: String) {
        let found = atLast ? text.lastIndex(of: "=") : text.firstIndex(of: "=")
        guard let equals = found, equals != text.startIndex, allowEmptyValue || text.index(after: equals) != text.endIndex else {
            throw ValidationError("\(option) expects NAME=\(valueName), got '\(text)'")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
}
