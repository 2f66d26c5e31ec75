import Foundation
import ModelLanguage
import Testing

/// The `trivial` sanity rule: properties that hold by construction, decided without reachability.
@Suite struct TrivialityTests {
    private func trivial(_ text: String) throws -> [String: String] {
        switch Frontend.check(SourceFile(name: "t.vmc", text: text)) {
        case .success(let model): return Triviality.trivialProperties(model)
        case .failure(let errors):
            Issue.record("model does not check:\n\(errors.rendered)")
            throw errors
        }
    }

    @Test func anAssertionItsGuardImpliesIsTrivial() throws {
        let found = try trivial("""
            model m
            var x: 0..3 = 0
            action up when x < 3 {
              assert Below: x < 3
              assert Small: x < 2
              x := x + 1
            }
            action nested when x > 0 {
              if x > 1 { assert Deep: x > 0 }
            }
            terminal true
            """)
        #expect(found == ["Below": "its action's guard implies it"])
    }

    @Test func anInvariantOverUnchangedVariablesIsTrivial() throws {
        let found = try trivial("""
            model m
            var fixed: bool = false
            var x: 0..3 = 0
            action up when x < 3 { x := x + 1 }
            invariant NeverSet: !fixed
            invariant Bounded: x <= 3
            invariant Tight: x <= 2
            invariant Mixed: !fixed || x == 0
            terminal true
            """)
        #expect(found == [
            "NeverSet": "it reads only fixed, which no action changes",
            "Bounded": "every value of x satisfies it: the domains imply it",
        ])
    }

    @Test func definitionsAndParametersAreFollowed() throws {
        let found = try trivial("""
            model m
            type Dev = 0..2
            var st: [Dev] bool = false
            def on(d: Dev) = st[d]
            action stop(d: Dev) when on(d) {
              assert StillOn: st[d]
              st[d] := false
            }
            action start(d: Dev) when !on(d) {
              assert OtherOff: !st[(d + 1) % 3]
              st[d] := true
            }
            terminal true
            """)
        #expect(found == ["StillOn": "its action's guard implies it"])
    }

    @Test func tooManyValuationsAreNotDecided() throws {
        let found = try trivial("""
            model m
            type I = 0..19
            var a: [I] bool = false
            action set(i: I) { a[i] := true }
            invariant Tautology: forall i: I. a[i] || !a[i]
            terminal true
            """)
        #expect(found.isEmpty)
    }

    @Test func theLibraryIrqAssertionIsFlagged() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Models/set-irqs.vmc"), encoding: .utf8)
        let found = try trivial(text)
        // Issue 13: "IrqOnlyWhileRunning in set-irqs.vmc asserts exactly what its action's guard already requires."
        #expect(found["IrqOnlyWhileRunning"] == "its action's guard implies it")
    }
}
