import PackedSystem

/// A set of states of the packed layout, each with a non-zero label, as one reduced decision diagram over the
/// cells: the one builder behind both certificates Z3 checks (the reachable set labelled with breadth-first
/// distances, `LayeredCertificate`, and a liveness ranking's labels, `LivenessEncoding.check(ranking:...)`),
/// which had each written their own (an or-of-ands and an `ite` chain).
///
/// Levels are the cells with bits in layout order; a node tests one cell and has one child per value its states
/// take there; a leaf is a label. Nodes are hash-consed while the diagram is built (equal sub-diagrams are one
/// node), and a node whose every value of the cell's type leads to the same child is skipped, so shared
/// suffixes are built, and turned into Z3 terms, once: the terms are memoised per node, where the builders
/// before walked every state's path and left the sharing to Z3's own hash-consing (17% of a certificate's time
/// on v2-qemu-p2p's first combination was spent building terms, docs/smt.md).
///
/// A state outside the set has label 0. Within the cells' domains (every query asserts them) the formulas hold
/// exactly the listed states; a skipped cell also lets its bit patterns outside the type through. Exactness is what the certificates rest on: `label(of:)` and
/// `forEachMember` read the diagram itself, never the rows it was built from, and the tests check that a diagram
/// accepts exactly its states (`StateDiagramTests`).
struct StateDiagram {
    /// A child: a leaf (a label, 0 for no state) or a node (an index into `nodes`).
    enum Ref: Hashable {
        case leaf(UInt64)
        case node(Int)
    }

    /// A node: the cell tested (a level, an index into `cells`), and per value of that cell (ascending) its child.
    /// Values not listed lead to label 0.
    struct Node: Hashable {
        let level: Int
        let values: [Int64]
        let children: [Ref]
    }

    /// The cells tested, in order (field indices of the layout, those with bits).
    let cells: [Int]
    /// Per level: the number of values of the cell's type (ordinals are below it).
    let cardinalities: [Int]
    /// Per level: the cell's width in bits.
    let widths: [Int]
    private(set) var nodes: [Node] = []
    private(set) var root: Ref = .leaf(0)
    /// The number of states with a non-zero label.
    private(set) var count = 0

    /// Builds the diagram of `states` (packed words) with their `labels` (non-zero; a state listed twice must
    /// have one label). Throws on a zero label or two labels for one state.
    init(layout: StateLayout, states: [[UInt64]], labels: [UInt64]) throws {
        let fields = layout.fields
        let cells = fields.indices.filter { fields[$0].width > 0 }
        var table: [Int64] = []
        table.reserveCapacity(states.count * cells.count)
        for state in states {
            for cell in cells { table.append(fields[cell].read(state) - fields[cell].type.lowerBound) }
        }
        try self.init(cells: cells, cardinalities: cells.map { fields[$0].type.cardinality }, widths: cells.map { fields[$0].width },
                      table: table, labels: labels)
    }

    /// Builds the diagram from ordinals: row i of `table` (one ordinal per cell of `cells`) has label `labels[i]`.
    init(cells: [Int], cardinalities: [Int], widths: [Int], table: [Int64], labels: [UInt64]) throws {
        self.cells = cells
        self.cardinalities = cardinalities
        self.widths = widths
        let width = cells.count
        guard table.count == labels.count * width else { throw SMTError("internal error: a diagram's rows do not match its labels") }
        if labels.contains(0) { throw SMTError("internal error: a diagram state labelled 0") }
        // Rows sorted lexicographically by their ordinals: the states below a node are then one range, cut into
        // runs of equal value at the node's level.
        let order = labels.indices.sorted { a, b in
            for level in 0..<width where table[a * width + level] != table[b * width + level] {
                return table[a * width + level] < table[b * width + level]
            }
            return a < b
        }
        var unique: [Node: Int] = [:]
        func build(_ range: Range<Int>, level: Int) throws -> Ref {
            if level == width {
                let label = labels[order[range.lowerBound]]
                if range.contains(where: { labels[order[$0]] != label }) {
                    throw SMTError("internal error: a state with two labels in a diagram")
                }
                return .leaf(label)
            }
            var values: [Int64] = []
            var children: [Ref] = []
            var start = range.lowerBound
            while start < range.upperBound {
                let value = table[order[start] * width + level]
                var end = start + 1
                while end < range.upperBound, table[order[end] * width + level] == value { end += 1 }
                values.append(value)
                children.append(try build(start..<end, level: level + 1))
                start = end
            }
            // Every value of the cell's type leads to one child: the cell does not matter here.
            if values.count == cardinalities[level], let first = children.first, children.allSatisfy({ $0 == first }) {
                return first
            }
            let node = Node(level: level, values: values, children: children)
            if let index = unique[node] { return .node(index) }
            nodes.append(node)
            unique[node] = nodes.count - 1
            return .node(nodes.count - 1)
        }
        if !labels.isEmpty { root = try build(0..<labels.count, level: 0) }
        count = order.indices.filter { i in
            i == 0 || (0..<width).contains { table[order[i] * width + $0] != table[order[i - 1] * width + $0] }
        }.count
    }

    /// The label of a state given as one ordinal per cell of `cells` (0 when it is not in the set), read from
    /// the diagram.
    func label(of ordinals: [Int64]) -> UInt64 {
        var ref = root
        while case .node(let index) = ref {
            let node = nodes[index]
            guard let position = node.values.firstIndex(of: ordinals[node.level]) else { return 0 }
            ref = node.children[position]
        }
        if case .leaf(let label) = ref { return label }
        return 0
    }

