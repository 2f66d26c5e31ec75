import Explorer
import ModelLanguage
import PackedSystem
import Reports
import Testing

@Suite struct ITFTests {
    private func itf(_ report: ModelReport, _ name: String) throws -> (JSON, Trace) {
        let index = try #require(report.result.properties.firstIndex { $0.name == name })
        let property = report.result.properties[index]
        let trace = try #require(property.trace)
        let text = ITFRenderer.render(trace: trace, property: property, result: report.result, layout: report.system.layout)
        return (try JSONReader.parse(text), trace)
    }

    @Test func everyTraceHasTheITFShape() throws {
        for model in [Fixtures.twoDevices, Fixtures.singleDevice, Fixtures.missed] {
            let report = try Fixtures.report(model)
            var traces = 0
            for property in report.result.properties {
                guard let trace = property.trace else { continue }
                traces += 1
                let text = ITFRenderer.render(trace: trace, property: property, result: report.result, layout: report.system.layout)
                let document = try JSONReader.parse(text)
                #expect(ITFSchema.violations(document) == [], "\(report.result.model).\(property.name)")
                #expect(document["vars"]?.array?.compactMap(\.string) == report.system.layout.variables.map(\.info.name))
                #expect(document["#meta"]?["tool"]?.string == "vfio-mc")
                #expect(document["#meta"]?["model"]?.string == report.result.model)
                #expect(document["#meta"]?["property"]?.string == property.name)
                #expect(text.hasSuffix("}\n"))
            }
            #expect(traces > 0)
        }
    }

    @Test func valuesAreTypedLikeTheModel() throws {
        let report = try Fixtures.report(Fixtures.twoDevices)
        let (document, trace) = try itf(report, "NoDmaToStoppedPeer")
        let states = try #require(document["states"]?.array)
        #expect(states.count == trace.steps.count)
        #expect(document["loop"] == nil)
        // Arrays are maps keyed by typed index values; ranges are #bigint, enums strings.
        let first = states[0]
        #expect(first["state"] == .object([("#map", .array([
            .array([.object([("#bigint", .string("0"))]), .string("RUNNING")]),
            .array([.object([("#bigint", .string("1"))]), .string("RUNNING")]),
        ]))]))
        #expect(first["inflight"]?["#map"]?.array?.first == .array([.object([("#bigint", .string("0"))]), .object([("#bigint", .string("2"))])]))
        #expect(first["#meta"]?["action"] == nil)
        #expect(states[1]["#meta"]?["action"]?.string == trace.steps[1].label)
        #expect(states[1]["#meta"]?["action"]?.string?.hasPrefix("stop(") == true)
    }

    @Test func booleansAndScalarsetsAndNestedArrays() throws {
        let system = try Fixtures.system(Fixtures.scalarsetDevices)
        let words = try #require(system.initialStates.first)
        let step = system.initialStep(words)
        let property = PropertyResult(name: "P", kind: .reachable, expected: .reachable, verdict: .reachable, trace: Trace(steps: [step]),
                                      engine: .explicit)
        let result = CheckResult(file: "sym.vmc", model: system.name, cellNames: system.cellNames, cellTypes: system.layout.fields.map(\.type),
                                 properties: [property], statistics: RunStatistics(), engine: .explicit)
        let text = ITFRenderer.render(trace: Trace(steps: [step]), property: property, result: result, layout: system.layout)
        let document = try JSONReader.parse(text)
        #expect(ITFSchema.violations(document) == [])
        let state = try #require(document["states"]?.array?.first)
        let inflight = try #require(state["inflight"]?["#map"]?.array)
        #expect(inflight.count == 3)
        // [Dev][Dev] bool: a map of maps, keys are scalarset values as strings, cells JSON booleans.
        #expect(inflight[1] == .array([.string("Dev#1"), .object([("#map", .array([
            .array([.string("Dev#0"), .bool(false)]), .array([.string("Dev#1"), .bool(false)]), .array([.string("Dev#2"), .bool(false)]),
        ]))])]))
    }

    @Test func lassoDropsTheRepeatedStateAndSetsLoop() throws {
        let report = try Fixtures.report(Fixtures.singleDevice)
        let (document, trace) = try itf(report, "Done")
        let loopStart = try #require(trace.loopStart)
        let states = try #require(document["states"]?.array)
        #expect(ITFSchema.violations(document) == [])
        #expect(document["loop"]?.int == loopStart)
        if loopStart < trace.steps.count - 1 {
            // The last step repeats the loop's first state: ITF leaves it out, `loop` says where the last state goes.
            #expect(trace.steps[trace.steps.count - 1].values == trace.steps[loopStart].values)
            #expect(states.count == trace.steps.count - 1)
        } else {
            #expect(states.count == trace.steps.count)
        }
    }

    @Test func failingActionIsInTheMeta() throws {
        let report = try Fixtures.report(Fixtures.singleDevice)
        let (document, trace) = try itf(report, "IrqWhileRunning")
        let failure = try #require(trace.failure)
        #expect(ITFSchema.violations(document) == [])
        #expect(document["#meta"]?["failure"]?["action"]?.string == failure.label)
        #expect(document["#meta"]?["failure"]?["message"]?.string?.contains("an <irq> & \"more\"") == true)
        #expect(document["states"]?.array?.count == trace.steps.count)
    }

    @Test func schemaCheckerRejectsMalformedTraces() throws {
        #expect(!ITFSchema.violations(try JSONReader.parse(##"{"vars": ["x"], "states": [{"#meta": {"index": 0}, "x": 3}]}"##)).isEmpty)
        #expect(!ITFSchema.violations(try JSONReader.parse(##"{"#meta": {"tool": "t"}, "vars": ["x"], "states": [{"#meta": {"index": 0}}]}"##)).isEmpty)
        #expect(!ITFSchema.violations(try JSONReader.parse(##"{"#meta": {"tool": "t"}, "vars": ["x"], "states": [{"#meta": {"index": 0}, "x": true}], "loop": 4}"##)).isEmpty)
        #expect(ITFSchema.violations(try JSONReader.parse(##"{"#meta": {"tool": "t"}, "vars": ["x"], "states": [{"#meta": {"index": 0}, "x": {"#bigint": "-12"}}], "loop": 0}"##)) == [])
    }
}
