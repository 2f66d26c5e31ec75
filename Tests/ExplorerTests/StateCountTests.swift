import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// State counts, transition counts and depths computed by hand.
@Suite struct StateCountTests {
    @Test func counterHasOneStatePerValue() throws {
        let result = try explore("""
            model counter
            var n: 0..3 = 0
            action inc when n < 3 { n := n + 1 }
            action reset when n == 3 { n := 0 }
            """)
        #expect(result.statistics.states == 4)
        #expect(result.statistics.transitions == 4)
        #expect(result.statistics.depth == 3)
        #expect(result.statistics.complete)
    }

    @Test func independentTogglesMultiply() throws {
        // Three bits, each toggled by its own action instance: 2^3 states, 3 transitions each.
        let result = try explore("""
            model toggles
            var bit: [0..2] bool = false
            action flip(i: 0..2) { bit[i] := !bit[i] }
            """)
        #expect(result.statistics.states == 8)
        #expect(result.statistics.transitions == 24)
        #expect(result.statistics.depth == 3)
    }

    @Test func multiWordStatesCountLikeSingleWordOnes() throws {
        // 70 one-bit cells need two words; flipping one cell at a time from all-false reaches 2^70 states in
        // principle, so bound it: each cell may be set once, in index order only (a 71-state chain).
        let result = try explore("""
            model wide
            var bit: [0..69] bool = false
            var next: 0..70 = 0
            action set when next < 70 {
              bit[next] := true
              next := next + 1
            }
            terminal next == 70
            """)
        #expect(result.statistics.states == 71)
        #expect(result.statistics.depth == 70)
        #expect(try result.property("deadlock").verdict == .holds)
    }

    /// A one-device v2 model with the mandatory STOP_COPY feature only: the single arcs RUNNING <-> STOP,
    /// STOP <-> STOP_COPY and STOP <-> RESUMING; STOP -> STOP_COPY and STOP -> RESUMING open a data session,
    /// leaving STOP_COPY or RESUMING closes it; any SET may fail into ERROR, keeping or dropping an open session;
    /// reset returns to RUNNING and closes the session.
    ///
    /// By hand: (RUNNING, closed), (STOP, closed), (STOP_COPY, open), (RESUMING, open) are reached by arcs;
    /// ERROR is reached with the session closed from every state with a closed session, and with it open from
    /// STOP_COPY or RESUMING: (ERROR, closed), (ERROR, open). Six states. Depth: RUNNING -> STOP -> STOP_COPY ->
    /// (ERROR, open) is the longest shortest path: 3.
    /// Transitions: arcs: RUNNING->STOP, STOP->RUNNING, STOP->STOP_COPY, STOP_COPY->STOP, STOP->RESUMING,
    /// RESUMING->STOP = 6; failures (two choices each, from the 4 non-error states) = 8; resets from all 6
    /// states = 6; total 20.
    @Test func oneDeviceV2ModelHasSixStates() throws {
        let result = try explore("""
            model v2_one_device
            type S = enum { ERROR, STOP, RUNNING, STOP_COPY, RESUMING }
            var state: S = RUNNING
            var session: bool = false
            def arc(a: S, b: S) = (a == RUNNING && b == STOP) || (a == STOP && b == RUNNING) ||
                                  (a == STOP && b == STOP_COPY) || (a == STOP_COPY && b == STOP) ||
                                  (a == STOP && b == RESUMING) || (a == RESUMING && b == STOP)
            action set(to: S) when to != ERROR && arc(state, to) {
              state := to
              session := to in { STOP_COPY, RESUMING }
            }
            action fail when state != ERROR {
              choose keep: bool {
                state := ERROR
                session := session && keep
              }
            }
            action reset {
              state := RUNNING
              session := false
            }
            invariant SessionOnlyWhereAllowed: session -> state in { STOP_COPY, RESUMING, ERROR }
            """)
        #expect(result.statistics.states == 6)
        #expect(result.statistics.depth == 3)
        #expect(result.statistics.transitions == 20)
        #expect(try result.property("SessionOnlyWhereAllowed").verdict == .holds)
    }

    @Test func nondeterministicInitialStatesAreAllExplored() throws {
        let result = try explore("""
            model init
            type M = enum { A, B, C }
            var m: M in { A, C }
            var b: [0..1] bool = any
            action noop when false { m := m }
            terminal true
            """)
        #expect(result.statistics.states == 8)
        #expect(result.statistics.transitions == 0)
    }
}
