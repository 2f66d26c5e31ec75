import Analysis
import ModelLanguage
import PackedSystem

/// A trace as a sequence diagram: userspace and each device as lifelines, each step as a message between them.
///
/// How a step becomes a message (docs/reports.md, "Sequence diagrams"):
/// - a step that changes device d's state variable is an arc: userspace -> d, labelled `action: OLD -> NEW`
///   (one message per device whose state changed);
/// - otherwise, an action with two device parameters (i, j) is DMA: i -> j;
/// - an action with one device parameter d that changes a device-indexed cell of d which held another device e
///   (a "pointer", such as the target of an outstanding transaction) is DMA: d -> e;
/// - an action with one device parameter d (or, in a single-device model, without one) is a device event
///   d -> userspace when its name says the device initiates it (irq, interrupt, msi, dma, p2p, issue, deliver,
///   raise; not starting with `set`), and a request userspace -> d otherwise (without parameters: only when
///   its name starts with `set`);
/// - any other step is a note on the userspace lifeline, with the cells it changed.
/// A failing last action is drawn the same way, in red, with the failure. A lasso's loop is a `loop` frame.
public struct SequenceDiagram: Sendable {
    /// What a message stands for.
    public enum Kind: String, Sendable, Hashable {
        /// A device state change requested by userspace (a SET and the arcs it takes).
        case arc
        /// A userspace request to a device that does not change its state.
        case request
        /// DMA from one device to another (peer to peer).
        case dma
        /// Something a device does towards userspace: an interrupt, DMA to memory.
        case event
        /// A userspace step that involves no device.
        case note
        /// The action that fails at the end of the trace.
        case failure
    }

    /// One message: an arrow between lifelines (or a note when `from == to`).
    public struct Message: Sendable, Hashable {
        /// The step number of the trace (the failing action has number `steps.count`).
        public let step: Int
        /// Source lifeline (0 is userspace, device k is k + 1).
        public let from: Int
        /// Target lifeline.
        public let to: Int
        /// The text on the arrow.
        public let label: String
        /// The kind.
        public let kind: Kind
    }

    /// Lifeline names: `userspace`, then the devices.
    public let lifelines: [String]
    /// Per lifeline, the device's state in the first step (nil for userspace or without a state variable).
    public let initialStates: [String?]
    /// Per lifeline, the device's state in the last step.
    public let finalStates: [String?]
    /// The messages, in order.
    public let messages: [Message]
    /// For a lasso: the step whose state the loop returns to.
    public let loopStart: Int?
    /// Number of steps of the trace (states).
    public let stepCount: Int

    /// Builds the diagram of a trace.
    /// A closing remark drawn under the last message: which property the last state violates, or why the failing
    /// action failed.
    public let conclusion: String?

    /// Builds the diagram of a trace; `conclusion` is drawn in red under the last message.
    public init(trace: Trace, projection: DeviceProjection, cellNames: [String], conclusion: String? = nil) {
        // A failing action's message goes under its arrow, where there is room for it.
        self.conclusion = conclusion ?? trace.failure.map { "\($0.message) (line \($0.line):\($0.column))" }
        lifelines = ["userspace"] + projection.devices.map(\.name)
        let steps = trace.steps
        func stateText(_ step: TraceStep?, _ device: Int) -> String? {
            guard let step, !projection.stateVariables.isEmpty else { return nil }
            return projection.stateVariables.map { step.value($0.fields[device]) }.joined(separator: ", ")
        }
        initialStates = [nil] + projection.devices.indices.map { stateText(steps.first, $0) }
        finalStates = [nil] + projection.devices.indices.map { stateText(steps.last, $0) }
        loopStart = trace.loopStart
        stepCount = steps.count

        var messages: [Message] = []
        let multipleStateVariables = projection.stateVariables.count > 1
        for number in steps.indices.dropFirst() {
            let step = steps[number]
            let previous = steps[number - 1]
            var arcs: [Message] = []
            for device in projection.devices.indices {
                for variable in projection.stateVariables {
                    let field = variable.fields[device]
                    guard previous.value(field) != step.value(field) else { continue }
                    let prefix = multipleStateVariables ? variable.name + " " : ""
                    arcs.append(Message(step: number, from: 0, to: device + 1,
                                        label: "\(step.label): \(prefix)\(previous.value(field)) -> \(step.value(field))", kind: .arc))
                }
            }
            if !arcs.isEmpty {
                messages += arcs
                continue
            }
            let changed = Array(0..<Swift.max(previous.values.count, step.values.count)).filter { previous.value($0) != step.value($0) }
            messages.append(Self.classify(action: step.action ?? "", label: step.label, arguments: step.arguments, number: number,
                                          previous: previous, current: step, changed: changed, projection: projection,
                                          cellNames: cellNames))
        }
        if let failure = trace.failure, let last = steps.last {
            let message = Self.classify(action: failure.action, label: failure.label, arguments: failure.arguments,
                                        number: steps.count, previous: last, current: nil, changed: [],
                                        projection: projection, cellNames: cellNames)
            messages.append(Message(step: message.step, from: message.from, to: message.to,
                                    label: "\(failure.label) fails", kind: .failure))
        }
        self.messages = messages
    }

