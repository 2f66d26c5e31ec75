import Explorer
import ModelLanguage
import PackedSystem
import Testing

/// Every budget stops the search cleanly and leaves undecided properties unknown.
@Suite struct BudgetTests {
    static let large = """
        model large
        var a: 0..99 = 0
        var b: 0..99 = 0
        action incA when a < 99 { a := a + 1 }
        action incB when b < 99 { b := b + 1 }
        action reset { a := 0  b := 0 }
        invariant Fine: a + b <= 198
        reachable Corner: a == 99 && b == 99
        """

    @Test func unlimitedRunCompletes() throws {
        let result = try explore(Self.large)
        #expect(result.statistics.states == 10_000)
        #expect(result.statistics.complete)
        #expect(try result.property("Fine").verdict == .holds)
    }

    @Test func stateLimitStopsWithUnknownVerdicts() throws {
        var options = ExplorerOptions()
        options.budget.maxStates = 500
        let result = try explore(Self.large, options: options)
        #expect(result.statistics.states == 500)
        #expect(!result.statistics.complete)
        #expect(result.statistics.stopReason == .stateLimit(500))
        #expect(result.statistics.stopReason?.description == "state limit of 500 reached")
        #expect(try result.property("Fine").verdict == .unknown)
        #expect(try result.property("Corner").verdict == .unknown)
        #expect(result.hasUnknown)
    }

    @Test func memoryLimitStopsBeforeGrowingPastIt() throws {
        var options = ExplorerOptions()
        options.budget.maxMemoryBytes = 100_000
        let result = try explore(Self.large, options: options)
        #expect(!result.statistics.complete)
        #expect(result.statistics.stopReason == .memoryLimit(bytes: 100_000))
        #expect(result.statistics.stopReason?.description == "memory limit of 100000 bytes reached")
        #expect(result.statistics.engineBytes <= 100_000)
    }

    /// The default limit (no `--max-memory`) stops the search the same way, and its stop reason says it was the
    /// default.
    @Test func theDefaultMemoryLimitStopsTheSearchAndSaysSo() throws {
        var options = ExplorerOptions()
        options.budget.maxMemoryBytes = 100_000
        options.budget.memoryLimitIsDefault = true
        let result = try explore(Self.large, options: options)
        #expect(!result.statistics.complete)
        #expect(result.statistics.stopReason == .memoryLimit(bytes: 100_000, byDefault: true))
        #expect(result.statistics.stopReason?.description.contains("(the default: 90%") == true)
        #expect(result.statistics.engineBytes <= 100_000)
    }

    @Test func timeLimitStopsTheSearch() throws {
        var options = ExplorerOptions()
        options.budget.timeoutSeconds = 1e-9
        let result = try explore(Self.large, options: options)
        #expect(!result.statistics.complete)
        #expect(result.statistics.stopReason == .timeLimit(seconds: 1e-9))
        #expect(result.statistics.stopReason?.description.hasPrefix("time limit") == true)
        #expect(result.statistics.states < 10_000)
    }

    @Test func violationsFoundBeforeTheLimitKeepTheirVerdict() throws {
        var options = ExplorerOptions()
        options.budget.maxStates = 50
        let result = try explore("""
            model early
            var n: 0..1000 = 0
            action inc when n < 1000 { n := n + 1 }
            invariant Small: n < 5
            terminal true
            """, options: options)
        #expect(try result.property("Small").verdict == .violated)
        #expect(try result.property("Small").trace?.length == 5)
        #expect(try result.property("deadlock").verdict == .unknown)
    }
}
