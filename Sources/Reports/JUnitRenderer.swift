import PackedSystem

/// Renders results as JUnit XML: one test suite per model, one test case per property.
/// (Implementation in progress.)
public enum JUnitRenderer {
    /// The XML document.
    public static func render(results: [CheckResult], loadFailures: [(file: String, messages: [String])]) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites/>\n"
    }
}
