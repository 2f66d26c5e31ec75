import Foundation
import ModelLanguage
import PackedSystem
import TestSupport
import Testing

/// A valid model used as the seed of mutations.
struct FuzzSample: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    var testDescription: String { name }

    /// Every model of Models/ and every ```vmc example of docs/language.md (TestSupport's `Repository`).
    static func all() -> [FuzzSample] {
        (Repository.models() + Repository.documentationExamples()).map { FuzzSample(name: $0.name, bytes: Array($0.text.utf8)) }
    }
}

/// Random edits of source bytes: byte flips, token deletion, duplication and swaps, inserted punctuation,
/// keywords and odd bytes, truncation, numbers replaced by huge or negative ones, duplicated or deleted lines,
/// identifiers replaced by other identifiers of the file.
struct Mutator {
    var random: SplitMix64

    static let punctuation = ["(", ")", "{", "}", "[", "]", ",", ":", ";", ".", "..", ":=", "=", "==", "!=", "!", "&&", "||",
                              "->", "<->", "~>", "+", "-", "*", "/", "%", "<", "<=", ">", ">=", "\"", "/*", "*/", "//", "\\"]
    static let numbers = ["0", "1", "64", "65", "1000000", "2147483647", "2147483648", "9223372036854775807",
                          "99999999999999999999999", "-1", "-2147483647", "(0 - 2147483647 - 1)", "65536 * 65536", "1 / 0", "7 % 0"]
    static let oddBytes: [[UInt8]] = [[0x00], [0x7F], [0xFF], [0xC3], [0xC3, 0xA9], [0xE2, 0x89, 0xA4], [0xF0, 0x9F, 0x98, 0x80],
                                      [0xEF, 0xBB, 0xBF], [0xED, 0xA0, 0x80], [0x0D], [0x09], [0x0A]]

    /// Byte ranges of the tokens (identifier or number runs, or single other non-space bytes).
    static func tokens(_ bytes: [UInt8]) -> [Range<Int>] {
        func isWord(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
        }
        var result: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
                i += 1
            } else if isWord(b) {
                let start = i
                while i < bytes.count, isWord(bytes[i]) { i += 1 }
                result.append(start..<i)
            } else {
                result.append(i..<(i + 1))
                i += 1
            }
        }
        return result
    }

    static func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            result.append(start..<(i + 1))
            start = i + 1
        }
        if start < bytes.count { result.append(start..<bytes.count) }
        return result
    }

    /// Applies one random mutation; returns the new bytes and a short description.
    mutating func mutate(_ bytes: [UInt8]) -> ([UInt8], String) {
        var bytes = bytes
        let tokens = Self.tokens(bytes)
        let kind = random.below(12)
        func pickToken() -> Range<Int>? { tokens.isEmpty ? nil : tokens[random.below(tokens.count)] }
        func boundary() -> Int { tokens.isEmpty ? 0 : (random.below(2) == 0 ? tokens[random.below(tokens.count)].lowerBound : tokens[random.below(tokens.count)].upperBound) }
        switch kind {
        case 0:
            guard !bytes.isEmpty else { return (bytes, "nothing to flip") }
            let offset = random.below(bytes.count)
            let old = bytes[offset]
            bytes[offset] = random.below(2) == 0 ? old ^ UInt8(1 << random.below(8)) : UInt8(truncatingIfNeeded: random.next())
            return (bytes, "flip byte \(offset)")
        case 1:
            guard let token = pickToken() else { return (bytes, "no token") }
            bytes.removeSubrange(token)
            return (bytes, "delete token at \(token.lowerBound)")
        case 2:
            guard let token = pickToken() else { return (bytes, "no token") }
            bytes.insert(contentsOf: Array(bytes[token]) + [0x20], at: token.lowerBound)
            return (bytes, "duplicate token at \(token.lowerBound)")
        case 3:
            guard tokens.count >= 2 else { return (bytes, "no tokens") }
            let i = random.below(tokens.count - 1)
            let j = random.below(2) == 0 ? i + 1 : i + 1 + random.below(tokens.count - i - 1)
            let (a, b) = (tokens[i], tokens[j])
            let swapped = Array(bytes[b]) + Array(bytes[a.upperBound..<b.lowerBound]) + Array(bytes[a])
            bytes.replaceSubrange(a.lowerBound..<b.upperBound, with: swapped)
            return (bytes, "swap tokens at \(a.lowerBound) and \(b.lowerBound)")
        case 4:
            let at = boundary()
            let text = Self.punctuation[random.below(Self.punctuation.count)]
            bytes.insert(contentsOf: Array(text.utf8), at: at)
            return (bytes, "insert '\(text)' at \(at)")
        case 5:
            let at = boundary()
            let keyword = Keyword.allCases[random.below(Keyword.allCases.count)].rawValue
            bytes.insert(contentsOf: Array(" \(keyword) ".utf8), at: at)
            return (bytes, "insert keyword '\(keyword)' at \(at)")
        case 6:
            let at = random.below(bytes.count + 1)
            bytes.removeSubrange(at...)
            return (bytes, "truncate at \(at)")
        case 7:
            let numbers = tokens.filter { bytes[$0.lowerBound] >= 0x30 && bytes[$0.lowerBound] <= 0x39 }
            guard !numbers.isEmpty else { return (bytes, "no number") }
            let token = numbers[random.below(numbers.count)]
            let text = Self.numbers[random.below(Self.numbers.count)]
            bytes.replaceSubrange(token, with: Array(text.utf8))
            return (bytes, "number at \(token.lowerBound) := \(text)")
        case 8, 9:
            let lines = Self.lines(bytes)
            guard !lines.isEmpty else { return (bytes, "no line") }
            let line = lines[random.below(lines.count)]
            if kind == 8 {
                bytes.insert(contentsOf: Array(bytes[line]), at: line.lowerBound)
                return (bytes, "duplicate line at \(line.lowerBound)")
            }
            bytes.removeSubrange(line)
            return (bytes, "delete line at \(line.lowerBound)")
        case 10:
            let words = tokens.filter { let b = bytes[$0.lowerBound]; return b == 0x5F || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) }
            guard words.count >= 2 else { return (bytes, "no identifiers") }
            let target = words[random.below(words.count)]
            let replacement = Array(bytes[words[random.below(words.count)]])
            bytes.replaceSubrange(target, with: replacement)
            return (bytes, "identifier at \(target.lowerBound) := \(String(decoding: replacement, as: UTF8.self))")
        default:
            let at = random.below(bytes.count + 1)
            let odd = Self.oddBytes[random.below(Self.oddBytes.count)]
            bytes.insert(contentsOf: odd, at: at)
            return (bytes, "insert bytes \(odd) at \(at)")
        }
    }
}

