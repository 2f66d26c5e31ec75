/// Writes the resolver model (the form of Models/kernel-next-state.vmc) for tables read from a kernel file, so
/// that the explicit engine, not this code, gives the verdicts. What comes from the file: the states, the table,
/// the supported-state rule and the flags. What comes from the documentation (shared/spec/vfio-migration.md,
/// section 2): the permitted single arcs with every feature, the merging of the *_P2P states without P2P, the
/// saving group and the blocked requests; a state the documentation does not know has no permitted arc.
/// The posted loop fix (disputes D5) is the constant `LOOP_FIX`: the loop stops at ERROR and the request fails.
public enum KernelModel {
    /// The permitted single arcs with all features (brief section 2), from -> [to].
    static let documentedArcs: [String: [String]] = [
        "STOP": ["STOP_COPY", "RESUMING", "RUNNING_P2P"],
        "RUNNING": ["RUNNING_P2P", "PRE_COPY"],
        "STOP_COPY": ["STOP"],
        "RESUMING": ["STOP"],
        "RUNNING_P2P": ["STOP", "RUNNING", "PRE_COPY_P2P"],
        "PRE_COPY": ["RUNNING", "PRE_COPY_P2P"],
        "PRE_COPY_P2P": ["STOP_COPY", "RUNNING_P2P", "PRE_COPY"],
    ]
    /// The states that carry a migration session (a path may only start or end in one).
    static let savingGroup = ["PRE_COPY", "PRE_COPY_P2P", "STOP_COPY"]
    /// Requests the uAPI blocks even when both states are supported.
    static let blockedRequests = [("STOP_COPY", "PRE_COPY"), ("STOP_COPY", "PRE_COPY_P2P")]
    /// Without P2P, a *_P2P state behaves as its fully running twin.
    static let p2pTwins = [("RUNNING_P2P", "RUNNING"), ("PRE_COPY_P2P", "PRE_COPY")]

    /// The properties of the generated model that carry the brief's rules, in report order, with the rule each
    /// one checks.
    public static let rules: [(property: String, rule: String)] = [
        ("Terminates", "the resolver terminates (every SET returns)"),
        ("NeverUnsupported", "the driver never passes through an unsupported state"),
        ("YieldsSupported", "the resolver never yields an unsupported state"),
        ("ArcPermitted", "only permitted single arcs"),
        ("NoSavingInterior", "no saving-group state inside a path"),
        ("NoShorterPath", "paths are shortest over the permitted arcs"),
        ("BlockedFailsUnchanged", "blocked requests fail with the state unchanged (and only they fail)"),
        ("NonBlockedSucceeds", "a request that is not blocked reaches the requested state"),
        ("SuccessIsPermitted", "success means the requested state, from a request that is not blocked"),
    ]

    static let reserved: Set<String> = [
        "model", "const", "type", "var", "table", "def", "action", "fair", "when", "if", "then", "else", "choose",
        "let", "assert", "invariant", "reachable", "eventually", "leadsto", "terminal", "expect", "holds",
        "violated", "unreachable", "forall", "exists", "count", "in", "bool", "enum", "scalarset", "any", "true",
        "false", "where", "variant", "combination",
        "D_CALL", "D_LOOP", "D_ARC", "D_OK", "D_EINVAL", "St", "DPh", "MAXLEN", "MAXW", "LOOP_FIX", "ktab",
        "full", "need_all", "sup", "saving", "merge", "arc", "blocked", "start", "req", "dph", "cur", "len", "nxt",
        "here", "interior", "unsupported", "badarc", "w", "wlen", "wat", "drive", "resolve_loop", "resolve_return",
        "do_arc", "walk", "m", "s", "a", "b", "x", "y",
    ]

    /// The most states and optional flags checked, so that every accepted input is checked in under a minute
    /// even in a debug build (measured: 12 states and 4 flags 29 s, 16 and 5 four minutes); the kernel has 8
    /// states and 2 optional flags.
    public static let maxStates = 12
    public static let maxOptionalFlags = 4

    /// The model's name for each state: the C name without its prefix when that is a usable identifier.
    static func modelNames(_ states: [String]) -> [String: String] {
        var names: [String: String] = [:]
        var used: Set<String> = []
        for (index, state) in states.enumerated() {
            let valid = state.first.map { $0.isLetter || $0 == "_" } ?? false
                && state.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
            let free = !reserved.contains(state) && !state.hasPrefix("need_") && !state.hasPrefix("f_")
            var name = valid && free ? state : "S\(index)_" + state.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
            while used.contains(name) { name += "_" }
            used.insert(name)
            names[state] = name
        }
        return names
    }

