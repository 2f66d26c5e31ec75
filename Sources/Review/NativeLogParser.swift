/// The native event-log format, one event per line (documented in docs/reviewing.md):
///
/// ```
/// # comment (also after an event); blank lines are ignored
/// DEVICE set REQUESTED ok [recover R]            the SET succeeded: DEVICE is in REQUESTED
/// DEVICE set REQUESTED fail [STATE] [recover R]  the SET failed; STATE is the state afterwards, when known
/// DEVICE set REQUESTED unknown [recover R]       the outcome is not known
/// DEVICE state STATE                             DEVICE was seen in STATE (a GET, or a trace of QEMU's cache)
/// DEVICE reset [STATE]                           DEVICE was reset; it is then in STATE (default RUNNING)
/// ```
///
/// DEVICE is any word without blanks (`0000:01:00.0`, `dev1`); states are the model's state names.
public enum NativeLogParser {
    /// Parses the lines (without line terminators).
    public static func parse<S: StringProtocol>(_ lines: [S], name: String) throws -> EventLog {
        var events: [ProtocolEvent] = []
        var skipped = 0
        for (offset, raw) in lines.enumerated() {
            let number = offset + 1
            var text = String(raw)
            if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if words.isEmpty {
                skipped += 1
                continue
            }
            events.append(try event(words, line: number, name: name, text: String(raw)))
        }
        return EventLog(events: events, format: .native, skippedLines: skipped)
    }

    private static func event(_ words: [String], line: Int, name: String, text: String) throws -> ProtocolEvent {
        func problem(_ message: String) -> ReviewError {
            ReviewError(.logLine(log: name, line: line, message: message, text: text,
                                 expected: "DEVICE set STATE ok|fail [STATE]|unknown [recover STATE], DEVICE state STATE, "
                                     + "or DEVICE reset [STATE]"))
        }
        guard words.count >= 2 else { throw problem("an event needs a device and a verb") }
        let device = words[0]
        switch words[1] {
        case "set":
            guard words.count >= 4 else { throw problem("'set' needs the requested state and the result") }
            let requested = words[2]
            var rest = Array(words[4...])
            var recover: String?
            if rest.count >= 2, rest[rest.count - 2] == "recover" {
                recover = rest[rest.count - 1]
                rest.removeLast(2)
            }
            guard let outcome = ProtocolEvent.Outcome(rawValue: words[3]) else {
                throw problem("the result of a SET is ok, fail or unknown, not '\(words[3])'")
            }
            var after: String?
            switch outcome {
            case .ok:
                if let stated = rest.first, stated != requested {
                    throw problem("a successful SET leaves the device in the requested state \(requested), not \(stated)")
                }
                guard rest.count <= 1 else { throw problem("unexpected '\(rest[1])'") }
                after = requested
            case .fail, .unknown:
                guard rest.count <= 1 else { throw problem("unexpected '\(rest[1])'") }
                after = rest.first
            }
            return ProtocolEvent(line: line, device: device, kind: .set(requested: requested, recover: recover), outcome: outcome,
                                 stateAfter: after)
        case "state":
            guard words.count == 3 else { throw problem("'state' needs exactly one state") }
            return ProtocolEvent(line: line, device: device, kind: .observed, outcome: .ok, stateAfter: words[2])
        case "reset":
            guard words.count <= 3 else { throw problem("unexpected '\(words[3])'") }
            return ProtocolEvent(line: line, device: device, kind: .reset, outcome: .ok,
                                 stateAfter: words.count == 3 ? words[2] : nil)
        default:
            throw problem("unknown verb '\(words[1])'")
        }
    }
}
