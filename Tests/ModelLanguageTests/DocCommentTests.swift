import ModelLanguage
import Testing

/// Doc comments (`///`): kept by the lexer, attached by the parser to what follows, kept in the checked model with
/// their tags and quotes; plain comments are still ignored; odd placements are errors (the malformed corpus has the
/// messages with positions).
@Suite struct DocCommentTests {
    static let documented = """
        /// A toy model.
        ///
        /// Second paragraph,
        /// on two lines.
        /// dispute: D2, D3
        // a plain comment between is fine
        model toy

        type R = enum { A, B }
        /// The readings.
        /// point: P1
        variant r: R
        var x: 0..3 = 0
        //// four slashes: a plain comment
        action inc when x < 3 {
          /// The bound holds before each step.
          /// quote: The bound {Small} and under A it {Small: r=A}.
          assert Small: x < 3
          x := x + 1
        }
        action other when x == 3 {
          /// Documented twice.
          /// dispute: D4
          assert Small: x < 4
        }
        /// Never above three.

        /// dispute: D1
        invariant Inv: x <= 3
        // not a doc comment
        reachable Top: x == 3
        expect Small violated
        """

    private func checked(_ text: String) throws -> CheckedModel {
        switch Frontend.check(SourceFile(name: "test.vmc", text: text)) {
        case .success(let model): return model
        case .failure(let errors):
            Issue.record("model does not check:\n\(errors.rendered)")
            throw errors
        }
    }

    @Test func commentsAttachToWhatFollows() throws {
        let model = try checked(Self.documented)
        let docs = model.documentation
        let modelDoc = try #require(docs.model)
        #expect(modelDoc.paragraphs == ["A toy model.", "Second paragraph, on two lines."])
        #expect(modelDoc.disputes == ["D2", "D3"])
        #expect(modelDoc.summary == "A toy model.")
        #expect(docs.variants["r"]?.points == ["P1"])
        #expect(docs.variants["r"]?.paragraphs == ["The readings."])
        // A blank line between the comment and its declaration does not separate them.
        #expect(docs.properties["Inv"]?.paragraphs == ["Never above three."])
        #expect(docs.properties["Inv"]?.disputes == ["D1"])
        #expect(docs.properties["Top"] == nil)
        // A named assertion documented in two actions keeps both comments.
        let small = try #require(docs.properties["Small"])
        #expect(small.paragraphs == ["The bound holds before each step.", "Documented twice."])
        #expect(small.disputes == ["D4"])
        #expect(small.quotes.count == 1)
        #expect(small.quotes.first == [
            .text("The bound "), .verdict(property: "Small", pins: [], offset: small.quotes.first.flatMap { Self.offset($0, 1) } ?? -1),
            .text(" and under A it "),
            .verdict(property: "Small", pins: [VariantPin(name: "r", value: "A")], offset: small.quotes.first.flatMap { Self.offset($0, 3) } ?? -1,
                     pinOffsets: small.quotes.first.flatMap { Self.pinOffsets($0, 3) } ?? []),
            .text("."),
        ])
    }

    private static func offset(_ parts: [QuotePart], _ index: Int) -> Int? {
        guard index < parts.count, case .verdict(_, _, let offset, _) = parts[index] else { return nil }
        return offset
    }

    private static func pinOffsets(_ parts: [QuotePart], _ index: Int) -> [Int]? {
        guard index < parts.count, case .verdict(_, _, _, let offsets) = parts[index] else { return nil }
        return offsets
    }

    @Test func quoteReferencesPointAtTheirProperty() throws {
        let model = try checked(Self.documented)
        let quote = try #require(model.documentation.properties["Small"]?.quotes.first)
        let offset = try #require(Self.offset(quote, 1))
        let bytes = Array(Self.documented.utf8)
        #expect(String(decoding: bytes[offset..<(offset + 5)], as: UTF8.self) == "Small")
        let pin = try #require(Self.pinOffsets(quote, 3)?.first)
        #expect(String(decoding: bytes[pin..<(pin + 3)], as: UTF8.self) == "r=A")
    }

    @Test func plainCommentsStayIgnored() throws {
        let plain = Self.documented.replacingOccurrences(of: "///", with: "//")
        let model = try checked(plain)
        #expect(model.documentation == ModelDocumentation())
    }

    @Test func aQuoteRunsOnToABlankLineOrTag() throws {
        let text = """
            model q
            var x: bool = false
            action flip { x := !x }
            /// quote: First line {P}
            /// and the second.
            /// point: P4
            /// Prose after the tag.
            invariant P: x || !x
            expect P holds trivially
            """
        let model = try checked(text)
        let doc = try #require(model.documentation.properties["P"])
        #expect(doc.quotes.count == 1)
        #expect(doc.quotes.first?.count == 3)
        if case .text(let tail) = doc.quotes.first?.last { #expect(tail == " and the second.") } else { Issue.record("no tail") }
        #expect(doc.points == ["P4"])
        #expect(doc.paragraphs == ["Prose after the tag."])
    }

    @Test func everyCombinationKeepsTheComments() throws {
        switch Frontend.matrix(SourceFile(name: "test.vmc", text: Self.documented)) {
        case .failure(let errors): Issue.record("\(errors.rendered)")
        case .success(let matrix):
            #expect(matrix.combinations.count == 2)
            for combination in matrix.combinations {
                guard case .success(let model) = matrix.check(combination) else { Issue.record("combination failed"); continue }
                #expect(model.documentation.properties["Inv"]?.disputes == ["D1"])
            }
        }
    }

    @Test func misplacedCommentsAreErrors() {
        let text = """
            model m
            var x: 0..3 = 0
            action inc when x < 3 {
              /// not a named assert
              assert x < 3
              x := x + 1
            }
            """
        let messages = headlines(SourceFile(name: "m.vmc", text: text))
        #expect(messages == ["m.vmc:4:7: error: a doc comment inside an action documents a named assert only ('assert NAME: ...'); use '//' here"])
    }
}