    /// Whether an action's name says a device initiates it.
    public static func isDeviceInitiated(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower.hasPrefix("set") { return false }
        return ["irq", "interrupt", "intr", "msi", "dma", "p2p", "issue", "deliver", "raise"].contains { lower.contains($0) }
    }

    private static func classify(action: String, label: String, arguments: [ActionArgument], number: Int, previous: TraceStep,
                                 current: TraceStep?, changed: [Int], projection: DeviceProjection, cellNames: [String]) -> Message {
        let positions = projection.deviceParameters[action] ?? []
        let devices = positions.compactMap { $0 < arguments.count ? projection.deviceIndex(ofValue: arguments[$0].value) : nil }
        if devices.count >= 2 {
            return Message(step: number, from: devices[0] + 1, to: devices[1] + 1, label: label, kind: .dma)
        }
        if let device = devices.first {
            for pointer in projection.pointerVariables {
                let field = pointer.fields[device]
                guard changed.contains(field), field < previous.cells.count,
                      let target = projection.deviceIndex(ofValue: previous.cells[field]), target != device else { continue }
                return Message(step: number, from: device + 1, to: target + 1, label: label, kind: .dma)
            }
            if isDeviceInitiated(action) {
                return Message(step: number, from: device + 1, to: 0, label: label, kind: .event)
            }
            return Message(step: number, from: 0, to: device + 1, label: label, kind: .request)
        }
        if projection.devices.count == 1 {
            if isDeviceInitiated(action) { return Message(step: number, from: 1, to: 0, label: label, kind: .event) }
            if action.lowercased().hasPrefix("set") { return Message(step: number, from: 0, to: 1, label: label, kind: .request) }
        }
        var text = label
        if let current, !changed.isEmpty {
            let shown = changed.prefix(3).map { "\(cellNames.name($0)) = \(current.value($0))" }
            text += "   " + shown.joined(separator: ", ") + (changed.count > 3 ? ", ..." : "")
        }
        return Message(step: number, from: 0, to: 0, label: text, kind: .note)
    }
}

// MARK: - SVG

extension SequenceDiagram {
    private struct Style {
        let color: String
        let dashed: Bool
        let width: String
    }

    private static func style(_ kind: Kind) -> Style {
        switch kind {
        case .arc: return Style(color: "#1a56b8", dashed: false, width: "1.6")
        case .request: return Style(color: "#555555", dashed: false, width: "1.2")
        case .dma: return Style(color: "#b35900", dashed: false, width: "2.2")
        case .event: return Style(color: "#2e7d32", dashed: true, width: "1.6")
        case .note: return Style(color: "#444444", dashed: false, width: "1")
        case .failure: return Style(color: "#c62828", dashed: false, width: "2.2")
        }
    }

