import Foundation
import ModelLanguage
import Testing

/// One file of the malformed corpus with the headlines it must produce.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    let file: String
    let expected: [String]
    var testDescription: String { file }
}

/// The malformed corpus: Tests/ModelLanguageTests/Malformed/*.vmc and its manifest `EXPECTED`, one line per
/// expected diagnostic, `FILENAME LINE:COL: MESSAGE`, in the order the front end must report them.
enum Corpus {
    static let directory: URL? = Bundle.module.url(forResource: "Malformed", withExtension: nil)

    /// `--const` overrides passed when checking a file (the manifest has no place for them).
    static let overrides: [String: [ConstantOverride]] = [
        "const-override-unknown.vmc": [ConstantOverride(name: "VERBOSE", value: "1"), ConstantOverride(name: "M", value: "3")],
        "const-override-wrong-type.vmc": [ConstantOverride(name: "N", value: "true"), ConstantOverride(name: "DEBUG", value: "2")],
        "const-override-bad-value.vmc": [ConstantOverride(name: "N", value: "two")],
        "variant-pin-errors.vmc": [ConstantOverride(name: "v", value: "1")],
    ]

    /// `--variant` pins passed when checking a file.
    static let pins: [String: [VariantPin]] = [
        "variant-pin-errors.vmc": [VariantPin(name: "w", value: "true"), VariantPin(name: "w", value: "false"),
                                   VariantPin(name: "N", value: "3"), VariantPin(name: "u", value: "A")],
        "variant-pin-not-a-value.vmc": [VariantPin(name: "v", value: "C"), VariantPin(name: "w", value: "maybe")],
        "variant-pin-not-listed.vmc": [VariantPin(name: "v", value: "A"), VariantPin(name: "w", value: "true")],
    ]

    /// Files whose diagnostics do not match the manifest yet: the manifest states the intended behaviour.
    /// Remove a file from this list when its bug is fixed; `knownBugsMatchTheManifest` then covers it.
    static let knownBugs: [String: String] = [:]

    /// The manifest's lines turned into headlines, grouped by file in manifest order.
    static func manifest() -> [CorpusCase] {
        guard let directory,
              let text = try? String(contentsOf: directory.appendingPathComponent("EXPECTED"), encoding: .utf8) else { return [] }
        var order: [String] = []
        var expected: [String: [String]] = [:]
        for line in text.split(separator: "\n") where !line.isEmpty {
            guard let space = line.firstIndex(of: " ") else { continue }
            let file = String(line[..<space])
            let rest = line[line.index(after: space)...]
            // `LINE:COL: MESSAGE` becomes `FILE:LINE:COL: error: MESSAGE`.
            let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let headline = "\(file):\(parts[0]):\(parts[1]): error:\(parts[2])"
            if expected[file] == nil { order.append(file) }
            expected[file, default: []].append(headline)
        }
        return order.map { CorpusCase(file: $0, expected: expected[$0] ?? []) }
    }

    static func cases() -> [CorpusCase] { manifest().filter { knownBugs[$0.file] == nil } }
    static func knownBugCases() -> [CorpusCase] { manifest().filter { knownBugs[$0.file] != nil } }

    /// The .vmc files present in the corpus directory.
    static func files() -> [String] {
        guard let directory else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".vmc") }.sorted()
    }

    static func source(_ file: String) throws -> SourceFile {
        let directory = try #require(directory)
        let data = try #require(FileManager.default.contents(atPath: directory.appendingPathComponent(file).path), "cannot read \(file)")
        return SourceFile(name: file, bytes: [UInt8](data))
    }
}

