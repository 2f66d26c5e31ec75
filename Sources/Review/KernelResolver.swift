/// The kernel's algorithm run directly on the table (data page, "The algorithm"), for the combination paths.
/// The verdicts come from the checker; these paths are what a reviewer reads and diffs.
public enum KernelResolver {
    /// Every flag set (every subset of the optional flags) and every (current, requested) pair.
    public static func paths(_ tables: KernelTables, variant: LoopVariant) -> [KernelPath] {
        var paths: [KernelPath] = []
        for flagSet in flagSets(tables.optionalFlags) {
            let flags = Set(flagSet).union(["STOP_COPY"])
            for current in tables.states {
                for requested in tables.states {
                    paths.append(path(tables, flags: flags, listed: flagSet, current: current, requested: requested, variant: variant))
                }
            }
        }
        return paths
    }

    /// The subsets of `flags`, smallest first, each in the order of `flags`.
    static func flagSets(_ flags: [String]) -> [[String]] {
        guard flags.count < 16 else { return [flags] }
        var sets: [[String]] = []
        for mask in 0..<(1 << flags.count) {
            sets.append(flags.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
        }
        return sets.sorted { ($0.count, $0.joined(separator: ",")) < ($1.count, $1.joined(separator: ",")) }
    }

    enum Step { case next(String), einval, hangs }

    /// One call of the resolver.
    static func resolve(_ tables: KernelTables, flags: Set<String>, current: String, requested: String,
                        variant: LoopVariant) -> Step {
        func supported(_ state: String) -> Bool { tables.needs[state]?.supported(by: flags) ?? false }
        guard supported(current), supported(requested) else { return .einval }
        var next = tables.table[current]?[requested] ?? current
        var visited: Set<String> = []
        while !supported(next) {
            if variant == .fixed && next == "ERROR" { break }
            if !visited.insert(next).inserted { return .hangs }
            next = tables.table[next]?[requested] ?? next
        }
        return next == "ERROR" ? .einval : .next(next)
    }

    /// The driver's SET loop for one request.
    static func path(_ tables: KernelTables, flags: Set<String>, listed: [String], current: String, requested: String,
                     variant: LoopVariant) -> KernelPath {
        var states = [current]
        var here = current
        var visited: Set<String> = [current]
        while here != requested {
            switch resolve(tables, flags: flags, current: here, requested: requested, variant: variant) {
            case .einval:
                return KernelPath(flags: listed, current: current, requested: requested, outcome: .refused, states: states)
            case .hangs:
                return KernelPath(flags: listed, current: current, requested: requested, outcome: .hangs, states: states)
            case .next(let next):
                states.append(next)
                here = next
                // The resolver is a function of (here, requested): a state seen twice means a cycle.
                if !visited.insert(next).inserted && next != requested {
                    return KernelPath(flags: listed, current: current, requested: requested, outcome: .hangs, states: states)
                }
            }
        }
        return KernelPath(flags: listed, current: current, requested: requested, outcome: .reached, states: states)
    }
}