    /// The model text.
    public static func text(for tables: KernelTables) -> String {
        let names = modelNames(tables.states)
        let states = tables.states
        func n(_ state: String) -> String { names[state] ?? state }
        func present(_ state: String) -> Bool { states.contains(state) }
        var lines: [String] = []
        lines.append("model kernel_from_source")
        lines.append("// Generated by `vfio-mc kernel` from \(tables.file.replacingOccurrences(of: "\n", with: " ")).")
        lines.append("type St = enum { \(states.map(n).joined(separator: ", ")) }")
        lines.append("const LOOP_FIX = false")

        func row(_ values: [String]) -> String { "{ " + values.joined(separator: ", ") + " }" }
        lines.append("table ktab: [St][St] St = {")
        for current in states {
            lines.append("  \(n(current)): " + row(states.map { n(tables.table[current]?[$0] ?? current) }) + ",")
        }
        lines.append("}")

        let flags = tables.optionalFlags
        for flag in flags {
            lines.append("var f_\(flag): bool = any")
            lines.append("table need_\(flag): [St] bool = " + row(states.map { String(tables.needs[$0]?.flags.contains(flag) ?? false) }))
        }
        lines.append("table need_all: [St] bool = " + row(states.map { String(tables.needs[$0]?.allBits ?? false) }))
        let flagTerms = flags.map { "(!need_\($0)[s] || f_\($0))" }
        lines.append("def sup(s: St): bool = " + (flagTerms + ["!need_all[s]"]).joined(separator: " && "))

        lines.append("table full: [St][St] bool = {")
        for from in states {
            let targets = documentedArcs[from] ?? []
            lines.append("  \(n(from)): " + row(states.map { String(targets.contains($0)) }) + ",")
        }
        lines.append("}")

        let saving = savingGroup.filter(present).map(n)
        lines.append("def saving(s: St): bool = " + (saving.isEmpty ? "false" : "s in { \(saving.joined(separator: ", ")) }"))
        var merge = "s"
        if flags.contains("P2P") {
            for (twin, base) in p2pTwins.reversed() where present(twin) && present(base) {
                merge = "if !f_P2P && s == \(n(twin)) then \(n(base)) else \(merge)"
            }
        }
        lines.append("def merge(s: St): St = \(merge)")
        lines.append("def arc(a: St, b: St): bool = a != b && sup(a) && sup(b) && (exists x: St, y: St. full[x][y] && merge(x) == a && merge(y) == b)")
        let blocked = blockedRequests.filter { present($0.0) && present($0.1) }.map { "(a == \(n($0.0)) && b == \(n($0.1)))" }
        lines.append("def blocked(a: St, b: St): bool = " + (["!sup(a)", "!sup(b)"] + blocked).joined(separator: " || "))
        let error = present("ERROR") ? "nxt == \(n("ERROR"))" : "false"

        // The driver loop and the resolver, as in Models/kernel-next-state.vmc, with two changes: the path length
        // saturates at MAXLEN (a longer path repeats a state and so never ends, which Terminates reports), and a
        // bad arc is recorded in a flag checked by an invariant instead of failing an assertion, because a failed
        // assertion ends the execution there and would also count as a SET that never returns.
        let maxLength = states.count + 1
        // Any state serves as the initial value of the cells that are read only once set (KernelAnalysis refuses
        // a table without states before it gets here; the fallback keeps this function total).
        let anyState = states.first.map(n) ?? "ERROR"
        lines.append(contentsOf: [
            "var start: St = any",
            "var req: St = any",
            "type DPh = enum { D_CALL, D_LOOP, D_ARC, D_OK, D_EINVAL }",
            "const MAXLEN = \(maxLength)",
            "var dph: DPh = D_CALL",
            "var cur: St = \(anyState)",
            "var len: 0..MAXLEN = 0",
            "var nxt: St = \(anyState)",
            "def here = if len == 0 then start else cur",
            "var interior: bool = false",
            "var unsupported: bool = false",
            "var badarc: bool = false",
            "fair action drive when dph == D_CALL {",
            "  if here == req { dph := D_OK }",
            "  else if !sup(here) { dph := D_EINVAL }",
            "  else if !sup(req) { dph := D_EINVAL }",
            "  else { nxt := ktab[here][req]  dph := D_LOOP }",
            "}",
            "fair action resolve_loop when dph == D_LOOP && !sup(nxt) && !(LOOP_FIX && \(error)) {",
            "  nxt := ktab[nxt][req]",
            "}",
            "fair action resolve_return when dph == D_LOOP && (sup(nxt) || (LOOP_FIX && \(error))) {",
            "  if \(error) { dph := D_EINVAL } else { dph := D_ARC }",
            "}",
            "fair action do_arc when dph == D_ARC {",
            "  if !sup(nxt) { unsupported := true }",
            "  if !arc(here, nxt) { badarc := true }",
            "  if nxt != req && saving(nxt) { interior := true }",
            "  cur := nxt",
            "  if len < MAXLEN { len := len + 1 }",
            "  dph := D_CALL",
            "}",
            "invariant NoSavingInterior: !interior",
            "invariant YieldsSupported: !unsupported",
            "invariant ArcPermitted: !badarc",
            "const MAXW = \(maxLength)",
            "var w: St = \(anyState)",
            "var wlen: 0..MAXW = 0",
            "def wat = if wlen == 0 then start else w",
            "action walk(m: St) when !blocked(start, req) && wat != req && wlen < MAXW && arc(wat, m) && (m == req || !saving(m)) {",
            "  w := m",
            "  wlen := wlen + 1",
            "}",
            "terminal dph == D_OK || dph == D_EINVAL",
            "eventually Terminates: dph == D_OK || dph == D_EINVAL",
            "eventually NonBlockedSucceeds: (blocked(start, req) && start != req) || dph == D_OK",
            "invariant BlockedFailsUnchanged: dph == D_EINVAL -> len == 0 && blocked(start, req)",
            "invariant SuccessIsPermitted: dph == D_OK -> here == req && (start == req || !blocked(start, req))",
            "invariant NeverUnsupported: len > 0 -> sup(cur)",
            "invariant NoShorterPath: !(dph == D_OK && wat == req && wlen < len)",
        ])
        return lines.joined(separator: "\n") + "\n"
    }
}
