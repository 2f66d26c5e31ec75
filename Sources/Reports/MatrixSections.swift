import PackedSystem

/// What the model pages show of every combination's run (issue 13, item 4): the verdict matrix with a colour per
/// cell and a link from each violated cell to its counterexample, the sanity of each property, and the coverage
/// table. The rest of a page (sequence diagrams, state graphs, statistics) is about the first combination.
extension ModelReport {
    /// One cell of the verdict matrix.
    struct MatrixCell {
        /// The verdict, e.g. `violated`.
        let verdict: String
        /// `ok`, `fail` or `unknown`: the cell's colour.
        let css: String
        /// `FAIL (expected holds)` when the cell misses its expectation.
        let miss: String?
        /// `trivial` or `vacuous` when the property says nothing in this combination.
        let sanity: String?
        /// The anchor of the cell's counterexample on the page, for a violated cell.
        let anchor: String?
    }

    /// The anchor of a property's trace on the page: `trace-SLUG` (with the sequence diagram) for the first
    /// combination when that trace is the one shown above, else `cK-trace-SLUG` in the section of the other
    /// combinations' counterexamples.
    func traceAnchor(run index: Int, property name: String) -> String {
        let slug = result.properties.firstIndex { $0.name == name }.map { propertySlugs[$0] } ?? Markup.slug(name)
        if index == 0, let shown = result.properties.first(where: { $0.name == name }), shown.trace != nil,
           shown.trace == matrix?.cell(name, run: 0)?.trace {
            return "trace-" + slug
        }
        return "c\(index + 1)-trace-" + slug
    }

    /// Whether run `index`'s counterexample of `name` needs its own section (it is not the one shown above).
    func needsOwnSection(run index: Int, property name: String) -> Bool {
        traceAnchor(run: index, property: name).hasPrefix("c")
    }

    /// The matrix cell of property `name` in run `index`; nil when that run has no such property.
    func matrixCell(_ name: String, run index: Int) -> MatrixCell? {
        guard let matrix, let property = matrix.cell(name, run: index) else { return nil }
        let status = Self.status(property)
        let miss = property.meetsExpectation || property.verdict == .unknown ? nil : "FAIL (expected \(property.expected.rawValue))"
        let sanity = matrix.runs[index].sanity[name].flatMap { $0 == .ok ? nil : $0.label }
        let anchor = property.verdict == .violated && property.trace != nil ? traceAnchor(run: index, property: name) : nil
        let css = status.css == "ok" ? (property.verdict == .violated ? "violated" : "ok") : status.css
        return MatrixCell(verdict: property.verdict.rawValue, css: css, miss: miss, sanity: sanity, anchor: anchor)
    }

    /// The counterexamples of the matrix that are not already shown: (run, property) in run order, then model order.
    var otherCounterexamples: [(run: Int, property: PropertyResult)] {
        guard let matrix, matrix.hasVariants else { return [] }
        return matrix.runs.indices.flatMap { index in
            matrix.runs[index].result.properties
                .filter { $0.verdict == .violated && $0.trace != nil && needsOwnSection(run: index, property: $0.name) }
                .map { (index, $0) }
        }
    }

    /// The first combination's sanity of each property (empty without a matrix).
    var firstSanity: [String: PropertySanity] { matrix?.runs.first?.sanity ?? [:] }
}
