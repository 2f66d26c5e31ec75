import Foundation
import ModelLanguage
import PackedSystem
import Reports
import Testing

@Suite struct PageTests {
    private func reports() throws -> [ModelReport] {
        [
            try Fixtures.report(Fixtures.twoDevices, file: "Models/two.vmc", slug: "two"),
            try Fixtures.report(Fixtures.singleDevice, file: "Models/single.vmc", slug: "single"),
            try Fixtures.report(Fixtures.missed, file: "Models/missed.vmc", slug: "missed"),
        ]
    }

    private let failure = LoadFailure(file: "Models/broken.vmc", problems: [
        .diagnostic(Diagnostic(file: "Models/broken.vmc", line: 1, column: 1, message: "<oops>", sourceLine: "model <oops>"))])

    @Test func htmlPagesAreSelfContained() throws {
        let files = ReportGenerator.files(models: try reports(), failures: [failure], options: ReportOptions())
        let pages = files.filter { $0.path.hasSuffix(".html") }
        #expect(pages.map(\.path) == ["index.html", "missed.html", "single.html", "two.html"])
        for page in pages {
            let html = page.contents
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            for forbidden in ["http://", "https://", "<script", "<link", "@import", "src=", "<iframe", "<object", "<embed", "@font-face"] {
                #expect(!html.lowercased().contains(forbidden), "\(page.path) contains \(forbidden)")
            }
            // The only url() references are to markers in the same page.
            #expect(html.components(separatedBy: "url(").dropFirst().allSatisfy { $0.hasPrefix("#") }, "\(page.path)")
            // Every inline SVG is well-formed XML, and ids are unique in the page.
            for svg in inlineSVGs(html) { #expect(XMLNode.parse(svg) != nil, "\(page.path)") }
            let ids = html.components(separatedBy: " id=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
            #expect(Set(ids).count == ids.count, "\(page.path): repeated ids")
        }
    }

    @Test func modelPageHasEverySection() throws {
        let report = try Fixtures.report(Fixtures.twoDevices, file: "Models/two.vmc", slug: "two")
        let html = HTMLRenderer.modelPage(report, options: ReportOptions())
        for text in ["Properties", "Counterexamples", "Witnesses of reachable goals", "Device state graphs", "Run statistics",
                     "NoDmaToStoppedPeer", "AllStopped", "itf/two.NoDmaToStoppedPeer.itf.json", "class=\"sequence\"",
                     "class=\"state-graph\"", "class=\"chg\"", "Models/two.vmc", "index.html"] {
            #expect(html.contains(text), "\(text)")
        }
        let markdown = MarkdownRenderer.modelPage(report, options: ReportOptions())
        for text in ["## Properties", "## Counterexamples", "## Device state graphs", "## Run statistics",
                     "(svg/two.NoDmaToStoppedPeer.sequence.svg)", "(svg/two.state.Dev_0.states.svg)", "| # | action |", "**STOP**"] {
            #expect(markdown.contains(text), "\(text)")
        }
    }

    @Test func everyLinkedFileIsGenerated() throws {
        let files = ReportGenerator.files(models: try reports(), failures: [failure], options: ReportOptions())
        let paths = Set(files.map(\.path))
        for file in files where file.path.hasSuffix(".md") || file.path.hasSuffix(".html") {
            let targets = file.contents.components(separatedBy: "](").dropFirst().compactMap { $0.split(separator: ")").first.map(String.init) }
                + file.contents.components(separatedBy: "href=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
            for target in targets where !target.hasPrefix("#") {
                let path = target.split(separator: "#").first.map(String.init) ?? target
                #expect(paths.contains(path), "\(file.path) links to \(target)")
            }
        }
    }

    @Test func twoRunsGiveIdenticalBytes() throws {
        let first = ReportGenerator.files(models: try reports(), failures: [failure], options: ReportOptions())
        let second = ReportGenerator.files(models: try reports(), failures: [failure], options: ReportOptions())
        #expect(first.map(\.path) == second.map(\.path))
        for (a, b) in zip(first, second) { #expect(a.contents == b.contents, "\(a.path)") }
    }

    @Test func timingsOnlyWhenAsked() throws {
        let report = try Fixtures.report(Fixtures.twoDevices)
        let plain = HTMLRenderer.modelPage(report, options: ReportOptions()) + MarkdownRenderer.modelPage(report, options: ReportOptions())
        for text in ["seconds", "peak resident memory", "states per second"] { #expect(!plain.contains(text)) }
        var options = ReportOptions()
        options.timings = true
        let timed = HTMLRenderer.modelPage(report, options: options)
        #expect(timed.contains("seconds") && timed.contains("peak resident memory"))
        let index = HTMLRenderer.indexPage([report], failures: [], options: options)
        #expect(index.contains("<th>Seconds</th>"))
    }

    @Test func indexSummarisesEveryModel() throws {
        let all = try reports()
        let html = HTMLRenderer.indexPage(all, failures: [failure], options: ReportOptions())
        let markdown = MarkdownRenderer.index(all, failures: [failure], options: ReportOptions())
        for page in [html, markdown] {
            #expect(page.contains("4 models: 2 met every expectation, 1 did not, 1 failed to load"))
            for name in ["two_devices", "single", "missed", "Models/broken.vmc"] { #expect(page.contains(name), "\(name)") }
        }
        #expect(html.contains("&lt;oops&gt;"))
        #expect(html.contains("href=\"two.html\"") && markdown.contains("(two.md)"))
    }

    private func inlineSVGs(_ html: String) -> [String] {
        html.components(separatedBy: "<svg").dropFirst().compactMap { part in
            guard let end = part.range(of: "</svg>") else { return nil }
            return "<svg" + part[..<end.upperBound]
        }
    }
}

@Suite struct ReportWriterTests {
    @Test func writesOnlyItsOwnFilesAndRemovesItsStaleOnes() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let findings = directory + "/FINDINGS.md"
        try "written by hand\n".write(toFile: findings, atomically: true, encoding: .utf8)
        let first = [ReportFile(path: "a.md", contents: "a\n"), ReportFile(path: "itf/b.itf.json", contents: "{}\n")]
        #expect(try ReportGenerator.write(first, to: directory) == ["a.md", "itf/b.itf.json"])
        #expect(try String(contentsOfFile: directory + "/" + ReportGenerator.manifestName, encoding: .utf8) == "a.md\nitf/b.itf.json\n")
        // Unchanged contents are not rewritten.
        #expect(try ReportGenerator.write(first, to: directory) == [])
        // A file the generator no longer writes is removed; the hand-written one stays.
        let second = [ReportFile(path: "a.md", contents: "a2\n")]
        #expect(try ReportGenerator.write(second, to: directory) == ["a.md"])
        #expect(!FileManager.default.fileExists(atPath: directory + "/itf/b.itf.json"))
        #expect(try String(contentsOfFile: findings, encoding: .utf8) == "written by hand\n")
        #expect(try String(contentsOfFile: directory + "/a.md", encoding: .utf8) == "a2\n")
    }

    @Test func aTamperedManifestCannotRemoveFilesOutsideTheDirectory() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outside = directory + "-outside.txt"
        try "keep\n".write(toFile: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let name = (outside as NSString).lastPathComponent
        try "../\(name)\n\(outside)\n".write(toFile: directory + "/" + ReportGenerator.manifestName, atomically: true, encoding: .utf8)
        try ReportGenerator.write([ReportFile(path: "x.md", contents: "x\n")], to: directory)
        #expect(FileManager.default.fileExists(atPath: outside))
    }

    @Test func slugsAreUniqueAndSafe() {
        #expect(ReportGenerator.slugs(forFiles: ["Models/a.vmc", "Other/a.vmc", "Models/b c.vmc", "index.vmc"])
                == ["a", "a-2", "b_c", "index-model"])
    }
}
