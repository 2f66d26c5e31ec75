import ModelLanguage
import Testing

/// Variants in the front end: parsing and printing, the combinations a model spans, pins, and expect lines
/// qualified by a condition on the variants.
@Suite struct VariantTests {
    static let readings = """
        model readings
        type Load = enum { ON_EXIT, AS_WRITTEN, NEVER }
        variant load: Load in { ON_EXIT, AS_WRITTEN }
        variant async: bool
        var n: 0..(if async then 3 else 1) = 0
        action step when n < 1 && load == AS_WRITTEN { n := n + 1 }
        invariant Small: n == 0
        terminal true
        expect Small holds
        expect Small violated when load == AS_WRITTEN
        """

    private func checked(_ text: String, pins: [VariantPin] = []) throws -> CheckedModel {
        switch Frontend.check(SourceFile(name: "test.vmc", text: text), pins: pins) {
        case .success(let model): return model
        case .failure(let errors):
            Issue.record("model does not check:\n\(errors.rendered)")
            throw errors
        }
    }

    private func matrix(_ text: String, pins: [VariantPin] = []) throws -> ModelMatrix {
        switch Frontend.matrix(SourceFile(name: "test.vmc", text: text), pins: pins) {
        case .success(let matrix): return matrix
        case .failure(let errors):
            Issue.record("model does not check:\n\(errors.rendered)")
            throw errors
        }
    }

    @Test func declarationsParseAndPrintBack() throws {
        let text = """
            model m
            type E = enum { A, B }
            variant v: E in { A, B }
            variant w: bool
            combination v = A, w = true
            combination v = B
            var x: bool = false
            action flip when w { x := !x }
            invariant P: !x
            expect P violated when v == A && w
            expect deadlock holds trivially when w
            """
        guard case .success(let syntax) = Frontend.parse(SourceFile(name: "m.vmc", text: text)) else {
            Issue.record("does not parse")
            return
        }
        let printed = ASTPrinter.print(syntax)
        #expect(printed.contains("variant v: E in { A, B }"))
        #expect(printed.contains("variant w: bool\n"))
        #expect(printed.contains("combination v = A, w = true"))
        #expect(printed.contains("expect P violated when v == A && w"))
        #expect(printed.contains("expect deadlock holds trivially when w"))
        guard case .success(let again) = Frontend.parse(SourceFile(name: "again.vmc", text: printed)) else {
            Issue.record("the printed model does not parse:\n\(printed)")
            return
        }
        #expect(ASTPrinter.print(again) == printed)
    }

    @Test func everyCombinationRunsWithoutCombinationLines() throws {
        let model = try checked(Self.readings)
        #expect(model.variants.map(\.name) == ["load", "async"])
        #expect(model.variants[0].values == [0, 1])
        #expect(model.variants[1].values == [0, 1])
        // The first variant varies slowest.
        #expect(model.combinations == [[0, 0], [0, 1], [1, 0], [1, 1]])
        #expect(model.assignment == [0, 0])
        #expect(model.variantAssignment.description == "load=ON_EXIT, async=false")
    }

    @Test func variantsAreConstantsInTypesAndGuards() throws {
        let small = try checked(Self.readings, pins: [VariantPin(name: "async", value: "false")])
        let large = try checked(Self.readings, pins: [VariantPin(name: "async", value: "true")])
        #expect(small.variables[0].elementType == .range(0, 1))
        #expect(large.variables[0].elementType == .range(0, 3))
        // A variant read in a guard is folded to its value like a constant.
        guard case .binary(.and, _, .binary(.equal, .literal(let load, _), .literal(let written, _), _), _) = small.actions[0].guardExpression else {
            Issue.record("unexpected guard \(small.actions[0].guardExpression)")
            return
        }
        #expect(load == 0 && written == 1)
    }

    @Test func constantsDerivedFromAVariantFollowIt() throws {
        let text = """
            model m
            variant wide: bool
            const N = if wide then 4 else 2
            type Slot = 0..N - 1
            var slot: Slot = 0
            action next when slot < N - 1 { slot := slot + 1 }
            terminal true
            """
        let narrow = try checked(text)
        let wide = try checked(text, pins: [VariantPin(name: "wide", value: "true")])
        #expect(narrow.variables[0].elementType == .range(0, 1))
        #expect(wide.variables[0].elementType == .range(0, 3))
        #expect(narrow.constants.map(\.value) == [2] && wide.constants.map(\.value) == [4])
    }

    @Test func pinsRestrictTheCombinations() throws {
        let model = try checked(Self.readings, pins: [VariantPin(name: "load", value: "AS_WRITTEN")])
        #expect(model.combinations == [[1, 0], [1, 1]])
        #expect(model.assignment == [1, 0])
        let both = try checked(Self.readings, pins: [VariantPin(name: "load", value: "AS_WRITTEN"), VariantPin(name: "async", value: "true")])
        #expect(both.combinations == [[1, 1]])
    }