    /// The diagram as SVG. `idPrefix` keeps element ids unique when several diagrams share a page; `standalone`
    /// adds the XML namespace needed by a separate .svg file.
    public func svg(idPrefix: String, title: String, standalone: Bool) -> String {
        let n = SVGMetrics.number
        let charWidth = SVGMetrics.characterWidth
        let rowHeight = 30.0
        let headHeight = 26.0
        let left = 44.0
        let maximumGap = 380.0
        let headWidths: [Double] = lifelines.map { name -> Double in max(96, SVGMetrics.width(name) + 24) }
        // Gaps between neighbouring lifelines: room for the heads and for the labels of the messages spanning them.
        var gaps: [Double] = []
        for index in 0..<max(0, lifelines.count - 1) {
            let half: Double = (headWidths[index] + headWidths[index + 1]) / 2
            gaps.append(half + 24)
        }
        let stateTexts: [String] = (initialStates + finalStates).compactMap { $0 }
        let stateWidths: [Double] = stateTexts.map { text -> Double in SVGMetrics.width(text) + 16 }
        if let widest = stateWidths.max() { gaps = gaps.map { max($0, widest + 24) } }
        for message in messages where message.from != message.to {
            let low = min(message.from, message.to)
            let high = max(message.from, message.to)
            let needed = (SVGMetrics.width(message.label) + 44) / Double(high - low)
            for gap in low..<high { gaps[gap] = min(maximumGap, max(gaps[gap], needed)) }
        }
        var xs = [left + headWidths[0] / 2]
        for gap in gaps { xs.append((xs.last ?? 0) + gap) }
        let noteStart = xs[0] + 10
        var noteWidths = messages.filter { $0.from == $0.to }.map { SVGMetrics.width($0.label) + 12 }
        if let conclusion { noteWidths.append(SVGMetrics.width(conclusion) + 12) }
        let hasStates = initialStates.contains { $0 != nil }
        let lastX = xs.last ?? xs[0]
        var width = lastX + (headWidths.last ?? 96) / 2 + 12
        width = max(width, noteStart + (noteWidths.max() ?? 0) + 12)
        let statesRow = hasStates ? 30.0 : 0
        let firstRow = 12 + headHeight + 12 + statesRow
        let loopFrame = loopStart.map { $0 < stepCount - 1 } ?? false
        let stutter = loopStart.map { $0 == stepCount - 1 } ?? false
        let loopHeader = loopFrame ? 22.0 : 0
        var rowTops: [Double] = []
        var y = firstRow
        for (index, message) in messages.enumerated() {
            if loopFrame, let loopStart, message.step == loopStart + 1, index == messages.firstIndex(where: { $0.step > loopStart }) {
                y += loopHeader
            }
            rowTops.append(y)
            y += rowHeight
        }
        if stutter { y += rowHeight }
        let conclusionTop = y
        if conclusion != nil { y += rowHeight }
        if loopFrame { y += 8 }
        let bottomStates = hasStates ? 34.0 : 0
        let height = y + bottomStates + 10

        var out = ElementWriter()
        out.svgRoot(class: "sequence", width: width, height: height, title: title, standalone: standalone)
        out.raw("<defs>\n")
        for kind in [Kind.arc, .request, .dma, .event, .failure] {
            let path = ElementWriter.open("path", [("d", "M0,0 L10,5 L0,10 z"), ("fill", Self.style(kind).color)], selfClosing: true)
            out.element("marker", [("id", "\(idPrefix)-\(kind.rawValue)"), ("viewBox", "0 0 10 10"), ("refX", "9"), ("refY", "5"),
                                   ("markerWidth", "8"), ("markerHeight", "8"), ("orient", "auto-start-reverse")], content: path)
        }
        out.raw("</defs>\n")
        // Lifelines and heads.
        let lineBottom = y + (hasStates ? 4 : 0)
        for (index, name) in lifelines.enumerated() {
            let x = xs[index]
            out.element("line", [("x1", n(x)), ("y1", n(12 + headHeight)), ("x2", n(x)), ("y2", n(lineBottom)),
                                 ("stroke", "#9e9e9e"), ("stroke-dasharray", "4 3")])
            out.element("rect", [("x", n(x - headWidths[index] / 2)), ("y", "12"), ("width", n(headWidths[index])),
                                 ("height", n(headHeight)), ("rx", "4"), ("fill", index == 0 ? "#e8eef8" : "#fdf3e3"), ("stroke", "#607080")])
            out.textElement("text", [("x", n(x)), ("y", n(12 + headHeight / 2 + 4)), ("text-anchor", "middle"), ("font-weight", "bold")], name)
        }
        func stateBox(_ text: String, _ x: Double, _ top: Double) {
            let boxWidth = SVGMetrics.width(text) + 16
            out.element("rect", [("x", n(x - boxWidth / 2)), ("y", n(top)), ("width", n(boxWidth)), ("height", "20"), ("rx", "10"),
                                 ("fill", "#eef6ee"), ("stroke", "#6a9a6a")])
            out.textElement("text", [("x", n(x)), ("y", n(top + 14)), ("text-anchor", "middle")], text)
        }
        if hasStates {
            for (index, state) in initialStates.enumerated() {
                if let state { stateBox(state, xs[index], 12 + headHeight + 8) }
            }
        }
        // The loop frame.
        if loopFrame, let loopStart, let first = messages.firstIndex(where: { $0.step > loopStart }) {
            let top = rowTops[first] - loopHeader + 2
            let frameLeft = 6.0
            let bottom = (rowTops.last ?? top) + rowHeight + 4
            out.element("rect", [("x", n(frameLeft)), ("y", n(top)), ("width", n(width - 2 * frameLeft)), ("height", n(bottom - top)),
                                 ("fill", "none"), ("stroke", "#7b1fa2"), ("stroke-width", "1.4")])
            let tab = "loop: back to the state of step \(loopStart)"
            let tabWidth = SVGMetrics.width(tab) + 12
            out.element("path", [("d", "M\(n(frameLeft)),\(n(top)) h\(n(tabWidth)) v12 l-8,8 h-\(n(tabWidth - 8)) z"),
                                 ("fill", "#f3e5f5"), ("stroke", "#7b1fa2")])
            out.textElement("text", [("x", n(frameLeft + 6)), ("y", n(top + 14)), ("fill", "#4a148c")], tab)
        }
        // Messages.
        for (index, message) in messages.enumerated() {
            let top = rowTops[index]
            let arrowY = top + 21
            let style = Self.style(message.kind)
            out.textElement("text", [("x", n(left - 10)), ("y", n(arrowY + 4)), ("text-anchor", "end"), ("fill", "#757575")],
                            String(message.step))
            let title = "<title>\(Markup.escape(message.label))</title>"
            if message.from == message.to {
                let x = xs[message.from] + 10
                let boxWidth = SVGMetrics.width(message.label) + 12
                var group = ElementWriter()
                group.raw(title)
                group.element("rect", [("x", n(x)), ("y", n(top + 8)), ("width", n(boxWidth)), ("height", "20"), ("rx", "3"),
                                       ("fill", message.kind == .failure ? "#fdecea" : "#f4f4f4"), ("stroke", style.color),
                                       ("stroke-width", "0.8")])
                group.textElement("text", [("x", n(x + 6)), ("y", n(top + 22)), ("fill", style.color)], message.label)
                out.element("g", [], content: group.text)
                continue
            }
            let x1 = xs[message.from]
            let x2 = xs[message.to]
            let direction = x2 > x1 ? 1.0 : -1.0
            var line: [(String, String)] = [("x1", n(x1 + direction * 2)), ("y1", n(arrowY)), ("x2", n(x2 - direction * 2)), ("y2", n(arrowY)),
                                            ("stroke", style.color), ("stroke-width", style.width)]
            if style.dashed { line.append(("stroke-dasharray", "6 4")) }
            line.append(("marker-end", "url(#\(idPrefix)-\(message.kind.rawValue))"))
            out.element("line", line)
            let limit = max(4, Int((abs(x2 - x1) - 12) / charWidth))
            let shown = Markup.truncate(message.label, limit)
            // A white halo keeps the label readable where it crosses a lifeline.
            var attributes: [(String, String)] = [("x", n((x1 + x2) / 2)), ("y", n(arrowY - 6)), ("text-anchor", "middle"), ("fill", style.color),
                                                  ("stroke", "#ffffff"), ("stroke-width", "3"), ("paint-order", "stroke")]
            if message.kind == .failure { attributes.append(("font-weight", "bold")) }
            out.element("text", attributes, content: (shown == message.label ? "" : title) + Markup.escape(shown))
        }
        if stutter {
            out.textElement("text", [("x", n(xs[0] + 10)), ("y", n(y - rowHeight + 20)), ("fill", "#7b1fa2"), ("font-style", "italic")],
                            "stays in this state forever")
        }
        if let conclusion {
            out.textElement("text", [("x", n(xs[0] + 10)), ("y", n(conclusionTop + 20)), ("fill", "#c62828"), ("font-weight", "bold")],
                            conclusion)
        }
        if hasStates {
            for (index, state) in finalStates.enumerated() {
                if let state { stateBox(state, xs[index], y + 6) }
            }
        }
        out.raw("</svg>\n")
        return out.text
    }
}
