import ArgumentParser
import Foundation
import PackedSystem
import Reports
import Review

/// `vfio-mc kernel`: read the kernel's next-state table and supported-state rule from a `vfio_main.c` (or a
/// kernel tree), check them with the resolver model's rules under both readings of the loop (disputes D5),
/// print the verdicts and the combination paths, and with `--against` diff two versions (see docs/reviewing.md).
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Check the kernel's migration next-state table (vfio_from_fsm_table) read from vfio_main.c or a kernel tree.",
        discussion: """
            FILE is a drivers/vfio/vfio_main.c, or DIR a kernel tree (then the states come from enum \
            vfio_device_mig_state in include/uapi/linux/vfio.h). The table is checked by the explicit engine on a \
            resolver model generated from it, under the shipped loop and under the posted loop fix; the reading the \
            file shows counts (both when it shows neither). --against OTHER compares FILE (the proposal) with OTHER \
            (the base): table entries, verdicts and paths that change. Exit codes: 0 every rule holds (with \
            --against: no rule that held in OTHER is violated in FILE); 1 a rule is violated (with --against: a rule \
            regressed); 2 unreadable or malformed input (FILE:LINE:COL: error: MESSAGE). See docs/reviewing.md.
            """)

    @Argument(help: ArgumentHelp("A vfio_main.c, or the root of a kernel tree.", valueName: "FILE|DIR"))
    var file: String

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    @Option(help: ArgumentHelp("Compare FILE (the proposal) with this version (the base).", valueName: "OTHER"))
    var against: String?

    @OptionGroup(title: "Output") var output: OutputOptions

    func run() throws {
        try output.start()
        let analysis: KernelAnalysis
        var base: KernelAnalysis?
        do {
            analysis = try KernelAnalysis(tables: try KernelExtractor.read(path: file))
            if let against { base = try KernelAnalysis(tables: try KernelExtractor.read(path: against)) }
        } catch let error as KernelSourceError {
            printError(error.description)
            throw ExitCode(2)
        } catch let error as ReviewError {
            printError(error.message)
            throw ExitCode(error.exitCode)
        }
        let comparison = base.map { KernelComparison(before: $0, after: analysis) }
        if json {
            print(try KernelJSONRenderer.render(analysis, base: base, comparison: comparison))
        } else {
            print(KernelTextRenderer.render(analysis, base: base, comparison: comparison), terminator: "")
        }
        if let comparison {
            if comparison.regressed { throw ExitCode(1) }
        } else if analysis.violated {
            throw ExitCode(1)
        }
    }
}
