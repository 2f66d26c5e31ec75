import Foundation
import ModelLanguage

/// Finding the model files a command is given: files as named, directories searched recursively for `*.vmc`.
///
/// Every directory below a given path is listed with a call that fails loudly: Foundation's directory enumerator
/// skips a subdirectory it cannot read without a word, so `check d` used to check half of `d` and exit 0.
public enum ModelFiles {
    /// Lists the names in a directory, throwing when it cannot be read.
    public typealias Lister = (String) throws -> [String]

    /// The model files named by `paths`, directories expanded in sorted order; `-` (standard input) is kept as is.
    /// A missing path, an unreadable directory anywhere below a given one, or a directory without models is an
    /// error naming the path.
    public static func find(_ paths: [String], list: Lister = listDirectory) throws -> [String] {
        var files: [String] = []
        for path in paths {
            if path == FileReading.standardInputName {
                files.append(path)
                continue
            }
            switch kind(of: path) {
            case .missing:
                throw FileProblem(message: "\(path): no such file or directory")
            case .file:
                files.append(path)
            case .directory:
                let found = try search(path, list: list)
                if found.isEmpty { throw FileProblem(message: "\(path): no *.vmc models found in this directory") }
                files += found
            }
        }
        return files
    }

    /// The `*.vmc` files below `directory`, sorted by path.
    static func search(_ directory: String, list: Lister) throws -> [String] {
        var found: [String] = []
        var pending = [directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory]
        while let current = pending.popLast() {
            for name in try list(current) {
                let path = current == "/" ? "/" + name : current + "/" + name
                switch kind(of: path) {
                // A symbolic link to a directory is not followed (as before): a link to a parent would never end.
                case .directory where !isSymbolicLink(path): pending.append(path)
                case .file where name.hasSuffix(".vmc"): found.append(path)
                default: break
                }
            }
        }
        return found.sorted()
    }

    private enum Kind { case missing, file, directory }

    private static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
    }

    private static func kind(of path: String) -> Kind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
    }

    /// The names in a directory, or an error saying which directory and why (errno's text).
    public static func listDirectory(_ path: String) throws -> [String] {
        guard let handle = opendir(path) else {
            throw FileProblem(message: "\(path): cannot read the directory: \(String(cString: strerror(errno)))")
        }
        defer { closedir(handle) }
        var names: [String] = []
        errno = 0
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
            errno = 0
        }
        if errno != 0 {
            throw FileProblem(message: "\(path): cannot read the directory: \(String(cString: strerror(errno)))")
        }
        return names
    }
}