/// Checks that `rendered` shows the source line and puts a caret under the diagnostic's column.
func expectRendering(_ diagnostic: Diagnostic, source: SourceFile, sourceLocation: SourceLocation = #_sourceLocation) {
    let rendered = diagnostic.rendered
    let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count == 3, "rendering is not headline, source line, caret:\n\(rendered)", sourceLocation: sourceLocation)
    guard lines.count == 3 else { return }
    #expect(lines[0] == diagnostic.headline, sourceLocation: sourceLocation)
    // The source line is the file's line (without its line break).
    let expectedLine = source.lineText(diagnostic.line)
    #expect(diagnostic.sourceLine == expectedLine, sourceLocation: sourceLocation)
    let caret = lines[2]
    #expect(caret.hasSuffix("^") && caret.dropLast().allSatisfy { $0 == " " }, "caret line: '\(caret)'", sourceLocation: sourceLocation)
    // The character above the caret is the one at the diagnostic's column (tabs shown as spaces, control
    // characters as '?'), or the caret is just past the end of the line.
    let caretIndex = caret.unicodeScalars.count - 1
    let shown = Array(lines[1].unicodeScalars)
    let original = Array(expectedLine.unicodeScalars)
    let clipped = original.count > 100
    if !clipped {
        #expect(caretIndex == diagnostic.column - 1, "caret at \(caretIndex + 1), column \(diagnostic.column)", sourceLocation: sourceLocation)
    }
    if diagnostic.column - 1 < original.count {
        guard caretIndex < shown.count else {
            Issue.record("caret beyond the shown line:\n\(rendered)", sourceLocation: sourceLocation)
            return
        }
        let scalar = original[diagnostic.column - 1]
        let display: Unicode.Scalar = scalar == "\t" ? " " : (scalar.value < 0x20 || scalar.value == 0x7F ? "?" : scalar)
        #expect(shown[caretIndex] == display, "caret under '\(shown[caretIndex])', expected '\(display)':\n\(rendered)",
                sourceLocation: sourceLocation)
    } else if !clipped {
        #expect(caretIndex == shown.count, "caret not just past the end of the line:\n\(rendered)", sourceLocation: sourceLocation)
    }
}

@Suite struct MalformedCorpusTests {
    @Test func corpusAndManifestAgree() {
        let files = Corpus.files()
        let manifest = Corpus.manifest()
        #expect(files.count >= 45)
        #expect(Set(manifest.map(\.file)) == Set(files), "files without expectations, or expectations without files")
        #expect(manifest.allSatisfy { !$0.expected.isEmpty })
        #expect(Set(Corpus.knownBugs.keys).isSubset(of: Set(files)))
        #expect(Set(Corpus.overrides.keys).isSubset(of: Set(files)))
        #expect(Set(Corpus.pins.keys).isSubset(of: Set(files)))
    }

    @Test(arguments: Corpus.cases())
    func diagnosticsMatchTheManifest(_ corpusCase: CorpusCase) throws {
        try checkCase(corpusCase)
    }

    @Test(arguments: Corpus.knownBugCases())
    func knownBugsMatchTheManifest(_ corpusCase: CorpusCase) throws {
        try checkCase(corpusCase)
    }

    private func checkCase(_ corpusCase: CorpusCase) throws {
        let source = try Corpus.source(corpusCase.file)
        let result = Frontend.check(source, overrides: Corpus.overrides[corpusCase.file] ?? [], pins: Corpus.pins[corpusCase.file] ?? [])
        guard case .failure(let errors) = result else {
            Issue.record("\(corpusCase.file) checks without errors")
            return
        }
        #expect(errors.diagnostics.map(\.headline) == corpusCase.expected)
        for diagnostic in errors.diagnostics { expectRendering(diagnostic, source: source) }
        // Every diagnostic also appears, rendered, in the combined rendering.
        #expect(errors.rendered == errors.diagnostics.map(\.rendered).joined(separator: "\n"))
    }

    // MARK: Generated inputs (too large to commit)