    @Test func combinationLinesListTheMeaningfulOnes() throws {
        let text = """
            model m
            type E = enum { A, B, C }
            variant v: E
            variant w: bool in { true, false }
            combination v = C, w = false
            combination v = A
            combination v = A, w = true
            var x: bool = false
            action flip { x := !x }
            """
        let model = try checked(text)
        // Listed order; a line that names only some variants spans the others (in their listed order); repeats run once.
        #expect(model.combinations == [[2, 0], [0, 1], [0, 0]])
        let matrix = try matrix(text)
        #expect(matrix.combinations.map(\.description) == ["v=C, w=false", "v=A, w=true", "v=A, w=false"])
        // The first runnable combination is the one single-system commands use, even when it is not the default.
        #expect(matrix.first.variantAssignment.description == "v=C, w=false")
        let checkedLast = try #require(try? matrix.check(matrix.combinations[2]).get())
        #expect(checkedLast.assignment == [0, 0])
    }

    @Test func aCombinationThatIsNotListedMayNotCheck() throws {
        // Under the first values (load=ON_EXIT) the initial value is outside its domain, but only AS_WRITTEN is listed.
        let text = """
            model m
            type Load = enum { ON_EXIT, AS_WRITTEN }
            variant load: Load
            combination load = AS_WRITTEN
            var x: 0..(if load == AS_WRITTEN then 2 else 0) = 1
            action step { x := x }
            """
        let matrix = try matrix(text)
        #expect(matrix.combinations.map(\.description) == ["load=AS_WRITTEN"])
        #expect(matrix.first.variables[0].elementType == .range(0, 2))
        // Listing the failing combination reports its error.
        let listed = text.replacingOccurrences(of: "combination load = AS_WRITTEN", with: "combination load = ON_EXIT")
        guard case .failure(let errors) = Frontend.matrix(SourceFile(name: "m.vmc", text: listed)) else {
            Issue.record("a listed combination that does not check was accepted")
            return
        }
        #expect(errors.diagnostics.map(\.headline) == ["m.vmc:5:51: error: value 1 is outside the domain 0..0 of the initial value of 'x'"])
    }

    @Test func qualifiedExpectsApplyPerCombination() throws {
        let matrix = try matrix(Self.readings)
        var expected: [String: ExpectedVerdict] = [:]
        for combination in matrix.combinations {
            let model = try #require(try? matrix.check(combination).get())
            let property = try #require(model.properties.first { $0.name == "Small" })
            expected[combination.description] = property.expected
            #expect(property.explicitlyExpected)
        }
        #expect(expected == [
            "load=ON_EXIT, async=false": .holds, "load=ON_EXIT, async=true": .holds,
            "load=AS_WRITTEN, async=false": .violated, "load=AS_WRITTEN, async=true": .violated,
        ])
    }

    @Test func aQualifiedExpectWithoutAnUnqualifiedOneLeavesTheDefaultElsewhere() throws {
        let text = """
            model m
            variant w: bool
            var x: bool = false
            action flip when w { x := !x }
            invariant P: !x
            expect P violated when w
            """
        let off = try checked(text, pins: [VariantPin(name: "w", value: "false")])
        let on = try checked(text, pins: [VariantPin(name: "w", value: "true")])
        #expect(off.properties[0].expected == .holds && !off.properties[0].explicitlyExpected)
        #expect(on.properties[0].expected == .violated && on.properties[0].explicitlyExpected)
    }

    @Test func aModelWithoutVariantsHasOneEmptyCombination() throws {
        let model = try checked("model m\nvar x: bool = false\naction flip { x := !x }\nexpect deadlock holds when true\n")
        #expect(model.variants.isEmpty)
        #expect(model.combinations == [[]])
        #expect(model.variantAssignment.isEmpty)
        let matrix = try matrix("model m\nvar x: bool = false\naction flip { x := !x }\n")
        #expect(!matrix.hasVariants)
        #expect(matrix.combinations == [VariantAssignment(entries: [])])
    }

    @Test func tooManyCombinationsAreRefused() {
        var text = "model m\n"
        for index in 0..<11 { text += "variant v\(index): bool\n" }
        text += "var x: bool = false\naction flip { x := !x }\n"
        guard case .failure(let errors) = Frontend.check(SourceFile(name: "m.vmc", text: text)) else {
            Issue.record("2048 combinations were accepted")
            return
        }
        #expect(errors.diagnostics.map(\.message) == [
            "the variants give more than 1024 combinations; list the meaningful ones with 'combination'",
        ])
    }

    @Test func expansionStopsAtTheLimit() {
        let domains = Array(repeating: [Int64(0), 1], count: 40)
        let combinations = VariantSpace.expand(domains: domains, lines: [[:]], limit: 5)
        #expect(combinations.count == 5)
    }
}
