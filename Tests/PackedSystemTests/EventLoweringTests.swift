import ModelLanguage
import PackedSystem
import Testing

/// `emits` and `entry` through the front end and the lowering: the checked model's signature, the ground actions'
/// compiled emissions evaluated on the state an action leaves, and the entry points' programs.
@Suite struct EventLoweringTests {
    static let source = """
        model events
        type Dev = 0..1
        type St = enum { RUNNING, STOP, ERROR }
        var st: [Dev] St = RUNNING
        var cache: [Dev] St = RUNNING
        var phase: 0..2 = 0
        // The event reads the state the action leaves: st[d] after the assignment, cache[d] as it stays.
        action set(d: Dev, s: St) when s != ERROR && phase == 0
          emits set(d, s, cache[d], st[d]), state(d, st[d]) if st[d] == STOP {
          st[d] := s
        }
        action fail(d: Dev) when phase == 0 emits set(d, STOP, st[d]) { st[d] := ERROR }
        action reset(d: Dev) when st[d] == ERROR emits reset(d, st[d]) { st[d] := RUNNING }
        action next when phase < 2 { phase := phase + 1 }
        entry late: phase == 2
        terminal true
        """

    @Test func emissionsAreEvaluatedOnTheStateTheActionLeaves() throws {
        let h = try LoweringTests.Harness(Self.source)
        let relation = TransitionRelation(h.system)
        #expect(h.system.declaresEvents)
        let signature = try #require(h.system.model.eventSignature)
        #expect(signature.deviceType == .int)
        #expect(signature.stateType.description == "enum St")
        let start = try h.state([:])
        var seen: [String: [EmittedEvent]] = [:]
        for successor in relation.successors(of: start) {
            seen[h.system.actions[successor.action].label] = relation.events(of: successor.action, after: successor.state)
        }
        // St: RUNNING = 0, STOP = 1, ERROR = 2.
        #expect(seen["set(1, STOP)"] == [EmittedEvent(kind: .set, device: 1, requested: 1, recover: 0, state: 1),
                                         EmittedEvent(kind: .state, device: 1, requested: nil, recover: nil, state: 1)])
        #expect(seen["set(0, RUNNING)"] == [EmittedEvent(kind: .set, device: 0, requested: 0, recover: 0, state: 0)])
        #expect(seen["fail(0)"] == [EmittedEvent(kind: .set, device: 0, requested: 1, recover: nil, state: 2)])
        #expect(seen["next"] == [])
    }

    @Test func entryPointsAreCompiled() throws {
        let h = try LoweringTests.Harness(Self.source)
        let relation = TransitionRelation(h.system)
        #expect(h.system.entries.map(\.name) == ["late"])
        let entry = try #require(h.system.entries.first)
        #expect(!relation.holds(entry.program, in: try h.state([:])))
        #expect(try relation.evaluate(entry.program, in: try h.state(["phase": 2])).get() == 1)
    }

    @Test func aModelWithoutEmitsDeclaresNoEvents() throws {
        let h = try LoweringTests.Harness("model plain\nvar x: bool = false\naction a { x := !x }\n")
        #expect(!h.system.declaresEvents)
        #expect(h.system.entries.isEmpty)
    }

    @Test func emitsAndEntryRoundTripThroughThePrinter() throws {
        let source = SourceFile(name: "events.vmc", text: Self.source)
        let parsed = Parser.parse(source)
        let model = try #require(parsed.model)
        let printed = ASTPrinter.print(model)
        #expect(printed.contains("emits set(d, s, cache[d], st[d]), state(d, st[d]) if st[d] == STOP {"), Comment(rawValue: printed))
        #expect(printed.contains("entry late: phase == 2"))
        let again = try #require(Parser.parse(SourceFile(name: "again.vmc", text: printed)).model)
        #expect(ASTPrinter.print(again) == printed)
    }
}
