import Foundation
import PackedSystem

/// One file of a report: its path relative to the report directory and its contents.
public struct ReportFile: Sendable, Hashable {
    /// Relative path, with `/` separators.
    public let path: String
    /// The contents.
    public let contents: String

    /// Creates a file.
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

/// Assembles and writes a report directory:
///
/// - `index.html`, `README.md`: every model's status;
/// - `SLUG.html`, `SLUG.md`: one page per model (SLUG is the model file's name without `.vmc`);
/// - `itf/SLUG.PROPERTY.itf.json`: every trace in the Informal Trace Format;
/// - `svg/SLUG.PROPERTY.sequence.svg`, `svg/SLUG.VARIABLE.DEVICE.states.svg`: the pictures of the Markdown pages;
/// - `FINDINGS.md`: what the models show about each discussion point and dispute (`FindingsRenderer`: prose from the
///   models' doc comments, verdicts and traces from the checker);
/// - `.vfio-mc-report`: the list of files the generator wrote, so that the next run removes the ones it no longer
///   writes (and never touches any other file).
public enum ReportGenerator {
    /// The name of the manifest file in the report directory.
    public static let manifestName = ".vfio-mc-report"

    /// A path as shown in reports: relative to the current directory when below it, else the file name alone, so
    /// that no absolute path reaches committed output.
    public static func displayPath(_ file: String) -> String {
        var path = file
        while path.hasPrefix("./") { path.removeFirst(2) }
        guard path.hasPrefix("/") else { return path.replacingOccurrences(of: "//", with: "/") }
        let current = FileManager.default.currentDirectoryPath
        let prefix = current.hasSuffix("/") ? current : current + "/"
        if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        return URL(fileURLWithPath: path).lastPathComponent
    }

    /// Unique page names for model files: the file name without directory and `.vmc`, made file-name safe;
    /// repeated names get `-2`, `-3`, ... in file order.
    public static func slugs(forFiles files: [String]) -> [String] {
        var used: Set<String> = []
        var result: [String] = []
        for file in files {
            var base = file.split(separator: "/").last.map(String.init) ?? file
            if base.hasSuffix(".vmc") { base.removeLast(4) }
            base = Markup.slug(base)
            if ["index", "README"].contains(base) { base += "-model" }
            result.append(Markup.unique(base, among: &used))
        }
        return result
    }

    /// Every file of the report, sorted by path.
    public static func files(models: [ModelReport], failures: [LoadFailure], options: ReportOptions) -> [ReportFile] {
        var files: [ReportFile] = [
            ReportFile(path: "index.html", contents: HTMLRenderer.indexPage(models, failures: failures, options: options)),
            ReportFile(path: "README.md", contents: MarkdownRenderer.index(models, failures: failures, options: options)),
            ReportFile(path: "FINDINGS.md", contents: FindingsRenderer.render(models)),
        ]
        for report in models {
            files.append(ReportFile(path: report.htmlPath, contents: HTMLRenderer.modelPage(report, options: options)))
            files.append(ReportFile(path: report.markdownPath, contents: MarkdownRenderer.modelPage(report, options: options)))
            for (index, property) in report.result.properties.enumerated() {
                guard let trace = property.trace else { continue }
                files.append(ReportFile(path: report.itfPath(index),
                                        contents: ITFRenderer.render(trace: trace, property: property, result: report.result,
                                                                     layout: report.system.layout,
                                                                     variants: report.system.model.variantAssignment)))
                if let diagram = report.sequenceDiagram(index) {
                    files.append(ReportFile(path: report.sequencePath(index),
                                            contents: diagram.svg(idPrefix: "seq", title: "Sequence diagram of \(property.name)",
                                                                  standalone: true)))
                }
            }
            for (index, graph) in report.stateGraphs.enumerated() {
                if let svg = StateGraphSVG.render(graph, idPrefix: "graph", standalone: true) {
                    files.append(ReportFile(path: report.graphPath(index), contents: svg))
                }
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Writes `files` into `directory` (created if needed), each atomically; files whose contents are already
    /// identical are left alone. Files listed in the previous manifest and not written now are removed; no other
    /// file is touched. Returns the paths written (relative).
    @discardableResult
    public static func write(_ files: [ReportFile], to directory: String) throws -> [String] {
        let manager = FileManager.default
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let manifestPath = base + manifestName
        let previous = (try? String(contentsOfFile: manifestPath, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        // Every changed file is written beside its destination first; only when all of them were written are they
        // renamed into place, so a failure (a full disk) leaves the directory as it was, not half updated.
        var written: [String] = []
        var staged: [AtomicFile.Staged] = []
        do {
            for file in files {
                let path = base + file.path
                if let existing = manager.contents(atPath: path), existing == Data(file.contents.utf8) { continue }
                staged.append(try AtomicFile.stage(file.contents, for: path))
                written.append(file.path)
            }
        } catch {
            AtomicFile.discard(staged)
            throw error
        }
        try AtomicFile.commit(staged)
        let current = Set(files.map(\.path))
        for stale in previous where !current.contains(stale) && isSafeRelativePath(stale) {
            let path = base + stale
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                try manager.removeItem(atPath: path)
            }
        }
        let manifest = files.map(\.path).joined(separator: "\n") + "\n"
        if manager.contents(atPath: manifestPath) != Data(manifest.utf8) {
            try AtomicFile.write(manifest, to: manifestPath)
        }
        return written
    }

    /// A path inside the report directory: relative, without `..` or empty components.
    static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == ".." || $0 == "." }
    }
}
