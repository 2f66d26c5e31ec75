import ArgumentParser
import Explorer
import Foundation
import ModelLanguage
import PackedSystem
import Reports

/// Options shared by the commands that load models.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("const"), help: ArgumentHelp("Override a constant: NAME=VALUE (repeatable).", valueName: "NAME=VALUE"))
    var constants: [String] = []

    /// The parsed overrides.
    func overrides() throws -> [ConstantOverride] {
        try constants.map { text in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--const expects NAME=VALUE, got '\(text)'")
            }
            return ConstantOverride(name: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
        }
    }
}

/// `vfio-mc check`: explore every model and compare each verdict with its expectation.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check models and compare every verdict with its `expect` line.",
        discussion: """
            PATH is a model file or a directory (searched recursively for *.vmc). Exit codes: 0 every expectation \
            met; 1 an expectation failed; 2 a usage or model error; 3 a budget ran out before a verdict.
            """)

    @Argument(help: "Model files or directories.")
    var paths: [String]

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print one JSON document (see docs/cli.md) instead of text.")
    var json = false

    @Option(help: "Stop after this many distinct states (exit 3 if verdicts are missing).")
    var maxStates: Int?

    @Option(help: ArgumentHelp("Stop before the state store exceeds this size; accepts K, M, G, T suffixes.", valueName: "BYTES"))
    var maxMemory: String?

    @Option(help: "Stop after this many seconds.")
    var timeout: Double?

    @Flag(help: "Also print witnesses for reachable goals.")
    var witnesses = false

    func validate() throws {
        if let maxStates, maxStates < 1 { throw ValidationError("--max-states must be at least 1") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let maxMemory, ByteCount.parse(maxMemory) == nil {
            throw ValidationError("--max-memory expects a byte count such as 512M or 8G, got '\(maxMemory)'")
        }
        _ = try model.overrides()
    }

    func run() throws {
        var options = ExplorerOptions()
        options.maxStates = maxStates
        options.timeoutSeconds = timeout
        options.maxMemoryBytes = maxMemory.flatMap(ByteCount.parse)
        let overrides = try model.overrides()
        let files: [String]
        do {
            files = try ModelLoading.modelFiles(paths)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        if files.isEmpty {
            printError("error: no *.vmc models found in \(paths.joined(separator: " "))")
            throw ExitCode(2)
        }
        var results: [CheckResult] = []
        var failures: [LoadFailure] = []
        let renderer = TextRenderer(showWitnesses: witnesses)
        let showProgress = !json && isatty(STDERR_FILENO) != 0
        for file in files {
            switch ModelLoading.load(file, overrides: overrides) {
            case .failure(let failure):
                failures.append(failure)
                if !json { printError(failure.messages.joined(separator: "\n")) }
            case .success(let system):
                let explorer = ExplicitExplorer(system: system, options: options, file: file)
                let progress: ((ExplorerProgress) -> Void)? = showProgress ? { ProgressLine.show($0) } : nil
                let result = explorer.run(progress: progress)
                if showProgress { ProgressLine.clear() }
                results.append(result)
                if !json { print(renderer.render(result)) }
            }
        }
        if json {
            print(JSONRenderer.document(results: results, errors: failures.map { ($0.file, $0.messages) }).serialized())
        } else if files.count > 1 {
            let met = results.filter(\.expectationsMet).count
            print("\(files.count) models: \(met) met every expectation, \(results.count - met) did not, \(failures.count) failed to load")
        }
        let code = ExitStatus.code(results: results, loadFailures: failures.count)
        if code != 0 { throw ExitCode(code) }
    }
}

/// How a run's results map to an exit code.
enum ExitStatus {
    /// 2 for a model error, else 1 for a missed expectation, else 3 for a missing verdict, else 0.
    static func code(results: [CheckResult], loadFailures: Int) -> Int32 {
        if loadFailures > 0 { return 2 }
        if results.contains(where: { result in result.properties.contains { !$0.meetsExpectation && $0.verdict != .unknown } }) { return 1 }
        if results.contains(where: \.hasUnknown) { return 3 }
        return 0
    }
}

/// Byte counts with binary suffixes: 512, 64K, 512M, 8G, 1T.
enum ByteCount {
    static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: "IB", with: "").replacingOccurrences(of: "B", with: "")
        guard let last = trimmed.last else { return nil }
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        if let multiplier = multipliers[last] {
            guard let number = Double(trimmed.dropLast()), number > 0, number * Double(multiplier) < 9e18 else { return nil }
            return Int(number * Double(multiplier))
        }
        guard let number = Int(trimmed), number > 0 else { return nil }
        return number
    }
}

/// The progress line on a terminal's standard error.
enum ProgressLine {
    static func show(_ progress: ExplorerProgress) {
        let line = "\r\u{1B}[K\(progress.states) states, depth \(progress.depth), \(Int(progress.statesPerSecond)) states/s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
