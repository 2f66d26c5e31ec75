import ArgumentParser
import Explorer
import PackedSystem
import Reports
import SMT

extension SMTMethod: ExpressibleByArgument {}
extension PDREngine: ExpressibleByArgument {}

/// The SMT engine's options for `check`: how it decides safety properties, and what it prints besides the
/// verdicts. Kept apart from `CheckCommand` so the engine's options live in one place.
struct SMTOptionGroup: ParsableArguments, Sendable {
    @Option(parsing: .unconditional, help: ArgumentHelp("Deepest bound for the SMT engine's BMC and k-induction.", valueName: "K"))
    var smtDepth: Int = 40

    @Option(help: ArgumentHelp("How the SMT engine decides properties: bmc (bounded model checking only; lassos for liveness), kind (BMC and k-induction up to --smt-depth; lassos for liveness), houdini (the invariant finder: the reachable set as a certificate Z3 checks when a simulation saw every state, else Houdini over template lemmas; then BMC; lassos for liveness), pdr (IC3/PDR through Z3's Spacer, unbounded, and liveness-to-safety under PDR; BMC rebuilds the traces) or auto (the certificate first when a simulation saw every state and it fits in the time left, else BMC and k-induction up to depth 4 and then the invariant finder; BMC to --smt-depth, then PDR; for liveness first the explorer's lassos and rankings on a reachable graph of at most 100,000 states, each checked by Z3, then lasso BMC up to depth 4, then PDR, then lasso BMC).", valueName: "METHOD"))
    var smtMethod: SMTMethod = .auto

    @Flag(help: "Print the inductive invariant of every property PDR or the invariant finder proves (SMT-LIB; a reachable-set certificate is named, not printed, over the cells' ordinals: value minus the type's lower bound; for liveness, over the liveness-to-safety product: saved.NAME, saved, live, seen.ACTION).")
    var showInvariant = false

    @Option(parsing: .unconditional, help: ArgumentHelp("The time limit of one PDR query (safety or liveness-to-safety), in seconds; a query that runs out leaves its property to BMC.", valueName: "SECONDS"))
    var pdrQueryTimeout: Double = 20

    @Option(help: ArgumentHelp("Which IC3/PDR answers the safety PDR queries of --smt-method pdr and auto: spacer (Z3's Spacer through the fixedpoint API) or ic3 (the own IC3 over QF_BV queries, the default); either's invariant passes the same independent check. Liveness-to-safety always uses Spacer.", valueName: "ENGINE"))
    var pdrEngine: PDREngine = .ic3

    @Flag(help: "Print where the SMT engine's time went: solver queries and seconds per method and property, and the seconds spent building the encoding (method \"encoding\": the transition relation, the unrolling, the liveness terms and the lasso conditions).")
    var smtStats = false

    func validate() throws {
        if smtDepth < 0 { throw ValidationError("--smt-depth must be at least 0") }
        guard pdrQueryTimeout.isFinite, pdrQueryTimeout > 0 else {
            throw ValidationError("--pdr-query-timeout must be a positive number of seconds")
        }
    }

    /// The SMT engine's options: these settings and the command's budget, as the explorer has it, with the time
    /// left of the command's limit.
    func options(explorer: ExplorerOptions, timeoutSeconds: Double?) -> SMTOptions {
        var options = SMTOptions()
        options.maxDepth = smtDepth
        options.method = smtMethod
        options.pdrQuerySeconds = pdrQueryTimeout
        options.pdrEngine = pdrEngine
        options.budget = explorer.budget
        options.budget.timeoutSeconds = timeoutSeconds
        options.budget.statedTimeoutSeconds = RunControl.commandTimeout
        return options
    }

    /// Prints the details of an SMT run these options ask for (text output only), as `SMTDetailsRenderer` words them.
    func printDetails(_ details: SMTRun, file: String) {
        print(SMTDetailsRenderer.render(details, file: file, method: smtMethod.rawValue, invariants: showInvariant,
                                        statistics: smtStats), terminator: "")
    }
}
