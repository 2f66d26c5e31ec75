import ArgumentParser
import Foundation
import ModelLanguage
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
            codes: 0 the log conforms; 1 the model rejects an event; 2 a usage, model or log error. A model with \
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

    @Option(name: .customLong("variant"),
            help: ArgumentHelp("Pin a variant to one of its values: NAME=VALUE (repeatable); the log is replayed under the "
                               + "combinations that remain.", valueName: "NAME=VALUE"))
    var variants: [String] = []

    @Option(help: "The log's format: auto, native or qemu.")
    var format: EventLog.Format = .auto

    @Option(name: .customLong("map"), help: ArgumentHelp("Map a log device to a model device: NAME=INDEX or NAME=DEVICE (repeatable).",
                                                       valueName: "NAME=INDEX"))
    var mappings: [String] = []

    @Option(help: ArgumentHelp("Start where this model expression becomes true instead of at the initial states and entry points.",
                               valueName: "EXPR"))
    var start: String?

    @Option(help: "The device state variable the events refer to (default: the first the projection finds).")
    var stateVariable: String?

    @Option(help: "The longest path of model transitions that may match one event.")
    var maxSteps: Int = 64

    @Flag(help: "Require a complete run: after the last event the model must be able to finish (a terminal state).")
    var complete = false

    func validate() throws {
        if maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        _ = try parsedMappings()
        _ = try model.overrides()
        _ = try pins()
    }

    /// The parsed `--variant` pins.
    private func pins() throws -> [VariantPin] {
        try variants.map { text in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
                throw ValidationError("--variant expects NAME=VALUE, got '\(text)'")
            }
            return VariantPin(name: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
        }
    }

    private func parsedMappings() throws -> [String: String] {
        var result: [String: String] = [:]
        for text in mappings {
            guard let equals = text.lastIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
                throw ValidationError("--map expects NAME=INDEX, got '\(text)'")
            }
            let name = String(text[..<equals])
            guard result[name] == nil else { throw ValidationError("--map: '\(name)' is mapped twice") }
            result[name] = String(text[text.index(after: equals)...])
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
            outcome = try ReplaySession.replay(model: file, log: log, format: format, overrides: try model.overrides(), pins: try pins(),
                                               start: start, options: options)
        } catch let error as ReviewError {
            printError(error.message)
            throw ExitCode(2)
        }
        print(outcome.render(logName: log), terminator: "")
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

extension EventLog.Format: ExpressibleByArgument {}
