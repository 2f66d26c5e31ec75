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
}
