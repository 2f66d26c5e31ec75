/// Where the SMT engine's time went: for each method and property, how many solver queries it asked and how
/// long Z3 took to answer them. Queries that ask about several properties at once (BMC's "is anything
/// violated at this depth", PDR's joint proof) are counted under "(all undecided)". The time spent building terms
/// before the queries is counted under the method "encoding" (each building step counts as one "query"): the
/// transition relation, the BMC unrolling (one step per depth), the liveness terms and the lasso conditions.
public struct SMTQueryStatistics: Sendable, Hashable {
    /// One method's queries about one property.
    public struct Entry: Sendable, Hashable {
        /// "bmc", "k-induction", "pdr", "pdr check" (the independent check of PDR's invariant), "lasso bmc" and
        /// "pdr" for liveness, or "encoding" (building terms, no solver query).
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

    /// Total solver seconds.
    public var seconds: Double { entries.reduce(0) { $0 + $1.seconds } }

    /// A text table, slowest first, with per-method totals.
    public func rendered() -> String {
        var lines = ["  method       queries   seconds  property"]
        func row(_ method: String, _ queries: Int, _ seconds: Double, _ property: String) -> String {
            let time = String(Double((seconds * 1000).rounded()) / 1000)
            return "  " + method.padding(11) + " " + String(queries).leftPadding(8) + " " + time.leftPadding(9) + "  " + property
        }
        var totals: [(String, Int, Double)] = []
        for entry in entries {
            if let index = totals.firstIndex(where: { $0.0 == entry.method }) {
                totals[index].1 += entry.queries
                totals[index].2 += entry.seconds
            } else {
                totals.append((entry.method, entry.queries, entry.seconds))
            }
        }
        for (method, queries, seconds) in totals { lines.append(row(method, queries, seconds, "(total)")) }
        for entry in entries.sorted(by: { $0.seconds > $1.seconds }) {
            lines.append(row(entry.method, entry.queries, entry.seconds, entry.property))
        }
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadding(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
