import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// The native paths of the successor generation: guard tests on cells wider than 64 values (intervals and
/// narrow memberships), the kernels of `x := c` and `x := y ± c` bodies, and the skipping of instances that share
/// a failing test. Each search is checked against a search written here from the model's meaning, sharing no code
/// with the machine.
@Suite struct KernelTests {
    static let wide = """
        model wide
        var a: 0..100 = 0
        var b: 0..10 = 0
        action up when a < 100 { a := a + 1 }
        action down when a > 90 && a != 95 { b := a - 90 }
        action reset when a in {97, 99} { a := 0 }
        action swap when a == 100 && b >= 3 { a := b }
        action back(k: 1..3) when b <= 9 && a > 50 && b >= k { b := b - k }
        terminal true
        """

    /// The successors of (a, b), in action order, by the model's meaning.
    static func successors(_ a: Int, _ b: Int) -> [(Int, Int)] {
        var next: [(Int, Int)] = []
        if a < 100 { next.append((a + 1, b)) }
        if a > 90 && a != 95 { next.append((a, a - 90)) }
        if a == 97 || a == 99 { next.append((0, b)) }
        if a == 100 && b >= 3 { next.append((b, b)) }
        for k in 1...3 where b <= 9 && a > 50 && b >= k { next.append((a, b - k)) }
        return next
    }

    @Test func wideGuardsAndKernelsGiveTheModelsSuccessors() throws {
        var seen: Set<[Int]> = [[0, 0]]
        var level = [(0, 0)]
        var transitions = 0
        var depth = 0
        while !level.isEmpty {
            var next: [(Int, Int)] = []
            for (a, b) in level {
                for successor in Self.successors(a, b) {
                    transitions += 1
                    if seen.insert([successor.0, successor.1]).inserted { next.append(successor) }
                }
            }
            if !next.isEmpty { depth += 1 }
            level = next
        }
        for threads in [1, 2] {
            var options = ExplorerOptions()
            options.threads = threads
            let result = try explore(Self.wide, options: options)
            #expect(result.statistics.states == seen.count)
            #expect(result.statistics.transitions == transitions)
            #expect(result.statistics.depth == depth)
            #expect(try result.property("bounds").verdict == .holds)
        }
    }

    @Test func aKernelOutOfRangeOnAWideCellFailsLikeTheProgram() throws {
        let result = try explore("""
            model over
            var a: 0..100 = 98
            action up when a >= 98 { a := a + 2 }
            terminal true
            """)
        let bounds = try result.property("bounds")
        #expect(bounds.verdict == .violated)
        #expect(bounds.trace?.failure?.message == "value 102 is outside 0..100")
        #expect(bounds.trace?.failure?.line == 3)
        #expect(result.statistics.states == 2)
    }
}
