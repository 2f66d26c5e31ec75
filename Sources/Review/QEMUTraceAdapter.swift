/// Reads QEMU's VFIO migration trace events (the `log` trace backend, as printed with
/// `-trace 'vfio_migration_*' -trace 'vfio_vmstate_change*'`; an optional `PID@SECONDS:` prefix, as with
/// `-msg timestamp=on`, and any other text before the event name are ignored):
///
/// ```
/// vfio_migration_set_state  (0000:01:00.0) new state STOP_COPY, recover state STOP
/// vfio_migration_set_device_state  (0000:01:00.0) state STOP_COPY
/// vfio_migration_set_state  (0000:01:00.0) state STOP_COPY
/// vfio_vmstate_change  (0000:01:00.0) running 0 reason finish-migrate device state STOP_COPY
/// vfio_vmstate_change_prepare  (0000:01:00.0) running 0 reason finish-migrate device state PRE_COPY_P2P
/// ```
///
/// - `vfio_migration_set_state ... new state S, recover state R` is a request: SET S with recover state R. Its
///   outcome is the next line for the same device that gives a state (`vfio_migration_set_device_state`, which
///   traces QEMU's cached state, or `vfio_vmstate_change*`): that state X is the state afterwards (QEMU never GETs,
///   and its cache equals the device's state after `set_state`, by its recover logic). X == S is success; any other
///   X is a failure after which the device is in X (R when the recover SET worked, RUNNING after a reset).
///   A request without such a line (the next request for the device, or the end of the log, comes first) has
///   an unknown outcome.
/// - `vfio_migration_set_state ... state S` (the older form, traced only after a successful SET) is SET S ok.
/// - `vfio_migration_set_device_state` and `vfio_vmstate_change*` lines without a pending request are
///   observations: the device is in that state.
/// Every other line is skipped; a line carrying one of these event names in another shape is an error.
public enum QEMUTraceAdapter {
    /// The trace events read.
    public static let eventNames: Set<String> = [
        "vfio_migration_set_state", "vfio_migration_set_device_state", "vfio_vmstate_change", "vfio_vmstate_change_prepare",
    ]

    /// The QEMU VFIO event name a line carries, if any.
    public static func eventName<S: StringProtocol>(in line: S) -> String? {
        let characters = Array(line)
        var index = 0
        while index < characters.count {
            let startsWord = index == 0 || !isIdentifier(characters[index - 1])
            if startsWord, characters[index] == "v" {
                var end = index
                while end < characters.count, isIdentifier(characters[end]) { end += 1 }
                let word = String(characters[index..<end])
                if eventNames.contains(word), end == characters.count || characters[end] == " " || characters[end] == "(" {
                    return word
                }
                index = max(end, index + 1)
            } else {
                index += 1
            }
        }
        return nil
    }

    private static func isIdentifier(_ character: Character) -> Bool {
        character == "_" || (character.isASCII && (character.isLetter || character.isNumber))
    }

    private struct Pending {
        let requested: String
        let recover: String?
    }

    /// Parses the lines (without line terminators).
    public static func parse<S: StringProtocol>(_ lines: [S], name: String) throws -> EventLog {
        var events: [ProtocolEvent] = []
        var pending: [String: Pending] = [:]
        var pendingOrder: [String] = []
        var skipped = 0
        func flush(_ device: String, line: Int) {
            guard let request = pending.removeValue(forKey: device) else { return }
            pendingOrder.removeAll { $0 == device }
            events.append(ProtocolEvent(line: line, device: device, kind: .set(requested: request.requested, recover: request.recover),
                                        outcome: .unknown, stateAfter: nil))
        }
        func settle(_ device: String, state: String, line: Int) {
            if let request = pending.removeValue(forKey: device) {
                pendingOrder.removeAll { $0 == device }
                let success = state == request.requested
                events.append(ProtocolEvent(line: line, device: device, kind: .set(requested: request.requested, recover: request.recover),
                                            outcome: success ? .ok : .fail, stateAfter: state))
            } else {
                events.append(ProtocolEvent(line: line, device: device, kind: .observed, outcome: .ok, stateAfter: state))
            }
        }
        for (offset, raw) in lines.enumerated() {
            let number = offset + 1
            let line = String(raw)
            guard let event = eventName(in: line), let range = line.range(of: event) else {
                skipped += 1
                continue
            }
            let rest = line[range.upperBound...]
            func problem(_ message: String, expected: String) -> ReviewError {
                ReviewError(.logLine(log: name, line: number, message: message, text: line, expected: "\(event) \(expected)"))
            }
            let expected: String
            switch event {
            case "vfio_migration_set_state": expected = "(NAME) new state S, recover state R   or   (NAME) state S"
            case "vfio_migration_set_device_state": expected = "(NAME) state S"
            default: expected = "(NAME) running 0|1 reason REASON device state S"
            }
            let trimmed = rest.drop(while: { $0 == " " || $0 == "\t" || $0 == ":" })
            guard trimmed.first == "(", let close = trimmed.firstIndex(of: ")") else {
                throw problem("the device name in parentheses is missing", expected: expected)
            }
            let device = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close]).trimmingCharacters(in: .whitespaces)
            guard !device.isEmpty else { throw problem("the device name is empty", expected: expected) }
            let words = trimmed[trimmed.index(after: close)...].replacingOccurrences(of: ",", with: " ")
                .split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            switch event {
            case "vfio_migration_set_state":
                if words.count == 6, words[0] == "new", words[1] == "state", words[3] == "recover", words[4] == "state" {
                    flush(device, line: number)
                    pending[device] = Pending(requested: words[2], recover: words[5])
                    pendingOrder.append(device)
                } else if words.count == 2, words[0] == "state" {
                    flush(device, line: number)
                    events.append(ProtocolEvent(line: number, device: device, kind: .set(requested: words[1], recover: nil),
                                                outcome: .ok, stateAfter: words[1]))
                } else {
                    throw problem("unexpected fields after the device name", expected: expected)
                }
            case "vfio_migration_set_device_state":
                guard words.count == 2, words[0] == "state" else {
                    throw problem("unexpected fields after the device name", expected: expected)
                }
                settle(device, state: words[1], line: number)
            default:
                // running R reason X device state S (QEMU 8.x and later), or running R reason X state S.
                guard words.count >= 6, words[0] == "running", words[2] == "reason", words[words.count - 2] == "state",
                      words.count == 6 || (words.count == 7 && words[4] == "device") else {
                    throw problem("unexpected fields after the device name", expected: expected)
                }
                settle(device, state: words[words.count - 1], line: number)
            }
        }
        for device in pendingOrder { flush(device, line: lines.count) }
        return EventLog(events: events, format: .qemu, skippedLines: skipped)
    }
}
