/// Where the SMT engine's time went: for each method and property, how many solver queries it asked and how
/// long Z3 took to answer them. Queries that ask about several properties at once (BMC's "is anything
/// violated at this depth", PDR's joint proof) are counted under "(all undecided)". The time spent building terms
/// before the queries is counted under the method "encoding" (each building step counts as one "query"): the
/// transition relation, the BMC unrolling (one step per depth), the liveness terms and the lasso conditions.
public struct SMTQueryStatistics: Sendable, Hashable {
    /// One method's queries about one property.
    public struct Entry: Sendable, Hashable {
        /// "bmc", "k-induction", "houdini" (the invariant finder: simulation, certificate, initiation,
        /// consecution, check), "pdr", "pdr check" (the independent check of PDR's invariant), "lasso bmc" and
        /// "pdr" for liveness, "graph" (the explorer's search for the explicit graph's lassos) and "lasso check"
        /// (Z3's check of one of them), or "encoding" (building terms, no solver query).
        public var method: String
        /// The property's name, or "(all undecided)".
        public var property: String
        /// Queries asked.
        public var queries: Int
        /// Seconds Z3 spent answering them.
        public var seconds: Double
    }

    /// Entries in the order they first occurred.
    public private(set) var entries: [Entry] = []
    private var positions: [String: Int] = [:]

    /// Empty statistics.
    public init() {}

    /// Counts one query.
    mutating func record(method: String, property: String, seconds: Double) {
        let key = method + "\u{0}" + property
        if let position = positions[key] {
            entries[position].queries += 1
            entries[position].seconds += seconds
        } else {
            positions[key] = entries.count
            entries.append(Entry(method: method, property: property, queries: 1, seconds: seconds))
        }
    }

    /// Adds another run's queries (the second pass's run of a combination, `SMTRun.continued(by:)`).
    mutating func add(_ other: SMTQueryStatistics) {
        for entry in other.entries {
            let key = entry.method + "\u{0}" + entry.property
            if let position = positions[key] {
                entries[position].queries += entry.queries
                entries[position].seconds += entry.seconds
            } else {
                positions[key] = entries.count
                entries.append(entry)
            }
        }
    }

    /// Total solver seconds.
    public var seconds: Double { entries.reduce(0) { $0 + $1.seconds } }
}
