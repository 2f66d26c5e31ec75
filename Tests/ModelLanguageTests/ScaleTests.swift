import ModelLanguage
import Testing

/// Large models load through the same checks as small ones. (How loading time grows with the number of actions
/// is measured by Benchmarks/loading.sh in a release build, not here.)
@Suite struct ScaleTests {
    static func manyActions(_ count: Int, duplicateLast: Bool) -> String {
        var text = "model many\nvar x: 0..3 = 0\n"
        for index in 0..<count { text += "action a\(index) when x == \(index % 4) { x := \((index + 1) % 4) }\n" }
        if duplicateLast { text += "action a\(count / 2) when x == 0 { x := 1 }\n" }
        return text
    }

    @Test func twentyThousandActionsCheck() {
        guard case .success(let model) = Frontend.check(SourceFile(name: "many.vmc", text: Self.manyActions(20_000, duplicateLast: false))) else {
            Issue.record("a model of 20,000 distinct actions must check")
            return
        }
        #expect(model.actions.count == 20_000)
    }

    @Test func aDuplicateAmongManyActionsIsFoundOnce() {
        let result = Frontend.check(SourceFile(name: "many.vmc", text: Self.manyActions(20_000, duplicateLast: true)))
        guard case .failure(let errors) = result else {
            Issue.record("a duplicate action name must be an error")
            return
        }
        #expect(errors.diagnostics.map(\.message) == ["duplicate action 'a10000'"])
        #expect(errors.diagnostics.first?.line == 20_003)
    }
}
