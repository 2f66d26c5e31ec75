@testable import Explorer
import Foundation
import Testing

/// `--huge-pages` (`ExplorerOptions.hugePages`, `StoreMapping.hugePages`): the store's large arrays are advised huge
/// pages only when asked (the kernel's own record of the advice, the `hg` flag in /proc/self/smaps, is read back),
/// and a search gives the same results either way.
@Suite struct HugePagesTests {
    /// The `VmFlags` of the mapping of this process that holds `address`, from /proc/self/smaps; nil when there is
    /// no such file or mapping.
    static func vmFlags(of address: UnsafeRawPointer) -> [String]? {
        // Read to the end: the file reports a size of 0, which `String(contentsOfFile:)` takes at its word.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps"),
              let data = try? handle.readToEnd(), let text = String(data: data, encoding: .utf8) else { return nil }
        try? handle.close()
        let target = UInt(bitPattern: address)
        var inside = false
        for line in text.split(separator: "\n") {
            if let dash = line.firstIndex(of: "-"), let space = line.firstIndex(of: " "), dash < space,
               let start = UInt(line[..<dash], radix: 16), let end = UInt(line[line.index(after: dash)..<space], radix: 16) {
                inside = start <= target && target < end
            } else if inside, line.hasPrefix("VmFlags:") {
                return line.dropFirst("VmFlags:".count).split(separator: " ").map(String.init)
            }
        }
        return nil
    }

    /// Whether this kernel has transparent huge pages at all (without them `madvise` refuses the advice).
    static var kernelHasHugePages: Bool { FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled") }

    @Test(arguments: [false, true])
    func largeArraysAreAdvisedHugePagesOnlyWhenAsked(huge: Bool) throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/smaps") else { return }
        let mapping = StoreMapping(hugePages: huge)
        // 8 MiB, then grown by `mremap` to 16 MiB: both advised when asked, neither when not.
        var array = try #require(MappedArray<UInt64>(mapping: 1 << 20, as: mapping))
        defer { array.deallocate() }
        let flags = try #require(Self.vmFlags(of: array.base))
        #expect(flags.contains("hg") == (huge && Self.kernelHasHugePages), "\(flags)")
        let resized = array.resize(count: 1 << 21, mapping: mapping)
        #expect(resized)
        let grown = try #require(Self.vmFlags(of: array.base))
        #expect(grown.contains("hg") == (huge && Self.kernelHasHugePages), "\(grown)")
        // An array under 4 MiB is never advised: its huge pages would be mostly empty.
        let small = try #require(MappedArray<UInt64>(mapping: 1 << 10, as: mapping))
        defer { small.deallocate() }
        #expect(try #require(Self.vmFlags(of: small.base)).contains("hg") == false)
    }

    /// 531,441 states: the store's words alone take 4 MiB, so that its arrays are advised when asked.
    static let grid = """
        model grid
        var a: 0..8 = 0
        var b: 0..8 = 0
        var c: 0..8 = 0
        var d: 0..8 = 0
        var e: 0..8 = 0
        var f: 0..8 = 0
        action incA when a < 8 { a := a + 1 }
        action incB when b < 8 { b := b + 1 }
        action incC when c < 8 { c := c + 1 }
        action incD when d < 8 { d := d + 1 }
        action incE when e < 8 { e := e + 1 }
        action incF when f < 8 { f := f + 1 }
        invariant NotAllHigh: a + b + c + d + e + f < 48
        """

    @Test(arguments: [1, 2])
    func aSearchGivesTheSameResultsWithHugePages(threads: Int) throws {
        var options = ExplorerOptions()
        options.threads = threads
        let without = try explore(Self.grid, options: options)
        options.hugePages = true
        let with = try explore(Self.grid, options: options)
        #expect(without.statistics.states == 531_441)
        #expect(with.statistics.states == without.statistics.states)
        #expect(with.statistics.transitions == without.statistics.transitions)
        #expect(with.statistics.depth == without.statistics.depth)
        #expect(with.properties == without.properties)
    }
}
