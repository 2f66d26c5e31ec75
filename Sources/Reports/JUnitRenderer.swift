import PackedSystem

/// Renders results as JUnit XML (the element and attribute structure of the common JUnit schema, as read by
/// Jenkins, GitLab and GitHub Actions reporters): one `testsuite` per model, one `testcase` per property (per
/// property and combination for a model with variants).
///
/// - a property whose verdict misses its expectation gets a `failure` (with the counterexample as text);
/// - a property without a verdict (a budget ran out) gets an `error` of type `no-verdict`;
/// - two engines that disagree give a `failure` of type `engines-disagree`;
/// - a model that failed to load is a suite with one test case `load` carrying an `error` with the diagnostics.
/// The output is deterministic: no timestamps, host names or times unless `timings` is set (then `time`
/// attributes carry each model's run time).
public enum JUnitRenderer {
    /// The XML document.
    public static func render(results: [CheckResult], loadFailures: [(file: String, messages: [String])]) -> String {
        render(results: results, loadFailures: loadFailures, timings: false)
    }

    /// The XML document, with `time` attributes when `timings` is set.
    public static func render(results: [CheckResult], loadFailures: [(file: String, messages: [String])], timings: Bool) -> String {
        render(matrices: results.map { MatrixResult(single: $0) }, loadFailures: loadFailures, timings: timings)
    }

