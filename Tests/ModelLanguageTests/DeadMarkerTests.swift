import ModelLanguage
import Testing

/// `expect dead ACTION [when C]` (issue 13, item 3): parsing, printing, and which combinations it marks. The
/// errors (unknown action, a property's name, duplicates, a condition on state) are in the malformed corpus
/// (`expect-dead-errors.vmc`).
@Suite struct DeadMarkerTests {
    static let model = """
        model m
        type E = enum { A, B }
        variant v: E
        var x: bool = false
        var dead: bool = false
        action flip { x := !x }
        action fallback when dead { dead := false }
        action rare when v == B && x { x := false }
        invariant P: !dead
        invariant dead2: true
        expect dead fallback
        expect dead rare when v == A
        expect dead2 holds trivially
        """

    private func checked(_ text: String, pins: [VariantPin] = []) throws -> CheckedModel {
        switch Frontend.check(SourceFile(name: "test.vmc", text: text), pins: pins) {
        case .success(let model): return model
        case .failure(let errors):
            Issue.record("model does not check:\n\(errors.rendered)")
            throw errors
        }
    }

    @Test func parsesAndPrintsBack() throws {
        guard case .success(let syntax) = Frontend.parse(SourceFile(name: "m.vmc", text: Self.model)) else {
            Issue.record("does not parse")
            return
        }
        let printed = ASTPrinter.print(syntax)
        #expect(printed.contains("expect dead fallback\n"))
        #expect(printed.contains("expect dead rare when v == A\n"))
        // `dead` followed by a verdict is a property named `dead...`, not the marker.
        #expect(printed.contains("expect dead2 holds trivially\n"))
        guard case .success(let again) = Frontend.parse(SourceFile(name: "again.vmc", text: printed)) else {
            Issue.record("the printed model does not parse:\n\(printed)")
            return
        }
        #expect(ASTPrinter.print(again) == printed)
    }

    @Test func aVariableOrPropertyNamedDeadStillWorks() throws {
        let model = try checked("""
            model m
            var gone: bool = false
            action kill when !gone { gone := true }
            invariant dead: !gone
            reachable dead_reached: gone
            expect dead violated
            expect dead_reached reachable
            """)
        // `expect dead violated`: `dead` is followed by a verdict, so it names the property.
        #expect(model.properties.first { $0.name == "dead" }?.expected == .violated)
        #expect(model.actions.allSatisfy { !$0.meantDead })
    }

    @Test func marksApplyPerCombination() throws {
        func marked(_ value: String) throws -> [String] {
            try checked(Self.model, pins: [VariantPin(name: "v", value: value)]).actions.filter(\.meantDead).map(\.name)
        }
        #expect(try marked("A") == ["fallback", "rare"])
        #expect(try marked("B") == ["fallback"])
    }
}
