import Explorer
import Foundation
import PackedSystem
import Review
import Testing

/// The exit status a reviewer's command takes from its error: a problem in the input is 2, a budget that stopped
/// the model's lowering is 3 (no verdict), as for `check`.
@Suite struct ReviewErrorTests {
    @Test func aBudgetStopExitsThreeAndAProblemTwo() {
        let problem = ReviewError(.failure("no such revision"))
        #expect(problem.exitCode == 2)
        let stopped = ReviewError([.failure("stopped while grounding the actions")], stopReason: "memory limit reached")
        #expect(stopped.exitCode == 3)
    }

    /// 10,000 ground actions: the builder polls its budget after every 4,096 instances, so a limit that is already
    /// spent (a resident size of one byte, a time limit that says it is up) stops it on its first poll, whatever
    /// the machine's speed.
    static let wide = """
        model wide
        var x: 0..3 = 0
        action a(i: 0..99, j: 0..99) when x == 0 { x := 1 }
        """

    /// The same model with a variant: the stop comes under the combination's heading, as `check` prints it.
    static let wideWithVariant = """
        model wide
        variant FAST: bool
        var x: 0..3 = 0
        action a(i: 0..99, j: 0..99) when x == 0 || FAST { x := 1 }
        """

    /// The text `check` prints for a lowering that a budget stopped (a diagnostic at the model's first column).
    static func stopped(_ file: String, _ reason: String) -> String {
        "\(file):1:1: error: stopped while grounding the actions: \(reason)\nmodel wide\n^"
    }

    @Test func diffHandsItsMemoryLimitToTheLowering() throws {
        var options = ExplorerOptions()
        options.budget.maxMemoryBytes = 1
        let error = try #require(throws: ReviewError.self) {
            try DiffOutcome.compare(base: .text(name: "base.vmc", text: Self.wide), proposed: .text(name: "new.vmc", text: Self.wide),
                                    overrides: [], options: options, paths: .init(next: "resolve", fails: "einval"))
        }
        #expect(error.exitCode == 3)
        #expect(error.stopReason == "memory limit of 1 bytes reached")
        #expect(error.message == Self.stopped("base.vmc", "memory limit of 1 bytes reached"))
    }

    @Test func diffHandsItsInterruptionToTheLowering() throws {
        var options = ExplorerOptions()
        options.budget.interruption = { .timeLimit(seconds: 1) }
        let error = try #require(throws: ReviewError.self) {
            try DiffOutcome.compare(base: .text(name: "base.vmc", text: Self.wideWithVariant),
                                    proposed: .text(name: "new.vmc", text: Self.wideWithVariant),
                                    overrides: [], options: options, paths: .init(next: "resolve", fails: "einval"))
        }
        #expect(error.exitCode == 3)
        #expect(error.message == "base.vmc: in combination FAST=false:\n" + Self.stopped("base.vmc", "time limit of 1 s reached"))
    }

    @Test func replayHandsItsBudgetToTheLowering() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = repositoryRoot.appendingPathComponent("docs/examples/qemu80-source.log").path
        let budget = BuildBudget(interruption: { .timeLimit(seconds: 1) })
        for (name, text, heading) in [("wide.vmc", Self.wide, ""), ("variant.vmc", Self.wideWithVariant, "in combination FAST=false:\n")] {
            let model = directory.appendingPathComponent(name).path
            try text.write(toFile: model, atomically: true, encoding: .utf8)
            let expected = (heading.isEmpty ? "" : "\(model): \(heading)") + Self.stopped(model, "time limit of 1 s reached")
            for start in [nil, "x == 0"] {
                let error = try #require(throws: ReviewError.self, "\(name) --start \(start ?? "-")") {
                    try ReplaySession.replay(model: model, log: log, format: .auto, overrides: [], pins: [], start: start,
                                             options: ReplayOptions(), budget: budget)
                }
                #expect(error.exitCode == 3)
                #expect(error.message == expected, "\(name) --start \(start ?? "-")")
            }
        }
    }

    /// A lowering error of a model without variants has no combination heading (it read `FILE: in combination :`).
    @Test func aModelWithoutVariantsHasNoCombinationHeading() throws {
        let tooMany = "model big\nvar x: 0..3 = 0\naction a(i: 0..99999, j: 0..99999) when x == 0 { x := 1 }\n"
        let error = try #require(throws: ReviewError.self) {
            try ModelLoader.loadCombinations(.text(name: "big.vmc", text: tooMany))
        }
        #expect(error.exitCode == 2)
        #expect(error.message.hasPrefix("big.vmc:3:1: error: action 'a' has too many instances"), "\(error.message)")
    }
}
