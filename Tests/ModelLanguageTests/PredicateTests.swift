import ModelLanguage
import Testing

/// Expressions written outside a model (`replay --start`), parsed and checked in the model's scope without touching
/// its text: diagnostics point into the expression's own text.
@Suite struct PredicateTests {
    static let model = """
        model counters
        type Phase = enum { IDLE, BUSY }
        variant wide: bool
        const LIMIT = 2
        var n: 0..(if wide then 5 else LIMIT) = 0
        var phase: Phase = IDLE
        def busy(): bool = phase == BUSY
        action step when n < LIMIT { n := n + 1 }
        terminal true
        """

    private func check(_ predicate: String, combination index: Int = 0) throws -> Result<CheckedPredicate, ModelErrors> {
        let matrix = try Frontend.matrix(SourceFile(name: "test.vmc", text: Self.model)).get()
        return matrix.checkPredicate(SourceFile(name: "--start", text: predicate), under: matrix.combinations[index])
    }

    private func headlines(_ result: Result<CheckedPredicate, ModelErrors>) -> [String] {
        if case .failure(let errors) = result { return errors.diagnostics.map(\.headline) }
        return []
    }

    @Test func checksAgainstEveryDeclarationOfTheModel() throws {
        for combination in 0..<2 {
            let result = try check("busy() && n == LIMIT || phase == IDLE && wide", combination: combination)
            #expect(headlines(result) == [])
            if case .success(let checked) = result { #expect(checked.expression.type == .bool) }
        }
    }

    @Test func syntaxErrorsPointIntoThePredicate() throws {
        #expect(headlines(try check("n == ")) == ["--start:1:6: error: expected an expression, found end of file"])
        #expect(headlines(try check("n == 1 1")) == ["--start:1:8: error: expected the end of the expression, found '1'"])
        #expect(headlines(try check("")) == ["--start:1:1: error: expected an expression, found end of file"])
    }

    @Test func typeErrorsPointIntoThePredicate() throws {
        #expect(headlines(try check("n")) == ["--start:1:1: error: type mismatch: the expression must be bool, found integer"])
        #expect(headlines(try check("n == 0 && nope")) == ["--start:1:11: error: unknown name 'nope'"])
        #expect(headlines(try check("phase == 1")).count == 1)
        #expect(headlines(try check("phase == 1")).first?.hasPrefix("--start:1:10: error: type mismatch") == true)
    }
}
