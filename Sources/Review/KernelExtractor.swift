import Foundation
import ModelLanguage

/// Reads a kernel's `vfio_main.c`, or a kernel tree (then also `enum vfio_device_mig_state` from
/// `include/uapi/linux/vfio.h`), into `KernelTables`. The table must be in the kernel's form, designated
/// initialisers `[VFIO_DEVICE_STATE_X] = { [VFIO_DEVICE_STATE_Y] = VFIO_DEVICE_STATE_Z, ... }`; anything else in
/// it is rejected with its line and column. The supported-state rule (`state_flags_table`) is read when it has
/// the kernel's form (flag names joined by `|`, or `~0U`), else the documented rule is used and the report says
/// so. Every step is a bounded pass over the tokens, so no input can make it hang.
public enum KernelExtractor {
    static let statePrefix = "VFIO_DEVICE_STATE_"
    static let flagPrefix = "VFIO_MIGRATION_"
    /// The largest source read: far above vfio_main.c (45 KiB) and vfio.h (70 KiB), small enough that the tokens
    /// of any input fit in memory.
    static let sizeLimit = 4 << 20

    /// Reads `path`: a C file, or a directory holding `drivers/vfio/vfio_main.c` (or the older
    /// `drivers/vfio/vfio.c`) and `include/uapi/linux/vfio.h`.
    public static func read(path: String) throws -> KernelTables {
        var isDirectory: ObjCBool = false
        if path == FileReading.standardInputName {
            return try extract(source: try bytes(of: path), file: FileReading.displayName(path), header: nil)
        }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw KernelSourceError(file: path, line: nil, column: nil, message: "no such file or directory")
        }
        guard isDirectory.boolValue else { return try extract(source: try bytes(of: path), file: path, header: nil) }
        let root = path.hasSuffix("/") ? String(path.dropLast()) : path
        let candidates = ["drivers/vfio/vfio_main.c", "drivers/vfio/vfio.c"].map { root + "/" + $0 }
        guard let source = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw KernelSourceError(file: path, line: nil, column: nil,
                                    message: "not a kernel tree: neither drivers/vfio/vfio_main.c nor drivers/vfio/vfio.c exists")
        }
        let headerPath = root + "/include/uapi/linux/vfio.h"
        guard FileManager.default.fileExists(atPath: headerPath) else {
            throw KernelSourceError(file: path, line: nil, column: nil,
                                    message: "not a kernel tree: include/uapi/linux/vfio.h does not exist")
        }
        return try extract(source: try bytes(of: source), file: source, header: (try bytes(of: headerPath), headerPath))
    }

    /// The file's bytes, read with the project's reader: a size limit, no blocking on a FIFO, errors in words.
    private static func bytes(of path: String) throws -> [UInt8] {
        do {
            return try FileReading.bytes(atPath: path)
        } catch let problem as FileProblem {
            let message = problem.path == path ? (problem.reason ?? problem.message) : problem.message
            throw KernelSourceError(file: FileReading.displayName(path), line: nil, column: nil, message: message)
        }
    }

    /// Extracts the tables from the text of a `vfio_main.c`; `header` is the text and name of a `vfio.h` whose
    /// enum then gives the states and their values (without it, the documented enum does).
    public static func extract(source: [UInt8], file: String, header: ([UInt8], String)?) throws -> KernelTables {
        for (bytes, name) in [(source, file)] + (header.map { [$0] } ?? []) where bytes.count > sizeLimit {
            throw KernelSourceError(file: name, line: nil, column: nil,
                                    message: "larger than \(sizeLimit >> 20) MiB: not a vfio_main.c or vfio.h (they are under 100 KiB)")
        }
        let tokens = try CTokenizer.tokenize(source, file: file)
        var notes: [String] = []

        // The states and their values.
        var values: [String: Int] = [:]
        var order: [String] = []
        let enumSource: String
        let fromHeader: Bool
        if let (headerBytes, headerName) = header {
            for (name, value) in try parseEnum(try CTokenizer.tokenize(headerBytes, file: headerName), file: headerName) {
                values[name] = value
                order.append(name)
            }
            enumSource = "enum vfio_device_mig_state in \(headerName)"
            fromHeader = true
        } else {
            enumSource = "the documented enum; a kernel tree gives the enum of include/uapi/linux/vfio.h"
            fromHeader = false
        }

        // The table.
        guard let tableStart = try definition(named: "vfio_from_fsm_table", in: tokens, file: file) else {
            throw KernelSourceError(file: file, line: nil, column: nil,
                                    message: "no initialised array 'vfio_from_fsm_table' found: not a vfio_main.c of Linux 5.18 or later")
        }
        var cursor = Cursor(tokens: tokens, position: tableStart, file: file)
        let entries = try parseTable(&cursor)
        var mentioned: [String] = []
        var mentionedSet: Set<String> = []
        func mention(_ name: String) { if mentionedSet.insert(name).inserted { mentioned.append(name) } }
        for entry in entries {
            mention(entry.row.text)
            mention(entry.column.text)
            mention(entry.value.text)
        }

        // The supported-state rule.
        var needs: [String: StateNeeds] = [:]
        var needsSource: RuleSource
        do {
            if let flagsStart = try definition(named: "state_flags_table", in: tokens, file: file) {
                var flagsCursor = Cursor(tokens: tokens, position: flagsStart, file: file)
                let line = tokens[flagsStart].line
                for (state, stateNeeds) in try parseFlagsTable(&flagsCursor) {
                    if needs[state.text] != nil {
                        throw KernelSourceError(file: file, line: state.line, column: state.column,
                                                message: "a second initialiser for state_flags_table[\(state.text)]")
                    }
                    needs[state.text] = stateNeeds
                    mention(state.text)
                }
                needsSource = .file(line: line)
            } else {
                needsSource = .documented(reason: "no initialised array 'state_flags_table' in the file")
            }
        } catch let error as KernelSourceError {
            needs = [:]
            let place = error.line.map { "line \($0):\(error.column ?? 0)" } ?? "the file"
            needsSource = .documented(reason: "state_flags_table not read at \(place): \(error.message)")
        }

        // Every state the file names must be a member of the enum (a tree), or is added with an unknown value.
        if fromHeader {
            for entry in entries {
                for token in [entry.row, entry.column, entry.value] where values[token.text] == nil {
                    throw KernelSourceError(file: file, line: token.line, column: token.column,
                                            message: "VFIO_DEVICE_STATE_\(token.text) is not a member of \(enumSource)")
                }
            }
            if case .file = needsSource {
                for name in needs.keys where values[name] == nil {
                    throw KernelSourceError(file: file, line: nil, column: nil,
                                            message: "state_flags_table names VFIO_DEVICE_STATE_\(name), not a member of \(enumSource)")
                }
            }
        } else {
            // Documented states the file uses, plus ERROR (what a left-out entry holds); then the file's new ones.
            for (name, value) in DocumentedKernel.states where mentionedSet.contains(name) || value == 0 {
                values[name] = value
                order.append(name)
            }
            for name in mentioned where values[name] == nil {
                order.append(name)
                notes.append("VFIO_DEVICE_STATE_\(name) is not in the documented enum; its value is unknown (pass a kernel tree to read it)")
            }
        }
        let states = order
        // Refused here, before the table is filled (states x states entries) or checked.
        guard states.count <= KernelModel.maxStates else {
            throw KernelSourceError(file: file, line: nil, column: nil,
                                    message: "\(states.count) states: vfio-mc kernel checks at most \(KernelModel.maxStates)")
        }

        // Fill the table as C does: a left-out entry is 0.
        var table: [String: [String: String]] = [:]
        var seen: [KernelRequest: CToken] = [:]
        for entry in entries {
            let request = KernelRequest(current: entry.row.text, requested: entry.column.text)
            if let first = seen[request] {
                throw KernelSourceError(file: file, line: entry.column.line, column: entry.column.column,
                                        message: "a second initialiser for vfio_from_fsm_table[\(request.current)][\(request.requested)] (the first is at line \(first.line))")
            }
            seen[request] = entry.column
            table[request.current, default: [:]][request.requested] = entry.value.text
        }
        let zero = values.first { $0.value == 0 }?.key
        var uninitialised: [KernelRequest] = []
        for current in states {
            for requested in states where table[current]?[requested] == nil {
                guard let zero else {
                    throw KernelSourceError(file: file, line: nil, column: nil,
                                            message: "vfio_from_fsm_table[\(current)][\(requested)] is left out and no state has the value 0 it would hold")
                }
                table[current, default: [:]][requested] = zero
                uninitialised.append(KernelRequest(current: current, requested: requested))
            }
        }
        if !uninitialised.isEmpty {
            let listed = uninitialised.prefix(8).map { "[\($0.current)][\($0.requested)]" }.joined(separator: ", ")
            let count = uninitialised.count == 1 ? "1 table entry is left out and holds" : "\(uninitialised.count) table entries are left out and hold"
            notes.append("\(count) \(zero ?? "0") (C zero-fills them): \(listed)\(uninitialised.count > 8 ? ", ..." : "")")
        }

        // Complete the rule: the documented one, or the file's with left-out states needing nothing.
        if case .documented = needsSource {
            needs = [:]
            for state in states {
                if let documented = DocumentedKernel.needs[state] {
                    needs[state] = documented
                } else {
                    needs[state] = StateNeeds(flags: ["STOP_COPY"], allBits: false)
                    notes.append("the documented rule does not know \(state); taken to need STOP_COPY only")
                }
            }
        } else {
            for state in states where needs[state] == nil {
                needs[state] = StateNeeds(flags: [], allBits: false)
                notes.append("state_flags_table leaves out \(state): it needs no flag (C zero-fills it), so every device supports it")
            }
        }
        // The flags that matter: those some state of the file needs (a flag no state needs changes nothing).
        var flagNames = Set(states.flatMap { needs[$0]?.flags ?? [] })
        flagNames.remove("STOP_COPY")

        let loop = loopReading(tokens)
        return KernelTables(file: file, states: states, values: values, enumSource: enumSource, table: table,
                            uninitialised: uninitialised, needs: needs, needsSource: needsSource,
                            optionalFlags: flagNames.sorted(), loop: loop, notes: notes)
    }
}
