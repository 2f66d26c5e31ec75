import Explorer
import Foundation
import PackedSystem
import SMT
import Testing

/// Differential testing on generated models: seeded, reproducible, covering every construct.
@Suite struct GeneratedModelTests {
    /// Generated models (VFIO_MC_GENERATED_MODELS overrides it: scripts/fuzz checks 1,000 in release, in CI).
    static let modelCount = ProcessInfo.processInfo.environment["VFIO_MC_GENERATED_MODELS"].flatMap { Int($0) }.map { max(4, $0 / 4 * 4) } ?? 240

    /// The source of generated model `seed`: the first attempt the front end accepts. (The checker rejects
    /// stores, indices and divisions whose operands fold to constants out of range, which the generator does
    /// not predict; such attempts are skipped, deterministically.)
    static func source(_ seed: Int) -> String { sources[seed] }

    /// Every generated model, computed once.
    static let sources: [String] = (0..<modelCount).map(makeSource)

    private static func makeSource(_ seed: Int) -> String {
        var first = ""
        for attempt in 0..<20 {
            let text = attemptSource(seed, attempt: attempt)
            if attempt == 0 { first = text }
            if case .success = Differential.system(text) { return text }
        }
        return first
    }

    static func attemptSource(_ seed: Int, attempt: Int) -> String {
        var generator = ModelGenerator(seed: UInt64(seed) &* 0x9E37_79B9 &+ UInt64(attempt) &* 0x85EB_CA6B &+ 17)
        return generator.model(name: "generated\(seed)")
    }

    @Test func generatedModelsAreWellFormed() {
        var rejected: [String] = []
        var firstTime = 0
        for seed in 0..<Self.modelCount {
            let text = Self.attemptSource(seed, attempt: 0)
            switch Differential.system(text) {
            case .success: firstTime += 1
            case .failure(let error):
                // Only the checker's constant range checks may reject a generated model.
                let lines = error.description.split(separator: "\n").filter { $0.contains("error:") }
                if !lines.allSatisfy({ $0.contains("outside the domain") || $0.contains("out of range") || $0.contains("division by zero") }) {
                    rejected.append("seed \(seed):\n\(error)\n\(text)")
                }
            }
            if Self.source(seed) != text, case .failure(let error) = Differential.system(Self.source(seed)) {
                rejected.append("seed \(seed) (every attempt):\n\(error)")
            }
        }
        #expect(rejected.isEmpty, "\(rejected.count) generated models were rejected; first: \(rejected.first ?? "none")")
        #expect(firstTime * 2 >= Self.modelCount, "only \(firstTime) models were accepted at the first attempt")
    }

    @Test(arguments: 0..<4) func enginesAgreeOnGeneratedModels(part: Int) {
        var options = SMTOptions()
        options.maxDepth = 12
        options.budget.timeoutSeconds = 20
        var explorerOptions = ExplorerOptions()
        explorerOptions.budget.maxStates = 200_000
        var decided = 0
        var explicitDecided = 0
        var traces = 0
        var liveness = 0
        var lassos = 0
        var models = 0
        for seed in stride(from: part, to: Self.modelCount, by: 4) {
            guard case .success(let system) = Differential.system(Self.source(seed)) else { continue }
            models += 1
            let comparison = Differential.compare(system, smtOptions: options, explorerOptions: explorerOptions)
            decided += comparison.bothDecided
            explicitDecided += comparison.explicitDecided
            traces += comparison.tracesCompared
            liveness += comparison.livenessCompared
            lassos += comparison.lassosChecked
            #expect(comparison.mismatches.isEmpty, "seed \(seed): \(comparison.mismatches)\n\(Self.source(seed))")
        }
        print("generated models, part \(part): \(models) models, \(decided) of \(explicitDecided) properties decided by both engines, \(traces) trace lengths compared, \(liveness) liveness verdicts compared (\(lassos) SMT lassos checked)")
        #expect(models == Self.modelCount / 4)
        // The comparison must mean something: the SMT engine decides most of what the explorer decides.
        #expect(decided * 10 >= explicitDecided * 7, "smt decided \(decided) of \(explicitDecided) properties")
        #expect(traces > 0)
        // Liveness is compared too: verdicts, and the shape of every SMT lasso.
        #expect(liveness > 0 && lassos > 0, "\(liveness) liveness verdicts, \(lassos) lassos")
    }
}

/// Writes the generated models to a directory named by `VFIO_MC_DUMP_GENERATED`, for debugging with the CLI.
@Test func dumpGeneratedModels() throws {
    guard let directory = ProcessInfo.processInfo.environment["VFIO_MC_DUMP_GENERATED"] else { return }
    for seed in 0..<GeneratedModelTests.modelCount {
        try GeneratedModelTests.source(seed).write(toFile: "\(directory)/generated\(seed).vmc", atomically: true, encoding: .utf8)
    }
}
