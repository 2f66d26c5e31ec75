/// One observed protocol event of one device, as read from a log (see docs/reviewing.md, "The event log").
public struct ProtocolEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// Userspace asked for `requested` (a SET of MIG_DEVICE_STATE); `recover` is QEMU's recover state when the
        /// log gives it.
        case set(requested: String, recover: String?)
        /// The device was reset.
        case reset
        /// The device was seen in a state: a GET, or a trace of QEMU's cached state.
        case observed
    }

    /// The outcome of a request.
    public enum Outcome: String, Sendable, Hashable {
        /// The request succeeded (for a SET: the device is in the requested state).
        case ok
        /// The request failed.
        case fail
        /// The log does not say.
        case unknown
    }

    /// The line of the log the event was read from (1-based; for an event assembled from several QEMU trace
    /// lines, the line that completed it).
    public let line: Int
    /// The device's name in the log.
    public let device: String
    /// What happened.
    public let kind: Kind
    /// The outcome.
    public let outcome: Outcome
    /// The device's state after the event, when the log tells it (for a successful SET, the requested state).
    public let stateAfter: String?

    /// Creates an event.
    public init(line: Int, device: String, kind: Kind, outcome: Outcome, stateAfter: String?) {
        self.line = line
        self.device = device
        self.kind = kind
        self.outcome = outcome
        self.stateAfter = stateAfter
    }

    /// The event in the native log format: `0000:01:00.0 set STOP_COPY ok`, `dev1 set STOP fail ERROR`,
    /// `dev1 state RUNNING`, `dev1 reset RUNNING`, with ` recover R` when known.
    public var description: String {
        switch kind {
        case .set(let requested, let recover):
            var text = "\(device) set \(requested) \(outcome.rawValue)"
            if outcome != .ok, let stateAfter { text += " \(stateAfter)" }
            if let recover { text += " recover \(recover)" }
            return text
        case .reset:
            return "\(device) reset" + (stateAfter.map { " \($0)" } ?? "")
        case .observed:
            return "\(device) state \(stateAfter ?? "?")"
        }
    }
}

/// An event log: the events in order, and how the log was read.
public struct EventLog: Sendable {
    /// The formats a log can be written in.
    public enum Format: String, Sendable, CaseIterable {
        /// Decide from the contents: `qemu` when some line carries one of the QEMU trace events, else `native`.
        case auto
        /// vfio-mc's own line format.
        case native
        /// QEMU trace-event lines (`-trace 'vfio_migration_*' -trace 'vfio_vmstate_change*'`, log backend).
        case qemu
    }

    /// The events.
    public let events: [ProtocolEvent]
    /// The format that was read (never `auto`).
    public let format: Format
    /// Lines that were skipped (comments, blank lines, other QEMU trace events and messages).
    public let skippedLines: Int
    /// The device names in order of first appearance.
    public var deviceNames: [String] {
        var names: [String] = []
        for event in events where !names.contains(event.device) { names.append(event.device) }
        return names
    }

    /// Creates a log.
    public init(events: [ProtocolEvent], format: Format, skippedLines: Int) {
        self.events = events
        self.format = format
        self.skippedLines = skippedLines
    }

    /// Parses a log's text; `name` is used in messages. A malformed line is a `ReviewError` naming the line.
    public static func parse(_ text: String, name: String, format: Format = .auto) throws -> EventLog {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        // The empty "line" after a final newline is not a line.
        if text.hasSuffix("\n") { lines.removeLast() }
        var chosen = format
        if chosen == .auto {
            chosen = lines.contains(where: { QEMUTraceAdapter.eventName(in: $0) != nil }) ? .qemu : .native
        }
        switch chosen {
        case .qemu: return try QEMUTraceAdapter.parse(lines, name: name)
        default: return try NativeLogParser.parse(lines, name: name)
        }
    }
}
