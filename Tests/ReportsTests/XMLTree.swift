import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: name, attributes, children and text, built with Foundation's XMLParser.
final class XMLNode {
    let name: String
    let attributes: [String: String]
    var children: [XMLNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// Parses a document; nil when it is not well-formed.
    static func parse(_ text: String) -> XMLNode? {
        let builder = Builder()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = builder
        guard parser.parse(), builder.failed == false else { return nil }
        return builder.root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []
        var failed = false

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let node = XMLNode(name: elementName, attributes: attributes)
            if let parent = stack.last { parent.children.append(node) } else if root == nil { root = node } else { failed = true }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            failed = true
        }
    }
}

/// The element and attribute structure of the common JUnit XML schema (Jenkins' junit-10.xsd, which GitLab,
/// GitHub Actions reporters and most CI systems accept). Returns the violations found, empty when valid.
enum JUnitSchema {
    private struct Rule {
        let required: Set<String>
        let optional: Set<String>
        let children: Set<String>
        let integers: Set<String>
        let decimals: Set<String>
    }

    private static let rules: [String: Rule] = [
        "testsuites": Rule(required: [], optional: ["name", "time", "tests", "failures", "disabled", "errors"], children: ["testsuite"],
                           integers: ["tests", "failures", "disabled", "errors"], decimals: ["time"]),
        "testsuite": Rule(required: ["name", "tests"],
                          optional: ["failures", "errors", "time", "disabled", "skipped", "timestamp", "hostname", "id", "package", "file",
                                     "log", "url", "version"],
                          children: ["properties", "testcase", "system-out", "system-err"],
                          integers: ["tests", "failures", "errors", "disabled", "skipped", "id"], decimals: ["time"]),
        "properties": Rule(required: [], optional: [], children: ["property"], integers: [], decimals: []),
        "property": Rule(required: ["name", "value"], optional: [], children: [], integers: [], decimals: []),
        "testcase": Rule(required: ["name"], optional: ["assertions", "time", "classname", "status", "class", "file", "line"],
                         children: ["skipped", "error", "failure", "system-out", "system-err"], integers: ["assertions", "line"],
                         decimals: ["time"]),
        "failure": Rule(required: [], optional: ["message", "type"], children: [], integers: [], decimals: []),
        "error": Rule(required: [], optional: ["message", "type"], children: [], integers: [], decimals: []),
        "skipped": Rule(required: [], optional: ["message"], children: [], integers: [], decimals: []),
        "system-out": Rule(required: [], optional: [], children: [], integers: [], decimals: []),
        "system-err": Rule(required: [], optional: [], children: [], integers: [], decimals: []),
    ]

    /// Validates a parsed document.
    static func violations(_ root: XMLNode) -> [String] {
        var problems: [String] = []
        if root.name != "testsuites" { problems.append("root element is \(root.name), not testsuites") }
        check(root, &problems)
        // Counts must agree with the test cases.
        for suite in root.children where suite.name == "testsuite" {
            let cases = suite.children.filter { $0.name == "testcase" }
            let failures = cases.filter { $0.children.contains { $0.name == "failure" } }.count
            let errors = cases.filter { $0.children.contains { $0.name == "error" } }.count
            if suite.attributes["tests"] != String(cases.count) { problems.append("suite \(suite.attributes["name"] ?? ""): tests count") }
            if let value = suite.attributes["failures"], value != String(failures) { problems.append("suite failures count") }
            if let value = suite.attributes["errors"], value != String(errors) { problems.append("suite errors count") }
            let seen = suite.children.map(\.name)
            if let properties = seen.firstIndex(of: "properties"), properties != 0 { problems.append("properties must come first") }
        }
        return problems
    }

    private static func check(_ node: XMLNode, _ problems: inout [String]) {
        guard let rule = rules[node.name] else {
            problems.append("unknown element \(node.name)")
            return
        }
        for name in rule.required where node.attributes[name] == nil { problems.append("\(node.name): missing attribute \(name)") }
        for (name, value) in node.attributes {
            if !rule.required.contains(name) && !rule.optional.contains(name) { problems.append("\(node.name): unknown attribute \(name)") }
            if rule.integers.contains(name), Int(value) == nil || value.hasPrefix("+") { problems.append("\(node.name).\(name) not an integer") }
            if rule.decimals.contains(name), Double(value) == nil { problems.append("\(node.name).\(name) not a decimal") }
        }
        for child in node.children {
            if !rule.children.contains(child.name) { problems.append("\(child.name) not allowed in \(node.name)") }
            check(child, &problems)
        }
        if node.name == "testcase" {
            let skipped = node.children.filter { $0.name == "skipped" }.count
            if skipped > 1 { problems.append("testcase: more than one skipped") }
        }
    }
}