    @Test func oneMegabyteLine() throws {
        let name = String(repeating: "a", count: 1_000_000)
        let source = SourceFile(name: "long.vmc", text: "model m\nconst \(name) = true && 1\nvar x: bool = 2\n")
        let start = ContinuousClock.now
        let result = Frontend.check(source)
        #expect(ContinuousClock.now - start < .seconds(30), "a hang guard, not a speed test")
        guard case .failure(let errors) = result else {
            Issue.record("a type error on a 1 MB line was not reported")
            return
        }
        #expect(errors.diagnostics.map(\.headline) == [
            "long.vmc:2:1000018: error: type mismatch: '&&' needs bool operands, found integer",
            "long.vmc:3:15: error: type mismatch: initial value of 'x' must be bool, found integer",
        ])
        for diagnostic in errors.diagnostics { expectRendering(diagnostic, source: source) }
        // The long line is clipped around the column, not printed whole.
        let rendered = try #require(errors.diagnostics.first).rendered
        #expect(rendered.count < 400)
        #expect(rendered.contains("...aaaa"))
        #expect(rendered.contains("true && 1"))
    }

    @Test func oneMegabyteComment() throws {
        let source = SourceFile(name: "comment.vmc", text: "model m\n// " + String(repeating: "é", count: 500_000) + "\nvar x: bool = 3\n")
        let start = ContinuousClock.now
        let result = Frontend.check(source)
        #expect(ContinuousClock.now - start < .seconds(30), "a hang guard, not a speed test")
        guard case .failure(let errors) = result else {
            Issue.record("the error after a 1 MB comment was not reported")
            return
        }
        #expect(errors.diagnostics.map(\.headline) == ["comment.vmc:3:15: error: type mismatch: initial value of 'x' must be bool, found integer"])
    }

    /// `1 + 1 + ...`: 2,000 operators are accepted, the 2,001st is rejected at the operand after it.
    @Test func expressionChainTooLong() throws {
        func model(operands: Int) -> SourceFile {
            SourceFile(name: "chain.vmc", text: "model m\nconst C = " + Array(repeating: "1", count: operands).joined(separator: " + ") + "\n")
        }
        let accepted = Frontend.check(model(operands: 2001))
        if case .failure(let errors) = accepted { Issue.record("a chain of 2001 operands is rejected:\n\(errors.rendered)") }
        let source = model(operands: 2002)
        guard case .failure(let errors) = Frontend.check(source) else {
            Issue.record("a chain of 2002 operands is accepted")
            return
        }
        let column = 11 + 2001 * 4
        #expect(errors.diagnostics.map(\.headline) == ["chain.vmc:2:\(column): error: expression too long (more than 2000 operators in one chain)"])
        for diagnostic in errors.diagnostics { expectRendering(diagnostic, source: source) }
    }

    @Test func emptyAndBlankInputs() {
        for text in ["", "\n\n\n", "   \t  ", "/* */", "// only a comment"] {
            let source = SourceFile(name: "blank.vmc", text: text)
            guard case .failure(let errors) = Frontend.check(source) else {
                Issue.record("blank input '\(text)' checks")
                continue
            }
            #expect(errors.diagnostics.count == 1)
            #expect(errors.diagnostics.first?.message == "empty file: a model starts with 'model NAME'")
            #expect(errors.diagnostics.first?.line == 1 && errors.diagnostics.first?.column == 1)
            for diagnostic in errors.diagnostics { expectRendering(diagnostic, source: source) }
        }
    }

    /// Every prefix of a valid model ends in success or in diagnostics with valid positions.
    @Test func everyTruncationOfAModelIsHandled() throws {
        let sample = try #require(Samples.documentationExamples().first { $0.text.contains("fair action complete") })
        let bytes = Array(sample.text.utf8)
        for length in 0...bytes.count {
            let source = SourceFile(name: "prefix.vmc", bytes: Array(bytes[..<length]))
            if case .failure(let errors) = Frontend.check(source) {
                #expect(!errors.diagnostics.isEmpty)
                for diagnostic in errors.diagnostics {
                    #expect(diagnostic.line >= 1 && diagnostic.column >= 1 && diagnostic.line <= source.lineStarts.count)
                }
            }
        }
    }
}