    /// The XML document for matrices: a model with variants is one suite with a test case per property and
    /// combination, named `PROPERTY [NAME=VALUE, ...]` so every id is unique; a model without variants is as above.
    public static func render(matrices: [MatrixResult], loadFailures: [(file: String, messages: [String])],
                              timings: Bool = false) -> String {
        var suites: [String] = []
        var totals = (tests: 0, failures: 0, errors: 0)
        var totalSeconds = 0.0
        // Test ids are classname + name: two files with the same model name (a copy under review beside the
        // original) would collide, so a repeated model name is qualified by its file.
        var modelNameCounts: [String: Int] = [:]
        for matrix in matrices { modelNameCounts[matrix.model, default: 0] += 1 }
        for matrix in matrices {
            let classname = (modelNameCounts[matrix.model] ?? 0) > 1 ? "\(matrix.model) (\(matrix.file))" : matrix.model
            var cases: [String] = []
            var failures = 0
            var errors = 0
            for run in matrix.runs {
                let result = run.result
                let suffix = matrix.hasVariants ? " [\(run.assignment)]" : ""
                for property in result.properties {
                    var attributes: [(String, String)] = [("name", property.name + suffix), ("classname", classname)]
                    if timings { attributes.append(("time", "0")) }
                    var body = ""
                    if property.verdict == .unknown {
                        errors += 1
                        let message = "no verdict (expected \(property.expected.rawValue))" + (property.note.map { ": \($0)" } ?? "")
                        body = element("error", [("message", message), ("type", "no-verdict")], text: message)
                    } else if property.enginesDisagree {
                        failures += 1
                        let message = property.note ?? "engines disagree"
                        body = element("failure", [("message", message), ("type", "engines-disagree")], text: message)
                    } else if !property.meetsExpectation {
                        failures += 1
                        let message = "expected \(property.expected.rawValue), found \(property.verdict.rawValue)"
                        body = element("failure", [("message", message), ("type", "unexpected-verdict")],
                                       text: failureText(property, result))
                    }
                    // Under `--engine both`, a property one engine left open passes on the other's verdict; its
                    // case says why the first has none, as the text output does.
                    let reasons = TextRenderer.openReasons(property)
                    if body.isEmpty, !reasons.isEmpty {
                        body = element("system-out", [], text: reasons.joined(separator: "\n"))
                    }
                    let open = ElementWriter.open("testcase", attributes, selfClosing: body.isEmpty)
                    cases.append(body.isEmpty ? "    " + open : "    " + open + "\n      " + body + "\n    </testcase>")
                }
            }
            let results = matrix.results
            let tests = results.reduce(0) { $0 + $1.properties.count }
            totals.tests += tests
            totals.failures += failures
            totals.errors += errors
            totalSeconds += matrix.seconds
            var attributes: [(String, String)] = [
                ("name", matrix.model), ("tests", String(tests)), ("failures", String(failures)),
                ("errors", String(errors)), ("skipped", "0"),
            ]
            if timings { attributes.append(("time", Markup.fixed(matrix.seconds, places: 3))) }
            attributes.append(("file", matrix.file))
            let states = results.reduce(0) { $0 + $1.statistics.states }
            var suite = "  " + ElementWriter.open("testsuite", attributes) + "\n"
            suite += "    <properties>\n"
            suite += "      " + ElementWriter.open("property", [("name", "engine"), ("value", matrix.engine.rawValue)], selfClosing: true) + "\n"
            suite += "      " + ElementWriter.open("property", [("name", "states"), ("value", String(states))], selfClosing: true) + "\n"
            suite += "      " + ElementWriter.open("property", [("name", "complete"), ("value", results.allSatisfy(\.statistics.complete) ? "true" : "false")],
                                                   selfClosing: true) + "\n"
            if matrix.hasVariants {
                suite += "      " + ElementWriter.open("property", [("name", "combinations"), ("value", String(matrix.runs.count))],
                                                       selfClosing: true) + "\n"
            }
            suite += "    </properties>\n"
            suite += cases.map { $0 + "\n" }.joined()
            suite += "  </testsuite>"
            suites.append(suite)
        }
        for failure in loadFailures {
            totals.tests += 1
            totals.errors += 1
            let message = "the model failed to load"
            let error = element("error", [("message", message), ("type", "model-error")], text: failure.messages.joined(separator: "\n"))
            var attributes: [(String, String)] = [("name", failure.file), ("tests", "1"), ("failures", "0"), ("errors", "1"), ("skipped", "0")]
            if timings { attributes.append(("time", "0")) }
            attributes.append(("file", failure.file))
            var testcase: [(String, String)] = [("name", "load"), ("classname", failure.file)]
            if timings { testcase.append(("time", "0")) }
            suites.append("  " + ElementWriter.open("testsuite", attributes) + "\n    " + ElementWriter.open("testcase", testcase)
                          + "\n      " + error + "\n    </testcase>\n  </testsuite>")
        }
        var rootAttributes: [(String, String)] = [
            ("name", "vfio-mc"), ("tests", String(totals.tests)), ("failures", String(totals.failures)), ("errors", String(totals.errors)),
        ]
        if timings { rootAttributes.append(("time", Markup.fixed(totalSeconds, places: 3))) }
        var document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        if suites.isEmpty {
            document += ElementWriter.open("testsuites", rootAttributes, selfClosing: true) + "\n"
        } else {
            document += ElementWriter.open("testsuites", rootAttributes) + "\n" + suites.joined(separator: "\n") + "\n</testsuites>\n"
        }
        return document
    }

    /// `<name attributes>text</name>`.
    private static func element(_ name: String, _ attributes: [(String, String)], text: String) -> String {
        ElementWriter.open(name, attributes) + Markup.escape(text) + "</\(name)>"
    }

    /// The failure's text: the verdicts, the note, and the counterexample or witness as numbered steps.
    private static func failureText(_ property: PropertyResult, _ result: CheckResult) -> String {
        var lines = ["\(property.kind.rawValue) \(property.name): expected \(property.expected.rawValue), found \(property.verdict.rawValue)"]
        if let note = property.note { lines.append(note) }
        if let trace = property.trace {
            lines.append(property.verdict == .reachable ? "Witness:" : "Counterexample:")
            lines += TextRenderer().renderTrace(trace, cellNames: result.cellNames)
        }
        return lines.joined(separator: "\n")
    }
}
