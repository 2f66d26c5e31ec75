/// Identifiers for the Promela translation: model names kept where possible, renamed when they would clash with
/// a Promela or C keyword (the state variables become fields of pan.c's state structure) or with each other.
/// Everything the translation adds itself is hidden and starts with `vmc_`, which pan.c never uses.
struct PromelaNames {
    /// Promela keywords (including SPIN 6's LTL operators), C keywords, and names pan.c uses for its own types.
    static let reserved: Set<String> = [
        "active", "assert", "atomic", "bit", "bool", "break", "byte", "chan", "d_step", "D_proctype", "do", "else", "empty",
        "enabled", "eval", "false", "fi", "for", "full", "get_priority", "goto", "hidden", "if", "in", "init", "inline", "int",
        "len", "local", "ltl", "mtype", "nempty", "never", "nfull", "notrace", "np_", "od", "of", "pc_value", "print", "printf",
        "printm", "priority", "proctype", "provided", "run", "select", "set_priority", "short", "show", "skip", "timeout",
        "trace", "true", "typedef", "unless", "unsigned", "xr", "xs", "c_code", "c_decl", "c_expr", "c_state", "c_track",
        "always", "eventually", "until", "weakuntil", "stronguntil", "release", "implies", "equivalent", "X", "U", "V", "W",
        "auto", "case", "char", "const", "continue", "default", "double", "enum", "extern", "float", "long", "register",
        "restrict", "return", "signed", "sizeof", "static", "struct", "switch", "union", "void", "volatile", "while",
        "now", "sv", "uchar", "uint", "ulong", "ushort", "Trans", "State",
    ]

    private var used: Set<String> = []

    /// A fresh identifier close to `name`: the name itself when free, else with `suffix` (and a number) appended.
    mutating func allocate(_ name: String, suffix: String) -> String {
        var base = String(name.map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "_") ? character : "_"
        })
        if base.isEmpty || base.first?.isNumber == true { base = "n_" + base }
        if base.hasPrefix("_") { base = "u" + base }
        var candidate = base
        if Self.reserved.contains(candidate) || used.contains(candidate) || candidate.hasPrefix("vmc_") && suffix != "" {
            candidate = base + suffix
        }
        var counter = 2
        while Self.reserved.contains(candidate) || used.contains(candidate) {
            candidate = base + suffix + String(counter)
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// A fresh hidden helper name, `vmc_` + `name`.
    mutating func helper(_ name: String) -> String {
        allocate("vmc_" + name, suffix: "")
    }
}
