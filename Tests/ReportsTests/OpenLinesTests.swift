import PackedSystem
import Reports
import Testing

/// Under `--engine both`, the text output's lines about properties one engine left open: one line per reason,
/// naming every property with that reason, so a combination whose time share ran out says so once.
@Suite struct OpenLinesTests {
    /// `twoDevices`'s result with the given SMT notes (nil: the SMT engine agreed with the explorer).
    static func crossChecked(_ notes: [String: String]) throws -> CheckResult {
        var result = try Fixtures.report(Fixtures.twoDevices).result
        for index in result.properties.indices {
            let explicit = EngineVerdict(result.properties[index])
            let note = notes[result.properties[index].name]
            let smt = note.map { EngineVerdict(verdict: .unknown, note: $0) } ?? explicit
            result.properties[index].engines = CrossCheckedVerdicts(explicit: explicit, smt: smt)
            result.properties[index].engine = note == nil ? .both : .explicit
        }
        return result
    }

    @Test func propertiesWithTheSameReasonShareALine() throws {
        let shared = "no violation within 0 steps (share used up)"
        let result = try Self.crossChecked(["NoDmaToStoppedPeer": shared, "AllStopped": shared, "deadlock": shared])
        let text = TextRenderer().render(result)
        let lines = text.split(separator: "\n").filter { $0.contains("left open") }
        let names = result.properties.map(\.name).filter { ["NoDmaToStoppedPeer", "AllStopped", "deadlock"].contains($0) }
        #expect(lines == ["  " + names.joined(separator: ", ") + ": left open by the SMT engine: \(shared)"], "\(text)")
    }

    @Test func differentReasonsKeepTheirOwnLines() throws {
        let result = try Self.crossChecked(["NoDmaToStoppedPeer": "no violation within 3 steps", "AllStopped": "out of time"])
        let lines = TextRenderer().render(result).split(separator: "\n").filter { $0.contains("left open") }
        #expect(lines.count == 2)
        #expect(lines.contains("  NoDmaToStoppedPeer: left open by the SMT engine: no violation within 3 steps"))
        #expect(lines.contains("  AllStopped: left open by the SMT engine: out of time"))
    }
}
