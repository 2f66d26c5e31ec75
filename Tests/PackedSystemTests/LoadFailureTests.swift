import ModelLanguage
import PackedSystem
import Testing

/// A load failure carries typed problems and renders them in one place, under the name the output shows for the
/// file: renaming touches the file's name only, never text that merely contains it.
@Suite struct LoadFailureTests {
    static let path = "/work/x/Models/a.vmc"
    static let failure = LoadFailure(file: path, problems: [
        .combination(file: path, VariantAssignment(entries: [(name: "wide", value: "true")])),
        .diagnostic(Diagnostic(file: path, line: 2, column: 5, message: "unknown name '/work/x/Models/a.vmc'", sourceLine: "var x")),
        .unreadable(FileProblem(path: path, reason: "cannot open: No such file or directory")),
        .unreadable(FileProblem(message: "something else")),
    ], stopReason: nil)

    @Test func rendersUnderTheLoadedName() {
        #expect(Self.failure.messages == [
            "\(Self.path): in combination wide=true:",
            "\(Self.path):2:5: error: unknown name '\(Self.path)'\nvar x\n    ^",
            "error: \(Self.path): cannot open: No such file or directory",
            "error: something else",
        ])
    }

    @Test func rendersUnderTheShownName() {
        let shown = Self.failure.shown(as: "Models/a.vmc")
        #expect(shown.file == "Models/a.vmc")
        #expect(shown.messages == [
            "Models/a.vmc: in combination wide=true:",
            "Models/a.vmc:2:5: error: unknown name '\(Self.path)'\nvar x\n    ^",
            "error: Models/a.vmc: cannot open: No such file or directory",
            "error: something else",
        ])
    }
}