    /// Calls `body` with every state the diagram holds (one ordinal per cell of `cells`) and its label, read from
    /// the diagram itself (a skipped cell takes every value of its type), in ascending order.
    func forEachMember(_ body: ([Int64], UInt64) throws -> Void) rethrows {
        var ordinals = [Int64](repeating: 0, count: cells.count)
        func walk(_ ref: Ref, level: Int) throws {
            if level == cells.count {
                if case .leaf(let label) = ref, label != 0 { try body(ordinals, label) }
                return
            }
            if case .node(let index) = ref, nodes[index].level == level {
                let node = nodes[index]
                for (value, child) in zip(node.values, node.children) {
                    ordinals[level] = value
                    try walk(child, level: level + 1)
                }
            } else {
                // This level was skipped: every value leads to `ref`.
                if case .leaf(0) = ref { return }
                for value in 0..<Int64(cardinalities[level]) {
                    ordinals[level] = value
                    try walk(ref, level: level + 1)
                }
            }
        }
        try walk(root, level: 0)
    }

    /// Membership as a Boolean formula over `frame`'s cells (label non-zero). Per node, the values are grouped by
    /// child: `(cell in values) && child`, a range test where the values are consecutive.
    func membership(_ z3: Z3Context, at frame: Frame) throws -> Term {
        var memo: [Int: Term] = [:]
        func term(_ ref: Ref) throws -> Term {
            switch ref {
            case .leaf(let label): return try z3.boolean(label != 0)
            case .node(let index):
                if let known = memo[index] { return known }
                let node = nodes[index]
                let cell = try self.cell(node.level, frame)
                var branches: [Term] = []
                for (child, values) in grouped(node) where child != .leaf(0) {
                    let test = try self.test(z3, cell, level: node.level, values)
                    let below = try term(child)
                    branches.append(isTrueLeaf(child) ? test : try z3.and(test, below))
                }
                let result = try z3.or(branches)
                memo[index] = result
                return result
            }
        }
        return try term(root)
    }

    /// The label as a `width`-bit bit-vector over `frame`'s cells (0 outside the set): per node an `ite` chain over
    /// the groups of values with one child, the last group the default when the values cover the cell's type.
    func labelTerm(_ z3: Z3Context, at frame: Frame, width: Int) throws -> Term {
        var memo: [Int: Term] = [:]
        let zero = try z3.number(0, width: width)
        func term(_ ref: Ref) throws -> Term {
            switch ref {
            case .leaf(let label): return try z3.number(Int64(bitPattern: label), width: width)
            case .node(let index):
                if let known = memo[index] { return known }
                let node = nodes[index]
                let cell = try self.cell(node.level, frame)
                var groups = grouped(node)
                var result = zero
                if node.values.count == cardinalities[node.level], let last = groups.popLast() {
                    result = try term(last.child)
                }
                for (child, values) in groups.reversed() {
                    result = try z3.ite(try test(z3, cell, level: node.level, values), try term(child), result)
                }
                memo[index] = result
                return result
            }
        }
        return try term(root)
    }

    /// The number of bits that hold every label of the diagram.
    var labelWidth: Int {
        var largest: UInt64 = 1
        for node in nodes {
            for case .leaf(let label) in node.children { largest = max(largest, label) }
        }
        if case .leaf(let label) = root { largest = max(largest, label) }
        return max(1, 64 - largest.leadingZeroBitCount)
    }

    private func isTrueLeaf(_ ref: Ref) -> Bool {
        if case .leaf(let label) = ref { return label != 0 }
        return false
    }

    private func cell(_ level: Int, _ frame: Frame) throws -> Term {
        guard let cell = frame.cells[cells[level]] else { throw SMTError("internal error: a diagram cell without bits") }
        return cell
    }

    /// A node's values grouped by child, in order of each child's first value.
    private func grouped(_ node: Node) -> [(child: Ref, values: [Int64])] {
        var groups: [(child: Ref, values: [Int64])] = []
        var position: [Ref: Int] = [:]
        for (value, child) in zip(node.values, node.children) {
            if let index = position[child] {
                groups[index].values.append(value)
            } else {
                position[child] = groups.count
                groups.append((child, [value]))
            }
        }
        return groups
    }

    /// `cell` holds one of `values` (ascending): an equality, a range test when they are consecutive, else a
    /// disjunction of equalities.
    private func test(_ z3: Z3Context, _ cell: Term, level: Int, _ values: [Int64]) throws -> Term {
        let width = widths[level]
        guard let low = values.first, let high = values.last else { return try z3.falseTerm }
        if low == high { return try z3.eq(cell, try z3.number(low, width: width)) }
        if high - low + 1 == Int64(values.count) {
            var bounds: [Term] = []
            if low > 0 { bounds.append(try z3.unsignedLessEqual(try z3.number(low, width: width), cell)) }
            if high < Int64(cardinalities[level]) - 1 || Int64(cardinalities[level]) < 1 << Int64(width) {
                bounds.append(try z3.unsignedLessEqual(cell, try z3.number(high, width: width)))
            }
            return try z3.and(bounds)
        }
        return try z3.or(values.map { try z3.eq(cell, try z3.number($0, width: width)) })
    }
}
