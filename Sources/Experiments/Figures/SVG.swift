import Foundation

/// Text and number helpers shared by the figures.
enum SVG {
    /// `text` with the five XML special characters escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A coordinate with at most two decimals.
    static func number(_ value: Double) -> String {
        let text = String(format: "%.2f", value)
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return trimmed == "-0" ? "0" : String(trimmed)
    }

    static func header(width: Double, height: Double, title: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(number(width))" height="\(number(height))" \
        viewBox="0 0 \(number(width)) \(number(height))" font-family="Helvetica, Arial, sans-serif">
        <title>\(escape(title))</title>
        <rect x="0" y="0" width="\(number(width))" height="\(number(height))" fill="#FFFFFF"/>

        """
    }

    static func text(
        _ content: String, x: Double, y: Double, size: Double = 12, anchor: String = "middle", weight: String? = nil,
        rotate: Bool = false
    ) -> String {
        let transform = rotate ? " transform=\"rotate(-90 \(number(x)) \(number(y)))\"" : ""
        let bold = weight.map { " font-weight=\"\($0)\"" } ?? ""
        return
            "<text x=\"\(number(x))\" y=\"\(number(y))\" font-size=\"\(number(size))\" text-anchor=\"\(anchor)\""
            + "\(bold)\(transform)>\(escape(content))</text>\n"
    }

    static func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil
    ) -> String {
        let dashing = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        return
            "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(number(width))\"\(dashing)/>\n"
    }

    static func points(_ points: [(Double, Double)]) -> String {
        points.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " ")
    }

    /// An approximate width of `text` at `size` (no font metrics available), for layout.
    static func textWidth(_ text: String, size: Double = 12) -> Double { Double(text.count) * size * 0.58 }

    /// The maximal runs of consecutive indices where `isFinite` holds, for drawing NaN gaps.
    static func finiteRuns(_ count: Int, _ isFinite: (Int) -> Bool) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start: Int?
        for i in 0..<count {
            if isFinite(i) {
                if start == nil { start = i }
            } else if let s = start {
                runs.append(s..<i)
                start = nil
            }
        }
        if let s = start { runs.append(s..<count) }
        return runs
    }

    /// A horizontal legend, wrapped to `width`, starting at `top`; returns the markup and its height.
    static func legend(_ labels: [String], colors: [String], left: Double, top: Double, width: Double) -> (
        String, Double
    ) {
        var markup = "<g class=\"legend\">\n"
        var x = left, y = top + 10
        for (label, color) in zip(labels, colors) {
            let itemWidth = 28 + textWidth(label) + 18
            if x + itemWidth > left + width, x > left {
                x = left
                y += 20
            }
            markup +=
                "<rect x=\"\(number(x))\" y=\"\(number(y - 6))\" width=\"20\" height=\"10\" fill=\"\(color)\" "
                + "fill-opacity=\"0.3\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            markup += text(label, x: x + 26, y: y + 4, anchor: "start")
            x += itemWidth
        }
        markup += "</g>\n"
        return (markup, y - top + 14)
    }
}
