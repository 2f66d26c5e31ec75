import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// `eventually` and `leadsto` under weak fairness.
@Suite struct LivenessTests {
    @Test func livelockViolatesEventually() throws {
        // The two fair actions ping-pong forever; `done` is never set.
        let result = try explore("""
            model livelock
            var side: bool = false
            var done: bool = false
            fair action ping when !side && !done { side := true }
            fair action pong when side && !done { side := false }
            eventually Done: done
            """)
        let property = try result.property("Done")
        #expect(property.verdict == .violated)
        let trace = try #require(property.trace)
        let loopStart = try #require(trace.loopStart)
        #expect(trace.steps.last?.state == trace.steps[loopStart].state)
        #expect(trace.steps.count - 1 - loopStart == 2)
    }

    @Test func fairnessAloneRescuesProgress() throws {
        let model = """
            model rescue
            var spins: 0..1 = 0
            var done: bool = false
            FAIRNESS action finish when !done { done := true }
            fair action spin when !done { spins := 1 - spins }
            eventually Done: done
            terminal done
            """
        let fair = try explore(model.replacingOccurrences(of: "FAIRNESS ", with: "fair "))
        #expect(try fair.property("Done").verdict == .holds)
        let unfair = try explore(model.replacingOccurrences(of: "FAIRNESS ", with: ""))
        #expect(try unfair.property("Done").verdict == .violated)
        let loop = try #require(try unfair.property("Done").trace)
        #expect(loop.loopStart != nil)
        #expect(loop.steps.dropFirst().allSatisfy { $0.action == "spin" })
    }

    @Test func onlyAnUnfairActionCanStarveProgress() throws {
        // `work` is fair and always enabled until done; `idle` loops but is not fair. A run that only idles
        // leaves `work` enabled forever without taking it: not fair, so Done holds.
        let result = try explore("""
            model starve
            var done: bool = false
            var tick: bool = false
            fair action work when !done { done := true }
            action idle when !done { tick := !tick }
            eventually Done: done
            terminal done
            """)
        #expect(try result.property("Done").verdict == .holds)
    }

    @Test func stutteringSelfLoopIsALasso() throws {
        // `wait` fires forever without changing the state: a self-loop that avoids Done.
        let result = try explore("""
            model stutter
            var ready: bool = false
            var done: bool = false
            fair action wait when !ready { ready := false }
            action finish when ready { done := true }
            eventually Done: done
            """)
        let property = try result.property("Done")
        #expect(property.verdict == .violated)
        let trace = try #require(property.trace)
        #expect(trace.loopStart == 0)
        #expect(trace.steps.count == 2)
        #expect(trace.steps[1].action == "wait")
        #expect(trace.steps[1].state == trace.steps[0].state)
    }

    @Test func terminalStateAvoidingTheGoalViolatesEventually() throws {
        let result = try explore("""
            model ends
            var outcome: 0..2 = 0
            fair action decide when outcome == 0 { choose v: 1..2 { outcome := v } }
            eventually Success: outcome == 1
            terminal outcome != 0
            """)
        let property = try result.property("Success")
        #expect(property.verdict == .violated)
        #expect(property.trace?.steps.last?.values == ["2"])
        #expect(property.note?.contains("no successor") == true)
    }

    @Test func leadsToChecksEveryTriggerState() throws {
        let result = try explore("""
            model requests
            var pending: bool = false
            var served: 0..2 = 0
            action request when !pending && served < 2 { pending := true }
            fair action serve when pending { pending := false  served := served + 1 }
            leadsto Served: pending ~> !pending
            leadsto Never: served == 1 ~> served == 0
            terminal served == 2
            """)
        #expect(try result.property("Served").verdict == .holds)
        #expect(try result.property("Never").verdict == .violated)
    }
}
