import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// Symmetry reduction over scalarsets: reduced counts equal the number of orbits, verdicts are unchanged.
@Suite struct SymmetryTests {
    static func both(_ model: String) throws -> (full: CheckResult, reduced: CheckResult) {
        var off = ExplorerOptions()
        off.symmetry = false
        return (try explore(model, options: off), try explore(model))
    }

    @Test func bitsPerDeviceReduceToTheirCount() throws {
        // 3 devices with one bit each: 8 states; orbits are the number of set bits, 0 to 3.
        let (full, reduced) = try Self.both("""
            model bits
            type Dev = scalarset(3)
            var on: [Dev] bool = false
            action flip(d: Dev) { on[d] := !on[d] }
            invariant NotAllOn: exists d: Dev. !on[d]
            reachable TwoOn: (count d: Dev. on[d]) == 2
            """)
        #expect(full.statistics.states == 8)
        #expect(reduced.statistics.states == 4)
        #expect(reduced.statistics.reductions == ["symmetry over Dev (3 elements)"])
        #expect(full.properties.map(\.verdict) == reduced.properties.map(\.verdict))
        #expect(try reduced.property("NotAllOn").verdict == .violated)
        #expect(try reduced.property("NotAllOn").trace?.length == 3)
    }

    @Test func enumPerDeviceReducesToMultisets() throws {
        // 3 devices, 3 states each: 27 states; orbits are multisets of size 3 over 3 values: C(5, 3) = 10.
        let (full, reduced) = try Self.both("""
            model states
            type Dev = scalarset(3)
            type S = enum { RUNNING, STOP, ERROR }
            var st: [Dev] S = RUNNING
            action stop(d: Dev) when st[d] == RUNNING { st[d] := STOP }
            action fail(d: Dev) when st[d] != ERROR { st[d] := ERROR }
            action reset(d: Dev) { st[d] := RUNNING }
            """)
        #expect(full.statistics.states == 27)
        #expect(reduced.statistics.states == 10)
        #expect(full.properties.map(\.verdict) == reduced.properties.map(\.verdict))
    }

    @Test func scalarsetValuesAreRenamedWithTheirIndices() throws {
        // A token held by one of 3 devices, and one bit per device: 3 * 8 = 24 states. Orbits: the holder's bit
        // (2 values) times the number of set bits among the other two (3 values) = 6.
        let (full, reduced) = try Self.both("""
            model token
            type Dev = scalarset(3)
            var holder: Dev = any
            var on: [Dev] bool = false
            action pass(d: Dev) when d != holder { holder := d }
            action flip(d: Dev) { on[d] := !on[d] }
            invariant HolderOnOrSomeOff: on[holder] || (exists d: Dev. !on[d])
            """)
        #expect(full.statistics.states == 24)
        #expect(reduced.statistics.states == 6)
        #expect(full.properties.map(\.verdict) == reduced.properties.map(\.verdict))
    }

    @Test func pairwiseArraysAreCanonical() throws {
        // Directed edges between 3 devices (no self edges): 2^6 = 64 graphs; up to isomorphism there are 16
        // directed graphs on 3 unlabelled vertices.
        let (full, reduced) = try Self.both("""
            model edges
            type Dev = scalarset(3)
            var edge: [Dev][Dev] bool = false
            action toggle(a: Dev, b: Dev) when a != b { edge[a][b] := !edge[a][b] }
            """)
        #expect(full.statistics.states == 64)
        #expect(reduced.statistics.states == 16)
    }

    @Test func tracesUnderSymmetryAreRealExecutions() throws {
        let model = """
            model dma
            type Dev = scalarset(3)
            type S = enum { RUNNING, STOP }
            var st: [Dev] S = RUNNING
            var inflight: [Dev][Dev] bool = false
            action issue(i: Dev, j: Dev) when i != j && st[i] == RUNNING && !inflight[i][j] { inflight[i][j] := true }
            action deliver(i: Dev, j: Dev) when inflight[i][j] {
              assert NoDmaToStopped: st[j] == RUNNING
              inflight[i][j] := false
            }
            action stop(d: Dev) when st[d] == RUNNING { st[d] := STOP }
            expect NoDmaToStopped violated
            """
        let (full, reduced) = try Self.both(model)
        #expect(reduced.statistics.states < full.statistics.states)
        let trace = try #require(try reduced.property("NoDmaToStopped").trace)
        let fullTrace = try #require(try full.property("NoDmaToStopped").trace)
        #expect(trace.length == fullTrace.length)
        // Replay the concrete trace on the unreduced system: every step must be a real transition.
        let system = try buildSystem(model)
        let relation = TransitionRelation(system)
        for (previous, next) in zip(trace.steps, trace.steps.dropFirst()) {
            let action = try #require(system.actions.firstIndex { $0.name == next.action && $0.arguments == next.arguments })
            #expect(relation.successors(of: previous.state).contains(Successor(action: action, state: next.state)))
        }
        let failure = try #require(trace.failure)
        #expect(failure.action == "deliver")
    }

    @Test func livenessModelsRefuseSymmetryWithAReason() throws {
        let result = try explore("""
            model live
            type Dev = scalarset(2)
            var done: [Dev] bool = false
            fair action finish(d: Dev) when !done[d] { done[d] := true }
            eventually AllDone: forall d: Dev. done[d]
            terminal forall d: Dev. done[d]
            """)
        #expect(result.statistics.reductions.isEmpty)
        #expect(result.statistics.notes.first?.hasPrefix("symmetry reduction off: the model has liveness properties") == true)
        #expect(try result.property("AllDone").verdict == .holds)
        #expect(result.statistics.states == 4)
    }
}