/// Whether building the lowered system of `model` is cheap enough for a debug-build test: few cells, few
/// initial states, few ground actions, and small expansions of quantifiers, choices and definitions.
struct SizeEstimate {
    static let limit = 10_000
    let model: CheckedModel
    private var definitionSizes: [Int: Int] = [:]

    init(model: CheckedModel) { self.model = model }

    static func saturating(_ a: Int, times b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow || product > 1 << 40 ? 1 << 40 : product
    }

    static func saturating(_ a: Int, plus b: Int) -> Int { min(a + b, 1 << 40) }

    mutating func isSmall() -> Bool {
        var cells = 0
        var initialStates = 1
        for variable in model.variables {
            var count = 1
            for index in variable.indexTypes { count = Self.saturating(count, times: index.cardinality) }
            cells = Self.saturating(cells, plus: count)
            let choices: Int
            switch variable.initial {
            case .value: choices = 1
            case .oneOf(let values): choices = values.count
            case .any: choices = variable.elementType.cardinality
            }
            for _ in 0..<min(count, 64) { initialStates = Self.saturating(initialStates, times: choices) }
            if count > 64, choices > 1 { initialStates = 1 << 40 }
        }
        guard cells <= 4096, initialStates <= Self.limit else { return false }
        var work = 0
        for action in model.actions {
            var combinations = 1
            for parameter in action.parameters { combinations = Self.saturating(combinations, times: parameter.type.cardinality) }
            guard combinations <= Self.limit else { return false }
            let perInstance = Self.saturating(size(action.guardExpression), plus: block(action.body))
            work = Self.saturating(work, plus: Self.saturating(combinations, times: perInstance))
        }
        for property in model.properties {
            work = Self.saturating(work, plus: Self.saturating(property.predicate.map { size($0) } ?? 0, plus: property.target.map { size($0) } ?? 0))
        }
        for terminal in model.terminals { work = Self.saturating(work, plus: size(terminal)) }
        return work <= 50 * Self.limit
    }

