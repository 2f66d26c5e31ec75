@testable import SMT
import Testing

/// A watch whose thread the system refuses is an error in words, not a query left unwatched (which could outlast
/// every limit) and not a wait for a thread that never runs.
@Suite struct Z3WatchRefusalTests {
    @Test func aRefusedWatchThreadIsAnError() throws {
        let z3 = try Z3Context(memoryMegabytes: nil)
        #expect {
            _ = try Z3Watch(context: z3.raw, interruption: nil, stackSize: 1 << 60)
        } throws: { error in
            "\(error)".hasPrefix("cannot watch Z3's queries: the system refused a thread (")
        }
    }

    /// The context whose watch is refused is an error too, and deleted once (its `deinit` runs, as for any class
    /// whose initializer throws after setting every property).
    @Test func aContextWithoutItsWatchIsAnError() {
        #expect {
            _ = try Z3Context(memoryMegabytes: nil, watchStackSize: 1 << 60)
        } throws: { error in
            "\(error)".hasPrefix("cannot watch Z3's queries: the system refused a thread (")
        }
        // Contexts made afterwards work.
        #expect((try? Z3Context(memoryMegabytes: nil)) != nil)
    }
}
