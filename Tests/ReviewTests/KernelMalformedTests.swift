import Foundation
import Review
import Testing

/// Malformed and unrecognised kernel sources: a clear error naming the line, never a crash or a hang.
@Suite struct KernelMalformedTests {
    /// A file with `body` as the table's rows, the rest as in the kernel.
    static func source(rows: String, after: String = "};\n") -> String {
        """
        static int f(void)
        {
        \tstatic const u8 vfio_from_fsm_table[VFIO_DEVICE_NUM_STATES][VFIO_DEVICE_NUM_STATES] = {
        \(rows)
        \(after)
        \treturn 0;
        }

        """
    }

    static let goodRow = """
        \t\t[VFIO_DEVICE_STATE_STOP] = {
        \t\t\t[VFIO_DEVICE_STATE_STOP] = VFIO_DEVICE_STATE_STOP,
        \t\t},
        """

    /// The error extracting `text` gives, nil when it is accepted.
    static func error(_ text: String, header: String? = nil) -> KernelSourceError? {
        do {
            _ = try KernelExtractor.extract(source: Array(text.utf8), file: "t.c",
                                            header: header.map { (Array($0.utf8), "vfio.h") })
            return nil
        } catch let error as KernelSourceError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    /// The malformed fixture files of docs/examples/kernel/malformed/, each with the place its error names.
    @Test(arguments: [
        ("positional.c", 48, 4, "expected '[' of a designated initialiser"),
        ("number-value.c", 19, 36, "expected a VFIO_DEVICE_STATE_ name, found '3'"),
        ("swallowed-rows.c", 100, 2, "the token before is at line 65"),
        ("truncated.c", 24, 56, "the file ends here"),
    ])
    func malformedFixtureFilesNameTheirLine(_ name: String, _ line: Int, _ column: Int, _ text: String) {
        do {
            _ = try KernelExtractor.read(path: kernelFixture("malformed/" + name))
            Issue.record("\(name) was accepted")
        } catch let error as KernelSourceError {
            #expect(error.line == line, "\(error)")
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(text), "\(error)")
            #expect(error.description.hasPrefix(kernelFixture("malformed/" + name) + ":\(line):\(column): error: "))
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test func positionalInitialiserIsRejectedAtItsLine() {
        let error = Self.error(Self.source(rows: "\t\t{ VFIO_DEVICE_STATE_STOP },"))
        #expect(error?.line == 4)
        #expect(error?.column == 3)
        #expect(error?.description.hasPrefix("t.c:4:3: error: expected '[' of a designated initialiser") == true)
    }

    @Test func missingBracketNamesTheToken() {
        let error = Self.error(Self.source(rows: "\t\t[VFIO_DEVICE_STATE_STOP = {\n\t\t},"))
        #expect(error?.line == 4)
        #expect(error?.message.contains("expected ']'") == true)
        #expect(error?.message.contains("found '='") == true)
    }

    @Test func valueThatIsNotAStateIsRejected() {
        let rows = "\t\t[VFIO_DEVICE_STATE_STOP] = {\n\t\t\t[VFIO_DEVICE_STATE_STOP] = 1,\n\t\t},"
        let error = Self.error(Self.source(rows: rows))
        #expect(error?.line == 5)
        #expect(error?.message.contains("expected a VFIO_DEVICE_STATE_ name, found '1'") == true)
    }

    @Test func commentsAndLineBreaksAnywhereAreTolerated() {
        let rows = """
            \t\t/* a comment */ [ VFIO_DEVICE_STATE_STOP
            \t\t] // another
            \t\t= { [VFIO_DEVICE_STATE_STOP] /* x */ =
            #if 0
            #endif
            \t\t\tVFIO_DEVICE_STATE_STOP }
            """
        #expect(Self.error(Self.source(rows: rows)) == nil)
    }

    @Test func duplicateEntryIsRejectedNamingTheFirst() {
        let rows = "\t\t[VFIO_DEVICE_STATE_STOP] = {\n\t\t\t[VFIO_DEVICE_STATE_STOP] = VFIO_DEVICE_STATE_STOP,\n"
            + "\t\t\t[VFIO_DEVICE_STATE_STOP] = VFIO_DEVICE_STATE_ERROR,\n\t\t},"
        let error = Self.error(Self.source(rows: rows))
        #expect(error?.line == 6)
        #expect(error?.message.contains("the first is at line 5") == true)
    }

    @Test func unterminatedCommentIsRejectedAtItsStart() {
        let error = Self.error(Self.source(rows: Self.goodRow + "\n\t/* never closed"))
        #expect(error?.line == 7)
        #expect(error?.message == "unterminated comment")
    }

    @Test func truncatedFileSaysWhereItEnds() {
        let text = String(Self.source(rows: Self.goodRow).prefix(170))
        let error = Self.error(text)
        #expect(error != nil)
        #expect(error?.line != nil)
        #expect(error?.message.contains("the file ends here") == true)
    }

    @Test func fileWithoutTheTableIsUnrecognised() {
        let error = Self.error("int main(void) { return 0; }\n")
        #expect(error?.line == nil)
        #expect(error?.description == "t.c: error: no initialised array 'vfio_from_fsm_table' found: not a vfio_main.c of Linux 5.18 or later")
    }

    @Test func twoDefinitionsAreRejected() {
        let text = Self.source(rows: Self.goodRow) + Self.source(rows: Self.goodRow)
        let error = Self.error(text)
        #expect(error?.message.contains("a second definition of 'vfio_from_fsm_table'") == true)
    }

    @Test func stateMissingFromTheTreesEnumIsRejected() {
        let header = "enum vfio_device_mig_state {\n\tVFIO_DEVICE_STATE_ERROR = 0,\n\tVFIO_DEVICE_STATE_RUNNING = 2,\n};\n"
        let error = Self.error(Self.source(rows: Self.goodRow), header: header)
        #expect(error?.line == 4)
        #expect(error?.message.contains("VFIO_DEVICE_STATE_STOP is not a member of enum vfio_device_mig_state") == true)
    }

    @Test func headerWithoutTheEnumIsRejected() {
        let error = Self.error(Self.source(rows: Self.goodRow), header: "int x;\n")
        #expect(error?.file == "vfio.h")
        #expect(error?.message.contains("no 'enum vfio_device_mig_state") == true)
    }

    @Test func unreadableFlagsTableFallsBackToTheDocumentedRule() throws {
        let text = Self.source(rows: Self.goodRow)
            + "static const unsigned int state_flags_table[8] = {\n\t[VFIO_DEVICE_STATE_STOP] = some_function(),\n};\n"
        let tables = try KernelExtractor.extract(source: Array(text.utf8), file: "t.c", header: nil)
        guard case .documented(let reason) = tables.needsSource else {
            Issue.record("expected the documented rule, got \(tables.needsSource)")
            return
        }
        #expect(reason.contains("line 12:29"))
        #expect(tables.needs["STOP"] == StateNeeds(flags: ["STOP_COPY"], allBits: false))
    }

    @Test func missingFileAndNonTreeDirectoryAreErrors() throws {
        #expect(throws: KernelSourceError.self) { try KernelExtractor.read(path: "/nonexistent/vfio_main.c") }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try KernelExtractor.read(path: directory.path)
            Issue.record("a directory without drivers/vfio was accepted")
        } catch let error as KernelSourceError {
            #expect(error.message.hasPrefix("not a kernel tree"))
        }
    }

    /// Inputs built to make a naive scan quadratic (thousands of unclosed groups after the table's name, nested
    /// loops) and an oversized one are answered at once.
    @Test func adversarialInputsAreLinear() {
        let openGroups = Self.error(String(repeating: "vfio_from_fsm_table [ ", count: 20_000))
        #expect(openGroups?.message.contains("no initialised array") == true)
        let nestedLoops = Self.error(Self.source(rows: Self.goodRow) + String(repeating: "while (", count: 20_000)
            + String(repeating: ")", count: 20_000) + ";\n")
        #expect(nestedLoops == nil)
        var text = "static const u8 vfio_from_fsm_table[N][N] = {\n"
        for index in 0..<20_000 { text += "[VFIO_DEVICE_STATE_S\(index)] = { [VFIO_DEVICE_STATE_T\(index)] = VFIO_DEVICE_STATE_U\(index) },\n" }
        let manyStates = Self.error(text + "};\n")
        #expect(manyStates?.message.hasSuffix("states: vfio-mc kernel checks at most \(KernelModel.maxStates)") == true)
        let large = Self.error(String(repeating: " ", count: (4 << 20) + 1))
        #expect(large?.message.hasPrefix("larger than 4 MiB") == true)
    }

    /// A FIFO without a writer reads as empty instead of blocking, and so is a file without the table.
    @Test func fifoWithoutWriterDoesNotBlock() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("vfio_main.c").path
        try #require(try run(["mkfifo", fifo]).status == 0)
        do {
            _ = try KernelExtractor.read(path: fifo)
            Issue.record("an empty FIFO was accepted")
        } catch let error as KernelSourceError {
            #expect(error.message.contains("no initialised array 'vfio_from_fsm_table'"))
        }
    }

    /// Random damage to the fixture (bytes replaced, deleted, duplicated) must give tables or a located error.
    @Test func damagedInputNeverCrashes() throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: kernelFixture("vfio_main.c"))))
        var generator = SplitMix(seed: 17)
        let alphabet = Array("[]{}=,;/*\n VFIO_DEVICE_STATE_STOP0~|()#\"'".utf8) + [0, 0xFF, 0xC3]
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let index = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[index] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: index)
                default: bytes.insert(bytes[index], at: index)
                }
            }
            do {
                let tables = try KernelExtractor.extract(source: bytes, file: "damaged.c", header: nil)
                #expect(tables.states.contains("ERROR"))
            } catch let error as KernelSourceError {
                #expect(!error.message.isEmpty)
            }
        }
    }
}

/// A small deterministic generator (SplitMix64), so the damage is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