    private mutating func block(_ statements: [TypedStatement]) -> Int {
        var total = 0
        for statement in statements {
            switch statement {
            case .assign(_, let indices, let value, _):
                total = Self.saturating(total, plus: indices.reduce(size(value)) { Self.saturating($0, plus: size($1)) })
            case .ifThen(let condition, let then, let otherwise):
                total = Self.saturating(total, plus: Self.saturating(size(condition), plus: Self.saturating(block(then), plus: block(otherwise))))
            case .choose(_, let domain, let filter, let body):
                let count: Int
                switch domain {
                case .type(let type): count = type.cardinality
                case .values(let values): count = values.count
                }
                // The rest of the block is copied into every alternative: count it generously.
                total = Self.saturating(total, plus: Self.saturating(count, times: Self.saturating(filter.map { size($0) } ?? 1, plus: block(body))))
                total = Self.saturating(total, times: max(1, count))
            case .letBinding(_, let value): total = Self.saturating(total, plus: size(value))
            case .assert(_, let condition, _): total = Self.saturating(total, plus: size(condition))
            }
        }
        return total
    }

    /// Nodes after inlining definitions and unrolling quantifiers (saturating).
    private mutating func size(_ expression: TypedExpression) -> Int {
        switch expression {
        case .literal, .bound, .letValue: return 1
        case .variable(_, let indices, _, _), .table(_, let indices, _, _):
            return indices.reduce(1) { Self.saturating($0, plus: size($1)) }
        case .call(let index, let arguments, _):
            var total = arguments.reduce(1) { Self.saturating($0, plus: size($1)) }
            if let known = definitionSizes[index] {
                total = Self.saturating(total, plus: known)
            } else {
                let body = size(model.definitions[index].body)
                definitionSizes[index] = body
                total = Self.saturating(total, plus: body)
            }
            return total
        case .unary(_, let operand): return Self.saturating(1, plus: size(operand))
        case .binary(_, let left, let right, _): return Self.saturating(1, plus: Self.saturating(size(left), plus: size(right)))
        case .member(let element, let values): return values.reduce(Self.saturating(1, plus: size(element))) { Self.saturating($0, plus: size($1)) }
        case .conditional(let condition, let then, let otherwise, _):
            return Self.saturating(1, plus: Self.saturating(size(condition), plus: Self.saturating(size(then), plus: size(otherwise))))
        case .quantifier(_, _, let type, let body):
            return Self.saturating(type.cardinality, times: Self.saturating(1, plus: size(body)))
        }
    }
}

/// Feeds randomly mutated copies of every valid model to the front end and, when the checked model is small,
/// to the lowering. A crash or trap would end the test process, so finishing is the main assertion; each run
/// must also end in success or in diagnostics with valid positions, within a few seconds.
@Suite struct FuzzTests {
    static let samples = FuzzSample.all()
    /// Mutated inputs in total, spread evenly over the samples (FUZZ_RUNS overrides it for longer hunts).
    static let totalRuns = ProcessInfo.processInfo.environment["FUZZ_RUNS"].flatMap { Int($0) } ?? 3000
    /// Mixed into every sample's seed (FUZZ_SEED overrides it, to explore other inputs).
    static let seed = ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_F022
    /// FUZZ_TRACE=DIRECTORY writes each input there before running it (to find the input of a crash).
    static let traceDirectory = ProcessInfo.processInfo.environment["FUZZ_TRACE"]
    /// The most time one input may take to check (or to build), in a debug build.
    static let perInputLimit: Duration = .seconds(20)

    @Test func samplesAreFound() {
        #expect(Self.samples.count >= 20)
    }

