/// What `vfio-mc kernel` reads from a kernel's `vfio_main.c` (and, for a tree, `include/uapi/linux/vfio.h`):
/// the next-state table, the supported-state rule and the shape of the resolver's loop. Values stay typed
/// (state names without the `VFIO_DEVICE_STATE_` prefix, flag names without `VFIO_MIGRATION_`) until rendered.
public struct KernelTables: Sendable, Hashable {
    /// The file the table was read from.
    public let file: String
    /// The states, in enum value order (states of unknown value last, in order of first appearance).
    public let states: [String]
    /// Each state's enum value, when known.
    public let values: [String: Int]
    /// Where the states and their values come from.
    public let enumSource: String
    /// `table[cur][new]`, complete: entries the file leaves out hold the value-0 state, as C zero-fills them.
    public let table: [String: [String: String]]
    /// The entries the file leaves out (C gives them 0), as (current, requested) pairs in table order.
    public let uninitialised: [KernelRequest]
    /// The flags each state needs to be supported.
    public let needs: [String: StateNeeds]
    /// Where the supported-state rule comes from: the file, or the documented rule and why.
    public let needsSource: RuleSource
    /// The optional flags (every flag but STOP_COPY), sorted; every subset of them is a flag set to check.
    public let optionalFlags: [String]
    /// What the file shows of the resolver's loop.
    public let loop: LoopReading
    /// Remarks for the reader: zero-filled entries, states the documentation does not know, fallbacks.
    public let notes: [String]

    /// The state with enum value 0 (`ERROR` in the uAPI), which is also what a left-out entry holds.
    public var zeroState: String? { values.first { $0.value == 0 }?.key }
}

/// A (current, requested) pair.
public struct KernelRequest: Sendable, Hashable, Comparable {
    /// The current state.
    public let current: String
    /// The requested state.
    public let requested: String

    /// Creates a pair.
    public init(current: String, requested: String) {
        self.current = current
        self.requested = requested
    }

    /// Orders by current, then requested (names; callers that need table order sort themselves).
    public static func < (lhs: KernelRequest, rhs: KernelRequest) -> Bool {
        (lhs.current, lhs.requested) < (rhs.current, rhs.requested)
    }
}

/// The flags a state needs: named flags, or every bit (`~0U`), which no device has.
public struct StateNeeds: Sendable, Hashable {
    /// The named flags (without the `VFIO_MIGRATION_` prefix).
    public let flags: Set<String>
    /// True for `~0U`: the state needs bits no flag set has, so no device supports it.
    public let allBits: Bool

    /// Creates needs.
    public init(flags: Set<String>, allBits: Bool) {
        self.flags = flags
        self.allBits = allBits
    }

    /// Whether a device with `flagSet` (which always includes STOP_COPY) supports the state.
    public func supported(by flagSet: Set<String>) -> Bool { !allBits && flags.isSubset(of: flagSet) }

    /// `STOP_COPY|P2P`, `~0 (every bit)`, or `nothing`.
    public var rendered: String {
        if allBits { return "~0 (every bit)" }
        return flags.isEmpty ? "nothing" : flags.sorted().joined(separator: "|")
    }
}

/// Where the supported-state rule was taken from.
public enum RuleSource: Sendable, Hashable {
    /// `state_flags_table` of the file, at this line.
    case file(line: Int)
    /// The documented rule (shared/spec/kernel-next-state.md), because the file's could not be read.
    case documented(reason: String)

    /// A sentence for the report.
    public var rendered: String {
        switch self {
        case .file(let line): return "state_flags_table at line \(line)"
        case .documented(let reason): return "the documented rule (\(reason))"
        }
    }
}

/// What the file shows of the resolver's `while` loop over unsupported states (disputes D5).
public enum LoopReading: Sendable, Hashable {
    /// The shipped loop: it does not stop at ERROR, so a request whose path reaches ERROR loops forever.
    case shipped(line: Int)
    /// A loop that tests ERROR (in its condition or body): the posted fix, such a request fails instead.
    case fixed(line: Int)
    /// The loop was not found or not recognised; both readings are reported with equal weight.
    case unknown(reason: String)

    /// A sentence for the report.
    public var rendered: String {
        switch self {
        case .shipped(let line): return "the shipped loop (line \(line): it does not stop at ERROR)"
        case .fixed(let line): return "the posted fix (line \(line): the loop tests ERROR)"
        case .unknown(let reason): return "unknown (\(reason)); both readings count"
        }
    }
}

/// The documented facts the extractor falls back on (shared/spec/kernel-next-state.md, include/uapi/linux/vfio.h).
enum DocumentedKernel {
    /// `enum vfio_device_mig_state`, Linux 6.2 and later.
    static let states: [(String, Int)] = [
        ("ERROR", 0), ("STOP", 1), ("RUNNING", 2), ("STOP_COPY", 3), ("RESUMING", 4), ("RUNNING_P2P", 5),
        ("PRE_COPY", 6), ("PRE_COPY_P2P", 7),
    ]

    /// The needs table of the data page.
    static let needs: [String: StateNeeds] = [
        "STOP": StateNeeds(flags: ["STOP_COPY"], allBits: false),
        "RUNNING": StateNeeds(flags: ["STOP_COPY"], allBits: false),
        "STOP_COPY": StateNeeds(flags: ["STOP_COPY"], allBits: false),
        "RESUMING": StateNeeds(flags: ["STOP_COPY"], allBits: false),
        "RUNNING_P2P": StateNeeds(flags: ["STOP_COPY", "P2P"], allBits: false),
        "PRE_COPY": StateNeeds(flags: ["STOP_COPY", "PRE_COPY"], allBits: false),
        "PRE_COPY_P2P": StateNeeds(flags: ["STOP_COPY", "P2P", "PRE_COPY"], allBits: false),
        "ERROR": StateNeeds(flags: [], allBits: true),
    ]
}
