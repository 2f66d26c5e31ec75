import ArgumentParser
import Foundation
import PromelaExport
import Reports
import Review

/// `vfio-mc export`: write a model's per-device automaton (rv-dot, dot) or the whole model (promela).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model's per-device protocol automaton (rv-dot, dot) or the whole model as Promela for SPIN.",
        discussion: """
            rv-dot: the Linux kernel runtime-verification DOT format (tools/verification/dot2), for one device's \
            automaton (--device, --variable); the monitor's name is the output file's name without .dot. dot: plain \
            Graphviz, every device automaton (or the one chosen). promela: the whole model; SPIN stores as many states \
            as vfio-mc for models without scalarsets. Writes to standard output unless --out is given. Exit codes: 0 \
            written; 2 a usage or model error. See docs/reviewing.md.
            """)

    @Argument(help: "A model file.")
    var file: String

    @Option(help: ArgumentHelp("rv-dot, dot or promela.", valueName: "FORMAT"))
    var format: ExportFormat

    @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "FILE"))
    var out: String?

    @OptionGroup var model: ModelOptions

    @Option(help: ArgumentHelp("The device whose automaton is exported (a position 0, 1, ... or a name such as 'Dev 1').", valueName: "DEVICE"))
    var device: String?

    @Option(help: ArgumentHelp("The device state variable (default: the first the projection finds).", valueName: "NAME"))
    var variable: String?

    @Option(help: ArgumentHelp("Event names of the automaton: actions (the actions that make each change) or targets (to_<state>).", valueName: "NAMING"))
    var events: AutomatonExport.EventNaming = .actions

    func validate() throws {
        if format == .promela && (device != nil || variable != nil) {
            throw ValidationError("--device and --variable apply to rv-dot and dot; promela translates the whole model")
        }
    }

    func run() throws {
        let naming = events
        let text: String
        do {
            let system = try ModelLoader.load(.file(file), overrides: try model.overrides())
            switch format {
            case .promela:
                do {
                    text = try PromelaTranslator.translate(system, sourceName: file)
                } catch let error as PromelaExportError {
                    printError(error.rendered)
                    throw ExitCode(2)
                }
            default:
                let exported = try AutomatonExport.export(system, file: file, rv: format == .rvDot, variable: variable, device: device,
                                                          naming: naming)
                for warning in exported.warnings { printError("warning: " + warning) }
                text = exported.text
            }
        } catch let error as ReviewError {
            printError(error.message)
            throw ExitCode(error.exitCode)
        }
        if let out {
            do {
                try AtomicFile.write(text, to: out)
            } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
        } else {
            print(text, terminator: "")
        }
    }
}

/// The formats `export` writes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case rvDot = "rv-dot"
    case dot
    case promela
}

extension AutomatonExport.EventNaming: ExpressibleByArgument {}
