import ArgumentParser
import Foundation
import ModelLanguage
import Reports
import Review

/// `vfio-mc replay`: check that an observed sequence of protocol events is a behaviour of a model.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Check that a log of protocol events (native format or QEMU trace lines) is a behaviour of a model.",
        discussion: """
            A model that declares its events (`emits` clauses) is matched event by event: each log event (a SET \
            with its result, a state QEMU traces, a reset) must be the next event the model emits, and only actions \
            that emit nothing are hidden steps. A model without events is matched by its device state cells: each \
            event by a path that changes only that device's state cell, ending in the state the log says. The log \
            may start at the initial states or at any entry point the model declares (`entry NAME: P`); the report \
            says which matched. Prints the events with the model states consistent with them, then either the \
            model states reached or the first event the model cannot take with what it could do instead. Exit \
            codes: 0 the log conforms; 1 the model rejects an event; 2 a usage, model or log error; 3 a budget ran out \
            before the replay could finish (--timeout, --max-memory). A model with \
            variants is replayed under each combination; 0 when some combination accepts the log. See \
            docs/reviewing.md.
            """)

    @Argument(help: "A model file.")
    var file: String

    @Argument(help: "The event log (native format or QEMU trace lines).")
    var log: String

    @OptionGroup var model: ModelOptions

    @OptionGroup(title: "Output") var output: OutputOptions

    @OptionGroup(title: "Budgets") var budget: ProcessBudgetOptions

    @OptionGroup var variants: VariantOptions

    @Option(help: ArgumentHelp("The log's format: auto, native or qemu.", valueName: "FORMAT"))
    var format: EventLog.Format = .auto

    @Option(name: .customLong("map"), help: ArgumentHelp("Map a log device to a model device: NAME=INDEX or NAME=DEVICE (repeatable).",
                                                       valueName: "NAME=INDEX"))
    var mappings: [String] = []

    @Option(help: ArgumentHelp("Start where this model expression becomes true instead of at the initial states and entry points.",
                               valueName: "EXPR"))
    var start: String?

    @Option(help: ArgumentHelp("The device state variable the events refer to (default: the first the projection finds).", valueName: "NAME"))
    var stateVariable: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The longest path of model transitions that may match one event.", valueName: "K"))
    var maxSteps: Int = 64

    @Flag(help: "Require a complete run: after the last event the model must be able to finish (a terminal state).")
    var complete = false

    func validate() throws {
        if maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        _ = try parsedMappings()
    }

    /// The parsed `--map` entries: log device name -> model device.
    private func parsedMappings() throws -> [String: String] {
        var result: [String: String] = [:]
        for text in mappings {
            let pair = try NameValue.parse(text, option: "--map", valueName: "INDEX", atLast: true)
            guard result[pair.name] == nil else { throw ValidationError("--map: '\(pair.name)' is mapped twice") }
            result[pair.name] = pair.value
        }
        return result
    }

    func run() throws {
        try output.start()
        try budget.start()
        var options = ReplayOptions()
        options.maxSteps = maxSteps
        options.stateVariable = stateVariable
        options.mapping = try parsedMappings()
        options.requireComplete = complete
        let outcome: ReplayOutcome
        do {
            outcome = try ReplaySession.replay(model: file, log: log, format: format, overrides: try model.overrides(), pins: try variants.pins(),
                                               start: start, options: options, budget: budget.buildBudget)
        } catch let error as ReviewError {
            printError(error.message)
            throw ExitCode(error.exitCode)
        }
        print(ReplayTextRenderer.render(outcome, logName: log), terminator: "")
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

extension EventLog.Format: ExpressibleByArgument {}
