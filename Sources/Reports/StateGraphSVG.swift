import Analysis
import Foundation

/// Draws a projected state graph as SVG, with a pure-Swift circular layout: the values on an ellipse in the
/// type's order (so the same type gives the same picture in every model), each change a curved arrow bending to
/// its left (so the two directions of a pair stay apart); a pair of opposite changes made by the same actions is
/// one straight double-headed arrow. Arrows are coloured by the set of actions that make them, with a legend;
/// small graphs also carry the action names on the arrows. Initial values are green.
public enum StateGraphSVG {
    /// The most values drawn; larger graphs are only listed as a table.
    public static let maximumNodes = 40

    /// Colours of the action sets, in order of first appearance (Okabe-Ito, readable by most colour-blind readers).
    static let palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#8c564b", "#7f7f7f"]
    /// Dash patterns, cycled once the palette is used up.
    static let dashes = ["", "7 4", "2 3"]
    /// Graphs with at most this many arrows also carry text labels on the arrows.
    static let labelledEdgeLimit = 10

    /// An arrow to draw: a change, or a pair of opposite changes made by the same actions (drawn double-headed).
    private struct Arrow {
        let from: Int64
        let to: Int64
        let actions: [String]
        let both: Bool
    }

    /// The SVG, or nil when the graph is empty or too large to draw.
    public static func render(_ graph: ProjectedStateGraph, idPrefix: String, standalone: Bool) -> String? {
        let count = graph.nodes.count
        guard count > 0, count <= maximumNodes else { return nil }
        let n = SVGMetrics.number
        let nodeHeight = 28.0
        let labels = graph.nodes.map(graph.label)
        let widths = labels.map { SVGMetrics.width($0) + 22 }
        let widest = widths.max() ?? 60

        // Pairs of opposite changes by the same actions become one double-headed arrow.
        var arrows: [Arrow] = []
        for edge in graph.edges {
            if let reverse = graph.edges.first(where: { $0.from == edge.to && $0.to == edge.from }), reverse.actions == edge.actions {
                if edge.from < edge.to { arrows.append(Arrow(from: edge.from, to: edge.to, actions: edge.actions, both: true)) }
            } else {
                arrows.append(Arrow(from: edge.from, to: edge.to, actions: edge.actions, both: false))
            }
        }
        // One colour (and dash) per set of actions.
        var sets: [[String]] = []
        for arrow in arrows where !sets.contains(arrow.actions) { sets.append(arrow.actions) }
        func style(_ actions: [String]) -> (color: String, dash: String, index: Int) {
            let index = sets.firstIndex(of: actions) ?? 0
            return (palette[index % palette.count], dashes[(index / palette.count) % dashes.count], index)
        }
        let labelled = arrows.count <= labelledEdgeLimit

        let margin = 16.0
        let labelSlack = labelled ? 80.0 : 30.0
        let radiusY = count <= 1 ? 0 : max(110, Double(count) * 27)
        let radiusX = count <= 1 ? 0 : (count == 2 ? max(widest + 110, radiusY) : radiusY * 1.6)
        let legendRowHeight = 18.0
        let legendText = sets.map { $0.joined(separator: ", ") }
        let legendWidth = (legendText.map { SVGMetrics.width($0) }.max() ?? 0) + 60
        let graphWidth = 2 * radiusX + widest + 2 * margin + 2 * labelSlack
        let width = max(graphWidth, legendWidth + 2 * margin)
        let graphHeight = 2 * radiusY + nodeHeight + 2 * margin + 30
        let legendHeight = 28 + Double(sets.count) * legendRowHeight
        let height = graphHeight + legendHeight
        let centerX = width / 2
        let centerY = graphHeight / 2
        var positions: [Int64: (x: Double, y: Double, halfWidth: Double)] = [:]
        for (index, value) in graph.nodes.enumerated() {
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(index) / Double(count)
            let x = count == 1 ? centerX : centerX + radiusX * cos(angle)
            let y = count == 1 ? centerY : centerY + radiusY * sin(angle)
            positions[value] = (x, y, widths[index] / 2)
        }

        var out = ElementWriter()
        let title = "Reachable values of \(graph.title) and the actions that change them"
        out.svgRoot(class: "state-graph", width: width, height: height, title: title, standalone: standalone)
        var markers = ""
        for index in sets.indices {
            let color = palette[index % palette.count]
            let arrow = ElementWriter.open("path", [("d", "M0,0 L10,5 L0,10 z"), ("fill", color)], selfClosing: true)
            markers += ElementWriter.open("marker", [
                ("id", "\(idPrefix)-arrow-\(index)"), ("viewBox", "0 0 10 10"), ("refX", "9"), ("refY", "5"), ("markerWidth", "7"),
                ("markerHeight", "7"), ("orient", "auto-start-reverse"),
            ]) + arrow + "</marker>"
        }
        out.element("defs", [], content: markers)

        /// Where the ray from a node's centre in direction (dx, dy) leaves its box.
        func boundary(_ value: Int64, towards dx: Double, _ dy: Double) -> (Double, Double) {
            guard let node = positions[value] else { return (0, 0) }
            let length = max(1e-9, (dx * dx + dy * dy).squareRoot())
            let ux = dx / length
            let uy = dy / length
            let halfHeight = nodeHeight / 2 + 2
            let t = min(abs(ux) > 1e-9 ? (node.halfWidth + 2) / abs(ux) : .infinity, abs(uy) > 1e-9 ? halfHeight / abs(uy) : .infinity)
            return (node.x + ux * t, node.y + uy * t)
        }

        var labelBoxes: [(x: Double, y: Double, text: String, color: String)] = []
        for arrow in arrows {
            guard let source = positions[arrow.from], let target = positions[arrow.to] else { continue }
            let dx = target.x - source.x
            let dy = target.y - source.y
            let distance = max(1, (dx * dx + dy * dy).squareRoot())
            // One-way arrows bend to the left of the direction of travel, so the two directions of a pair stay apart.
            let bend = arrow.both ? 0 : 0.14 * distance
            let controlX = (source.x + target.x) / 2 + dy / distance * bend
            let controlY = (source.y + target.y) / 2 - dx / distance * bend
            let start = boundary(arrow.from, towards: controlX - source.x, controlY - source.y)
            let end = boundary(arrow.to, towards: controlX - target.x, controlY - target.y)
            let look = style(arrow.actions)
            let marker = "url(#\(idPrefix)-arrow-\(look.index))"
            var attributes: [(String, String)] = [
                ("d", "M\(n(start.0)),\(n(start.1)) Q\(n(controlX)),\(n(controlY)) \(n(end.0)),\(n(end.1))"),
                ("fill", "none"), ("stroke", look.color), ("stroke-width", "1.5"),
            ]
            if !look.dash.isEmpty { attributes.append(("stroke-dasharray", look.dash)) }
            if arrow.both { attributes.append(("marker-start", marker)) }
            attributes.append(("marker-end", marker))
            let arrowText = graph.label(arrow.from) + (arrow.both ? " <-> " : " -> ") + graph.label(arrow.to) + ": "
                + arrow.actions.joined(separator: ", ")
            out.element("path", attributes, content: "<title>\(Markup.escape(arrowText))</title>")
            if labelled {
                labelBoxes.append((0.25 * start.0 + 0.5 * controlX + 0.25 * end.0, 0.25 * start.1 + 0.5 * controlY + 0.25 * end.1,
                                   Markup.truncate(arrow.actions.joined(separator: ", "), 26), look.color))
            }
        }
        // Labels after every arrow, so that no arrow is drawn over a label.
        for box in labelBoxes {
            let boxWidth = SVGMetrics.width(box.text, size: 11) + 6
            var group = ElementWriter()
            group.element("rect", [("x", n(box.x - boxWidth / 2)), ("y", n(box.y - 8)), ("width", n(boxWidth)), ("height", "15"),
                                   ("rx", "2"), ("fill", "#ffffff"), ("fill-opacity", "0.9")])
            group.textElement("text", [("x", n(box.x)), ("y", n(box.y + 3.5)), ("text-anchor", "middle"), ("font-size", "11"),
                                       ("fill", box.color)], box.text)
            out.element("g", [], content: group.text)
        }
        for (index, value) in graph.nodes.enumerated() {
            guard let node = positions[value] else { continue }
            let isInitial = graph.initial.contains(value)
            out.element("rect", [("x", n(node.x - node.halfWidth)), ("y", n(node.y - nodeHeight / 2)), ("width", n(widths[index])),
                                 ("height", n(nodeHeight)), ("rx", "14"), ("fill", isInitial ? "#dcefdc" : "#eef2f7"),
                                 ("stroke", isInitial ? "#2e7d32" : "#546e7a"), ("stroke-width", isInitial ? "2.4" : "1.2")])
            out.textElement("text", [("x", n(node.x)), ("y", n(node.y + 4)), ("text-anchor", "middle"), ("font-weight", "bold"),
                                     ("fill", "#1c2b36")], labels[index])
        }
        // The legend: one line per set of actions, and the initial values.
        var y = graphHeight + 4
        out.element("rect", [("x", n(margin)), ("y", n(y)), ("width", "28"), ("height", "14"), ("rx", "7"), ("fill", "#dcefdc"),
                             ("stroke", "#2e7d32"), ("stroke-width", "2")])
        out.textElement("text", [("x", n(margin + 38)), ("y", n(y + 11)), ("fill", "#1c2b36")], "initial value")
        y += 24
        for (index, text) in legendText.enumerated() {
            let look = style(sets[index])
            var attributes: [(String, String)] = [("x1", n(margin)), ("y1", n(y + 5)), ("x2", n(margin + 28)), ("y2", n(y + 5)),
                                                  ("stroke", look.color), ("stroke-width", "2")]
            if !look.dash.isEmpty { attributes.append(("stroke-dasharray", look.dash)) }
            attributes.append(("marker-end", "url(#\(idPrefix)-arrow-\(index))"))
            out.element("line", attributes)
            out.textElement("text", [("x", n(margin + 38)), ("y", n(y + 9)), ("fill", look.color)], text)
            y += legendRowHeight
        }
        out.raw("</svg>\n")
        return out.text
    }
}
