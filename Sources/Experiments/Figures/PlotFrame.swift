import Foundation

/// The rectangle a plot's data is drawn in, and the maps from data to SVG coordinates.
struct PlotFrame {
    var left: Double, top: Double, width: Double, height: Double
    var xTicks: [Double], yTicks: [Double]
    var yScale = AxisScale.linear

    func x(_ value: Double) -> Double {
        left + (value - xTicks.first!) / (xTicks.last! - xTicks.first!) * width
    }

    func y(_ value: Double) -> Double {
        switch yScale {
        case .linear:
            return top + height - (value - yTicks.first!) / (yTicks.last! - yTicks.first!) * height
        case .logarithmic:
            let low = Foundation.log10(yTicks.first!), high = Foundation.log10(yTicks.last!)
            return top + height - (Foundation.log10(value) - low) / (high - low) * height
        }
    }

    /// Grid lines, the frame, tick labels, axis labels and a title above the frame.
    func axes(title: String?, xLabel: String, yLabel: String, showYTickLabels: Bool = true) -> String {
        var markup = ""
        for (tick, label) in zip(xTicks, AxisTicks.labels(xTicks)) {
            markup += SVG.line(x(tick), top, x(tick), top + height, stroke: "#E5E5E5")
            markup += SVG.text(label, x: x(tick), y: top + height + 16, size: 11)
        }
        for (tick, label) in zip(yTicks, yScale == .linear ? AxisTicks.labels(yTicks) : AxisTicks.powerLabels(yTicks)) {
            markup += SVG.line(left, y(tick), left + width, y(tick), stroke: "#E5E5E5")
            if showYTickLabels { markup += SVG.text(label, x: left - 6, y: y(tick) + 4, size: 11, anchor: "end") }
        }
        markup +=
            "<rect x=\"\(SVG.number(left))\" y=\"\(SVG.number(top))\" width=\"\(SVG.number(width))\" "
            + "height=\"\(SVG.number(height))\" fill=\"none\" stroke=\"#333333\"/>\n"
        markup += SVG.text(xLabel, x: left + width / 2, y: top + height + 34)
        if !yLabel.isEmpty { markup += SVG.text(yLabel, x: left - 46, y: top + height / 2, rotate: true) }
        if let title { markup += SVG.text(title, x: left + width / 2, y: top - 8, size: 13, weight: "bold") }
        return markup
    }
}
