import PackedSystem

/// What the invariant finder did in one run, as the note of a property it left undecided tells it.
enum FinderAttempt: Sendable, Equatable {
    /// The reachable set's certificate over this many states passed its checks; a property it leaves
    /// undecided is one the sample violates whose trace was not certified.
    case certificate(states: Int)
    /// Houdini's invariant of this many lemmas passed the check and does not imply the property.
    case houdini(lemmas: Int)
    /// No candidate lemma survived the simulation and Houdini's loop.
    case empty
    /// The finder ran out of time: its own (`houdiniSeconds`, at most half of what the run had left) or the run's.
    case outOfTime
    /// The finder's invariant failed the independent check (the reason follows in the property's note).
    case rejected

    /// The prover as the object of "not proved by".
    var prover: String {
        switch self {
        case .certificate(let states): return "the reachable set's certificate (\(states) states)"
        case .houdini(let lemmas): return "Houdini's invariant (\(lemmas) lemma\(lemmas == 1 ? "" : "s"))"
        case .empty: return "Houdini (no candidate lemma survived)"
        case .outOfTime: return "the invariant finder (out of time)"
        case .rejected: return "the invariant finder (its invariant was rejected)"
        }
    }
}

/// The note of a safety property the symbolic engine left unknown: what its method actually tried. Before,
/// every method's note said "not proved by k-induction up to k = 0", also under `bmc` (which proves nothing)
/// and `houdini` or `pdr` (which never run k-induction). Each part the method has is said: BMC's depth, the
/// provers that ran and did not prove the property, the provers the run never reached, and why the run stopped
/// (else the depth bound). Kept out of `SMTEngine.swift`, which only records what ran.
struct UndecidedSafetyNote: Sendable, Equatable {
    /// The run's method.
    var method: SMTMethod
    /// The deepest bound BMC checked (-1: none).
    var depthReached: Int
    /// The deepest k at which the induction step ran (-1: none).
    var inductionReached: Int
    /// What the invariant finder did (nil: it did not run).
    var finder: FinderAttempt?
    /// Whether PDR was asked about this property.
    var pdrAsked: Bool
    /// Why the run stopped (nil: it ran to its bound).
    var stopReason: StopReason?
    /// `--smt-depth`.
    var maxDepth: Int

    /// The note.
    var text: String {
        var provers: [String] = []
        var notRun: [String] = []
        if method == .kind || method == .auto {
            if inductionReached >= 0 { provers.append("k-induction up to k = \(inductionReached)") } else { notRun.append("k-induction") }
        }
        if method == .houdini || method == .auto {
            if let finder { provers.append(finder.prover) } else { notRun.append("the invariant finder") }
        }
        if method == .pdr || method == .auto {
            if pdrAsked { provers.append("PDR") } else { notRun.append("PDR") }
        }
        if depthReached < 0, stopReason != nil { notRun.insert("BMC", at: 0) }
        var parts: [String] = []
        if depthReached >= 0 { parts.append("no violation within \(depthReached) step\(depthReached == 1 ? "" : "s")") }
        if !provers.isEmpty { parts.append("not proved by " + Self.list(provers, conjunction: "or")) }
        var note = parts.isEmpty ? "no verdict" : parts.joined(separator: " and ")
        if method == .bmc, depthReached >= 0 { note += " (bmc proves nothing)" }
        if let stopReason { note += " (\(stopReason))" } else if depthReached >= 0 { note += " (the bound is --smt-depth \(maxDepth))" }
        if !notRun.isEmpty {
            note += "; " + Self.list(notRun, conjunction: "and") + (stopReason == nil ? " not run" : " not reached")
        }
        return note
    }

    /// "a", "a or b", "a, b or c".
    private static func list(_ items: [String], conjunction: String) -> String {
        guard let last = items.last, items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }
}
