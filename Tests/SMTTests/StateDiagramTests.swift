@testable import SMT
import Testing

/// The one decision-diagram builder behind both certificates (`StateDiagram`): a diagram accepts exactly its
/// states, with their labels, read from the diagram in Swift and by Z3 from its formulas.
@Suite struct StateDiagramTests {
    /// Three cells: 0..4 (3 bits, so ordinals 5...7 lie outside its type), a Boolean, 0..3 (2 bits, a full type).
    static let cardinalities = [5, 2, 4]
    static let widths = [3, 1, 2]

    /// Every state of the three cells, in the domain.
    static var everyState: [[Int64]] {
        var states: [[Int64]] = []
        for x in 0..<5 { for y in 0..<2 { for z in 0..<4 { states.append([Int64(x), Int64(y), Int64(z)]) } } }
        return states
    }

    /// A seeded subset of the states with labels 1...3, and the diagram built from it.
    static func sample(seed: UInt64, keep: Int) throws -> ([[Int64]: UInt64], StateDiagram) {
        var random = seed
        func next() -> UInt64 {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return random >> 33
        }
        var labels: [[Int64]: UInt64] = [:]
        for state in everyState where Int(next() % 10) < keep { labels[state] = 1 + next() % 3 }
        let rows = labels.keys.sorted { $0.lexicographicallyPrecedes($1) }
        let diagram = try StateDiagram(cells: [0, 1, 2], cardinalities: cardinalities, widths: widths, table: rows.flatMap { $0 },
                                       labels: rows.compactMap { labels[$0] })
        return (labels, diagram)
    }

    @Test(arguments: [(UInt64(1), 3), (2, 7), (3, 10), (4, 0), (5, 9)])
    func aDiagramHoldsExactlyItsStates(seed: UInt64, keep: Int) throws {
        let (labels, diagram) = try Self.sample(seed: seed, keep: keep)
        #expect(diagram.count == labels.count)
        var members: [[Int64]: UInt64] = [:]
        diagram.forEachMember { members[$0] = $1 }
        #expect(members == labels)
        for state in Self.everyState { #expect(diagram.label(of: state) == labels[state] ?? 0) }

        // Z3 reads the same set and labels from the formulas, on every state of the domain.
        let z3 = try Z3Context(memoryMegabytes: nil)
        let frame = Frame(cells: try Self.widths.enumerated().map { try z3.constant("c\($0.offset)", width: $0.element) })
        let membership = try diagram.membership(z3, at: frame)
        let label = try diagram.labelTerm(z3, at: frame, width: 3)
        let solver = try Z3Solver(z3, memoryMegabytes: nil)
        for state in Self.everyState {
            let fixed = try state.indices.compactMap { index -> Term? in
                guard let cell = frame.cells[index] else { return nil }
                return try z3.eq(cell, try z3.number(state[index], width: Self.widths[index]))
            }
            let expected = labels[state] ?? 0
            let wrongMembership = try z3.not(try z3.iff(membership, try z3.boolean(expected != 0)))
            let wrongLabel = try z3.not(try z3.eq(label, try z3.number(Int64(expected), width: 3)))
            try solver.push()
            try solver.assert(try z3.and(fixed + [try z3.or(wrongMembership, wrongLabel)]))
            #expect(try solver.check(timeoutMilliseconds: nil) == .unsatisfiable, "state \(state)")
            try solver.pop()
        }
    }

    @Test func twoLabelsForOneStateAreAnError() {
        #expect(throws: SMTError.self) {
            _ = try StateDiagram(cells: [0], cardinalities: [2], widths: [1], table: [1, 1], labels: [1, 2])
        }
        #expect(throws: SMTError.self) {
            _ = try StateDiagram(cells: [0], cardinalities: [2], widths: [1], table: [1], labels: [0])
        }
    }
}