    @Test(arguments: samples)
    func mutatedModelsEndInSuccessOrDiagnostics(_ sample: FuzzSample) {
        let runs = (Self.totalRuns + Self.samples.count - 1) / Self.samples.count
        // The seed depends on the sample's name only, so each case is reproducible on its own.
        let seed = sample.name.utf8.reduce(Self.seed) { ($0 &* 31) &+ UInt64($1) }
        var mutator = Mutator(random: SplitMix64(seed: seed))
        var built = 0
        var checked = 0
        for run in 0..<runs {
            var bytes = sample.bytes
            var edits: [String] = []
            for _ in 0...mutator.random.below(3) {
                let (mutated, edit) = mutator.mutate(bytes)
                bytes = mutated
                edits.append(edit)
            }
            let label = "\(sample.name) run \(run): \(edits.joined(separator: "; "))"
            let source = SourceFile(name: "fuzz.vmc", bytes: bytes)
            if let trace = Self.traceDirectory {
                // For hunting crashes: the input about to run, one file per sample, and its label on stderr.
                _ = FileManager.default.createFile(atPath: trace + "/" + sample.name.replacingOccurrences(of: "/", with: "_"), contents: Data(bytes))
                FileHandle.standardError.write(Data("TRACE \(label)\n".utf8))
            }
            let start = ContinuousClock.now
            guard let result = runWithDeadline(seconds: 30, { Frontend.check(source) }) else {
                Issue.record("check did not finish within 30 s: \(label)\n\(String(decoding: bytes, as: UTF8.self))")
                continue
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < Self.perInputLimit, "check took \(elapsed): \(label)")
            switch result {
            case .failure(let errors):
                #expect(!errors.diagnostics.isEmpty, "failure without diagnostics: \(label)")
                for diagnostic in errors.diagnostics {
                    #expect(diagnostic.line >= 1 && diagnostic.column >= 1, "bad position \(diagnostic.headline): \(label)")
                    #expect(diagnostic.line <= source.lineStarts.count, "line beyond the file \(diagnostic.headline): \(label)")
                    _ = diagnostic.rendered
                }
            case .success(let model):
                checked += 1
                expectPrintingRoundTrips(source, label)
                var estimate = SizeEstimate(model: model)
                guard estimate.isSmall() else { continue }
                built += 1
                let start = ContinuousClock.now
                guard let system = runWithDeadline(seconds: 30, { SystemBuilder.build(model) }) else {
                    Issue.record("build did not finish within 30 s: \(label)\n\(String(decoding: bytes, as: UTF8.self))")
                    continue
                }
                let elapsed = ContinuousClock.now - start
                #expect(elapsed < Self.perInputLimit, "build took \(elapsed): \(label)")
                if case .failure(let errors) = system {
                    #expect(!errors.diagnostics.isEmpty, "build failure without diagnostics: \(label)")
                    for diagnostic in errors.diagnostics {
                        #expect(diagnostic.line >= 1 && diagnostic.column >= 1, "bad position \(diagnostic.headline): \(label)")
                    }
                }
            }
        }
        print("fuzz \(sample.name): \(runs) inputs, \(checked) checked, \(built) built")
    }

    /// A model that checks prints to text that parses and prints to the same text again.
    private func expectPrintingRoundTrips(_ source: SourceFile, _ label: String) {
        guard case .success(let syntax) = Frontend.parse(source) else {
            Issue.record("checks but does not parse: \(label)")
            return
        }
        let printed = ASTPrinter.print(syntax)
        guard case .success(let reparsed) = Frontend.parse(SourceFile(name: "printed.vmc", text: printed)) else {
            Issue.record("printed model does not parse: \(label)\n\(printed)")
            return
        }
        #expect(ASTPrinter.print(reparsed) == printed, "printing is not a fixpoint: \(label)")
    }
}

/// Lowering bugs found by probing limits: building must fail fast with a diagnostic, but these materialise
/// every value of a huge type first (`FiniteType.values`, 2e9 values, 16 GB). Disabled until fixed; enabling one
/// before its fix abandons a busy thread.
@Suite struct KnownLoweringBugTests {
    private func buildHeadlines(_ text: String) -> [String]? {
        guard case .success(let model) = Frontend.check(SourceFile(name: "bug.vmc", text: text)) else {
            Issue.record("does not check")
            return nil
        }
        guard let result = runWithDeadline(seconds: 5, { SystemBuilder.build(model) }) else {
            Issue.record("build did not finish within 5 s")
            return nil
        }
        switch result {
        case .success: return []
        case .failure(let errors): return errors.diagnostics.map(\.headline)
        }
    }

    @Test
    func hugeAnyInitializerIsRejected() {
        #expect(buildHeadlines("model m\nvar x: -1000000000..1000000000 = any\n")
            == ["bug.vmc:2:1: error: the model has more than 1000000 initial states"])
    }

    @Test
    func quantifierOverAHugeRangeIsRejected() {
        let headlines = buildHeadlines("model m\nvar x: bool = false\ninvariant I: forall i: 0..2000000000. x\n")
        #expect(headlines?.count == 1)
        #expect(headlines?.first?.contains("expression too large") == true)
    }

    @Test
    func chooseOverAHugeRangeIsRejected() {
        let headlines = buildHeadlines("model m\nvar x: bool = false\naction a { choose v: 0..2000000000 { x := true } }\n")
        #expect(headlines?.count == 1)
        #expect(headlines?.first?.contains("too large") == true)
    }
}
