import Explorer
import PackedSystem
import Reports
import Testing

@Suite struct JUnitTests {
    private let loadFailure = (file: "Models/broken.vmc", messages: ["Models/broken.vmc:3:7: error: unknown name 'x' <&> \"quoted\""])

    @Test func documentFollowsTheJUnitSchema() throws {
        let results = [try Fixtures.report(Fixtures.twoDevices).result, try Fixtures.report(Fixtures.missed, file: "Models/missed.vmc").result]
        let xml = JUnitRenderer.render(results: results, loadFailures: [loadFailure])
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
        let root = try #require(XMLNode.parse(xml), "well-formed XML")
        #expect(JUnitSchema.violations(root) == [])
        let suites = root.children
        #expect(suites.map(\.name) == ["testsuite", "testsuite", "testsuite"])
        #expect(suites.map { $0.attributes["name"] } == ["two_devices", "missed", "Models/broken.vmc"])
        // One test case per property.
        for (suite, result) in zip(suites, results) {
            let cases = suite.children.filter { $0.name == "testcase" }
            #expect(cases.map { $0.attributes["name"] } == result.properties.map(\.name))
            #expect(cases.allSatisfy { $0.attributes["classname"] == result.model })
        }
        #expect(root.attributes["tests"] == String(results.map(\.properties.count).reduce(0, +) + 1))
    }

    @Test func testIdsStayUniqueWhenTwoFilesHoldTheSameModel() throws {
        let first = try Fixtures.report(Fixtures.twoDevices, file: "Models/a.vmc").result
        let second = try Fixtures.report(Fixtures.twoDevices, file: "Review/a-copy.vmc").result
        let root = try #require(XMLNode.parse(JUnitRenderer.render(results: [first, second], loadFailures: [])))
        let cases = root.children.flatMap { $0.children.filter { $0.name == "testcase" } }
        let ids = cases.map { ($0.attributes["classname"] ?? "") + "." + ($0.attributes["name"] ?? "") }
        #expect(Set(ids).count == ids.count, "\(ids)")
        #expect(cases.first?.attributes["classname"] == "\(first.model) (Models/a.vmc)")
    }

    @Test func missedExpectationsAreFailuresWithTheCounterexample() throws {
        let result = try Fixtures.report(Fixtures.missed).result
        let root = try #require(XMLNode.parse(JUnitRenderer.render(results: [result], loadFailures: [])))
        let suite = try #require(root.children.first)
        let cases = Dictionary(uniqueKeysWithValues: suite.children.filter { $0.name == "testcase" }.map { ($0.attributes["name"] ?? "", $0) })
        let neverTrue = try #require(cases["NeverTrue"]?.children.first)
        #expect(neverTrue.name == "failure")
        #expect(neverTrue.attributes["message"] == "expected holds, found violated")
        #expect(neverTrue.text.contains("flip"))
        #expect(cases["Unreachable"]?.children.first?.name == "failure")
        #expect(cases["deadlock"]?.children.isEmpty == true)
        #expect(suite.attributes["failures"] == "2")
        #expect(suite.attributes["errors"] == "0")
    }

    @Test func loadFailuresAndMissingVerdictsAreErrors() throws {
        var options = ExplorerOptions()
        options.budget.maxStates = 1
        let system = try Fixtures.system(Fixtures.twoDevices)
        let budgeted = ExplicitExplorer(system: system, options: options, file: "Models/test.vmc").check()
        let xml = JUnitRenderer.render(results: [budgeted], loadFailures: [loadFailure])
        let root = try #require(XMLNode.parse(xml))
        #expect(JUnitSchema.violations(root) == [])
        let budgetSuite = try #require(root.children.first)
        let errors = budgetSuite.children.flatMap(\.children).filter { $0.name == "error" }
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { $0.attributes["type"] == "no-verdict" })
        let broken = try #require(root.children.last)
        let error = try #require(broken.children.first?.children.first)
        #expect(broken.children.first?.attributes["name"] == "load")
        #expect(error.name == "error")
        #expect(error.attributes["type"] == "model-error")
        // Special characters survive escaping.
        #expect(error.text == loadFailure.messages[0])
    }

    @Test func outputIsDeterministicWithoutTimesUnlessAsked() throws {
        let first = JUnitRenderer.render(results: [try Fixtures.report(Fixtures.twoDevices).result], loadFailures: [loadFailure])
        let second = JUnitRenderer.render(results: [try Fixtures.report(Fixtures.twoDevices).result], loadFailures: [loadFailure])
        #expect(first == second)
        #expect(!first.contains("time="))
        #expect(!first.contains("timestamp"))
        #expect(!first.contains("hostname"))
        let timed = JUnitRenderer.render(results: [try Fixtures.report(Fixtures.twoDevices).result], loadFailures: [], timings: true)
        #expect(timed.contains("time="))
        #expect(JUnitSchema.violations(try #require(XMLNode.parse(timed))) == [])
    }

    /// Under `--engine both` a property the SMT engine left open passes on the explorer's verdict; its test case
    /// carries the SMT engine's reason in `system-out`, and one both engines decided stays empty.
    @Test func aPropertyTheSMTEngineLeftOpenSaysWhy() throws {
        var result = try Fixtures.report(Fixtures.twoDevices).result
        let open = try #require(result.properties.firstIndex { $0.name == "AllStopped" })
        for index in result.properties.indices {
            let explicit = EngineVerdict(result.properties[index])
            let smt = index == open ? EngineVerdict(verdict: .unknown, note: "no violation within 4 steps <&>") : explicit
            result.properties[index].engines = CrossCheckedVerdicts(explicit: explicit, smt: smt)
            result.properties[index].engine = index == open ? .explicit : .both
        }
        let root = try #require(XMLNode.parse(JUnitRenderer.render(results: [result], loadFailures: [])))
        #expect(JUnitSchema.violations(root) == [])
        let cases = try #require(root.children.first).children.filter { $0.name == "testcase" }
        let stopped = try #require(cases.first { $0.attributes["name"] == "AllStopped" })
        #expect(stopped.children.map(\.name) == ["system-out"])
        #expect(stopped.children.first?.text == "left open by the SMT engine: no violation within 4 steps <&>")
        #expect(cases.filter { $0.attributes["name"] != "AllStopped" }.allSatisfy { $0.children.isEmpty })
    }

    @Test func emptyRunIsAValidDocument() throws {
        let root = try #require(XMLNode.parse(JUnitRenderer.render(results: [], loadFailures: [])))
        #expect(JUnitSchema.violations(root) == [])
        #expect(root.attributes["tests"] == "0")
    }

    @Test func schemaCheckerRejectsWrongStructure() throws {
        let wrong = try #require(XMLNode.parse("<testsuites><testcase name=\"x\"/><testsuite tests=\"one\"/></testsuites>"))
        #expect(JUnitSchema.violations(wrong).count >= 3)
    }
}
