import ModelLanguage
import PackedSystem
import Reports
import Review
import Testing

/// `replay` on a model with variants: the log is replayed under every combination, and the summary says which
/// combinations accept it.
@Suite struct MatrixReplayTests {
    static let model = """
        model replay_variants
        type St = enum { RUNNING, STOP, STOP_COPY }
        variant copy: bool
        var st: St = RUNNING
        // Without copy the device never reaches STOP_COPY; with copy it never returns to RUNNING.
        action set(r: St) when r != st && (r == STOP || (r == STOP_COPY) == copy) { st := r }
        terminal true
        """

    @Test func eachCombinationReplaysTheLog() throws {
        let combinations = try ModelLoader.loadCombinations(.text(name: "m.vmc", text: Self.model))
        let log = try EventLog.parse("d0 set STOP ok\nd0 set STOP_COPY ok\n", name: "run.log", format: .native)
        let replay = try MatrixReplay(combinations: combinations, log: log, logName: "run.log")
        #expect(replay.accepting.map(\.description) == ["copy=true"])
        #expect(replay.exitCode == 0)
        let text = ReplayTextRenderer.render(replay, logName: "run.log")
        #expect(text.hasPrefix("""
            run.log: accepted by 1 of 2 combinations
              #1 copy=false: rejects event 2 (line 2: d0 set STOP_COPY ok)
              #2 copy=true: accepts

            == #1 copy=false
            """))
    }

    @Test func noAcceptingCombinationExitsOne() throws {
        let combinations = try ModelLoader.loadCombinations(.text(name: "m.vmc", text: Self.model))
        let log = try EventLog.parse("d0 set STOP ok\nd0 set STOP_COPY ok\nd0 set RUNNING ok\n", name: "run.log", format: .native)
        let replay = try MatrixReplay(combinations: combinations, log: log, logName: "run.log")
        #expect(replay.accepting.isEmpty)
        #expect(replay.exitCode == 1)
    }
}
