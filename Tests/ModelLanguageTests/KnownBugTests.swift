import ModelLanguage
import TestSupport
import Testing

/// Regression tests for front-end bugs found while writing the corpus (all fixed), each with the intended behaviour.
/// fixed; enabling one before its fix crashes the test process (traps) or abandons a busy thread (hangs).
/// The malformed corpus has more (see `Corpus.knownBugs`).
@Suite struct KnownBugTests {
    private func headlines(_ text: String, overrides: [ConstantOverride] = []) -> [String]? {
        let source = SourceFile(name: "bug.vmc", text: text)
        guard let result = runWithDeadline(seconds: 5, { Frontend.check(source, overrides: overrides) }) else {
            Issue.record("check did not finish within 5 s")
            return nil
        }
        switch result {
        case .success: return []
        case .failure(let errors): return errors.diagnostics.map(\.headline)
        }
    }

    /// `assert [NAME:] C [: "message"]` is ambiguous for `assert ok : "m"`; the parser takes `ok` as the name and
    /// then fails on the string ("expected an expression, found a string"). A string after `NAME :` means NAME
    /// was the condition.
    @Test
    func assertionWithBareConditionAndMessage() throws {
        let source = SourceFile(name: "bug.vmc", text: "model m\nvar ok: bool = true\naction a { assert ok : \"must be ok\" }\n")
        guard case .success(let model) = Frontend.check(source) else {
            Issue.record("does not check")
            return
        }
        #expect(model.properties.contains { $0.kind == .assertion && $0.message == "must be ok" })
    }

    /// The product is exactly Int64.min, which does not overflow; `abs` in the range check then traps.
    @Test
    func constantAtInt64MinIsRejected() {
        #expect(headlines("model m\nconst C = (0 - 2147483647 - 1) * (2147483647 + 1) * 2\n")
            == ["bug.vmc:2:11: error: constant value -9223372036854775808 is outside ±2147483647"])
    }

    @Test
    func overrideAtInt64MinIsRejected() {
        #expect(headlines("model m\nconst N = 2\n", overrides: [ConstantOverride(name: "N", value: "-9223372036854775808")])
            == ["bug.vmc:2:7: error: --const N=-9223372036854775808: the value must be an integer within ±2147483647, true or false"])
    }

    /// A `const` with this value is rejected ("arithmetic overflow in constant expression"), but as an assigned
    /// value the failed evaluation is ignored and the product wraps to 0 at run time: no error, no `bounds`
    /// violation, x becomes 0.
    @Test
    func overflowingConstantAssignmentIsRejected() {
        #expect(headlines("model m\nvar x: 0..3 = 0\naction f { x := 65536 * 65536 * 65536 * 65536 }\n")
            == ["bug.vmc:3:17: error: arithmetic overflow in constant expression"])
    }

    /// `FiniteType.values` builds an array of every value (16 GB here) before the evaluator's budget is checked.
    @Test
    func quantifierOverAHugeRangeInAConstantIsRejected() {
        #expect(headlines("model m\nconst C = count i: 0..2000000000. true\n")
            == ["bug.vmc:2:11: error: constant expression too large to evaluate"])
    }

    /// Each diagnostic is deduplicated by a linear search and positioned by scanning its line: quadratic.
    /// 10,000 stray characters take about 7 s in a debug build, 100,000 do not finish in minutes.
    @Test
    func manyStrayCharactersFinishQuickly() {
        let result = headlines("model m\n" + String(repeating: "@", count: 100_000) + "\n")
        #expect(result?.first == "bug.vmc:2:1: error: unexpected character '@'")
    }
}
