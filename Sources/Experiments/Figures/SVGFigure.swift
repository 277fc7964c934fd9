import Foundation

// Hand-written SVG figures without dependencies: learning curves, interval plots of the
// aggregate statistics and performance profiles. Coordinates are SVG user units (pixels).

/// The colour-blind-safe palette of every figure (Okabe & Ito 2008), in the order series are
/// coloured; it repeats after eight series.
public enum FigurePalette {
    /// Blue, orange, bluish green, vermillion, reddish purple, sky blue, black, yellow (hex RGB).
    public static let colors = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]

    /// The colour of the `index`-th series.
    public static func color(_ index: Int) -> String { colors[index % colors.count] }
}

/// Axis ticks at "nice" values (1, 2 or 5 times a power of ten) and their labels.
public enum AxisTicks {
    /// About `count` ticks covering [low, high], at multiples of a nice step; the first tick is
    /// ≤ low and the last ≥ high. A degenerate range is widened around its value.
    public static func nice(low: Double, high: Double, count: Int = 5) -> [Double] {
        var low = low, high = high
        if !(high > low) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = niceNumber((high - low) / Double(max(count - 1, 1)), round: true)
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        return stride(from: first, through: last + 0.5, by: 1).map { $0 * step }
    }

    /// The nice number near `value`: 1, 2, 5 or 10 times a power of ten (rounded to the nearest
    /// with `round`, else the smallest not below `value`).
    static func niceNumber(_ value: Double, round: Bool) -> Double {
        let exponent = Foundation.floor(Foundation.log10(value))
        let fraction = value / Foundation.pow(10, exponent)
        let nice: Double
        if round {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return nice * Foundation.pow(10, exponent)
    }

    /// Labels for evenly spaced `ticks`: with just the decimals the step needs ("0.25" → "0.2",
    /// "0.4"…), and in thousands or millions ("500k", "2M", "1.5M") once the largest tick reaches
    /// 10,000, so environment steps read 0, 2M, 4M.
    public static func labels(_ ticks: [Double]) -> [String] {
        guard ticks.count > 1 else { return ticks.map { format($0, step: 1, scale: 1, suffix: "") } }
        let step = abs(ticks[1] - ticks[0])
        let largest = ticks.map(abs).max() ?? 0
        let (scale, suffix): (Double, String) = largest >= 1e6 ? (1e6, "M") : largest >= 1e4 ? (1e3, "k") : (1, "")
        return ticks.map { format($0, step: step, scale: scale, suffix: suffix) }
    }

    static func format(_ value: Double, step: Double, scale: Double, suffix: String) -> String {
        let scaledStep = step / scale
        let decimals = max(0, Int(-Foundation.floor(Foundation.log10(scaledStep) + 1e-9)))
        let text = String(format: "%.\(decimals)f", value / scale)
        return Double(text) == 0 ? "0" : text + suffix  // "0", never "-0" or "0.0M"
    }
}

extension AxisTicks {
    /// Powers of ten covering [low, high] (both positive; otherwise 1 and 10): from
    /// 10^⌊log₁₀ low⌋ to 10^⌈log₁₀ high⌉ (at least one decade), every n-th power so that there
    /// are at most nine.
    public static func decades(low: Double, high: Double) -> [Double] {
        guard low > 0, high >= low, high.isFinite else { return [1, 10] }
        var first = Foundation.floor(Foundation.log10(low)), last = Foundation.ceil(Foundation.log10(high))
        if last <= first { last = first + 1 }
        let step = Foundation.ceil((last - first) / 8)
        first = Foundation.floor(first / step) * step
        last = Foundation.ceil(last / step) * step
        return stride(from: first, through: last, by: step).map { Foundation.pow(10, $0) }
    }

    /// Labels of powers of ten as 10 with a superscript exponent: "10⁻³", "10⁰", "10²".
    public static func powerLabels(_ ticks: [Double]) -> [String] {
        let superscripts: [Character: Character] = [
            "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵",
            "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
        ]
        return ticks.map { "10" + String(String(Int(Foundation.log10($0).rounded())).map { superscripts[$0]! }) }
    }
}

/// How a panel's y axis places values: in proportion to the value, or to its base-10 logarithm.
public enum AxisScale: Sendable, Equatable {
    case linear
    /// Ticks at powers of ten; values ≤ 0 have no place and leave gaps.
    case logarithmic

    /// Whether `value` can be drawn on this axis: finite, and positive on a logarithmic one.
    func shows(_ value: Double) -> Bool { value.isFinite && (self == .linear || value > 0) }

    /// Ticks covering [low, high]: nice values (``AxisTicks/nice(low:high:count:)``) or powers of ten.
    func ticks(low: Double, high: Double) -> [Double] {
        self == .linear ? AxisTicks.nice(low: low, high: high) : AxisTicks.decades(low: low, high: high)
    }
}

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

/// One line of a learning-curve panel: a label and, per x, the mean with a band (typically
/// mean ± one standard deviation across seeds). Non-finite values leave gaps.
public struct CurveSeries: Equatable, Sendable {
    /// The legend entry, e.g. "spo 7-layer"; the same label has the same colour in every panel.
    public var label: String
    /// The x values, ascending (e.g. environment steps).
    public var x: [Double]
    /// The mean at each x.
    public var mean: [Double]
    /// The band's lower edge at each x.
    public var lower: [Double]
    /// The band's upper edge at each x.
    public var upper: [Double]

    public init(label: String, x: [Double], mean: [Double], lower: [Double], upper: [Double]) {
        self.label = label
        self.x = x
        self.mean = mean
        self.lower = lower
        self.upper = upper
    }
}

/// One panel of a learning-curve figure (typically one task): a title, axis labels and series.
public struct CurvePanel: Equatable, Sendable {
    /// The panel's title, e.g. "Hopper-v4".
    public var title: String
    /// The x axis label, e.g. "environment steps".
    public var xLabel: String
    /// The y axis label, e.g. "episodic return".
    public var yLabel: String
    /// The series drawn in the panel.
    public var series: [CurveSeries]
    /// The y axis: linear, or logarithmic for values spanning decades (e.g. a KL).
    public var yScale: AxisScale

    public init(title: String, xLabel: String, yLabel: String, series: [CurveSeries], yScale: AxisScale = .linear) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yScale = yScale
    }
}

/// The SVG figures.
public enum SVGFigure {
    /// Learning curves: `panels` in a grid of `columns` columns (row by row), each series a mean
    /// line over a shaded band, coloured by label consistently across panels, with `title` on top
    /// and one shared legend below it. Panels without finite data show their axes only.
    public static func learningCurves(panels: [CurvePanel], columns: Int = 3, title: String) -> String {
        let columns = max(1, min(columns, panels.count))
        let rows = (panels.count + columns - 1) / columns
        let panelWidth = 340.0, panelHeight = 270.0
        // Wide enough for the panels and for the title (16 px bold, wider than the body text).
        let width = max(Double(columns) * panelWidth + 20, SVG.textWidth(title, size: 16) * 1.1 + 40)
        var labels: [String] = []
        for series in panels.flatMap(\.series) where !labels.contains(series.label) { labels.append(series.label) }
        let colors = labels.indices.map(FigurePalette.color)
        let (legend, legendHeight) = SVG.legend(labels, colors: colors, left: 20, top: 42, width: width - 40)
        let gridTop = 42 + legendHeight + 10
        let height = gridTop + Double(rows) * panelHeight
        var body = SVG.text(title, x: width / 2, y: 26, size: 16, weight: "bold") + legend
        for (index, panel) in panels.enumerated() {
            let originX = 10 + Double(index % columns) * panelWidth
            let originY = gridTop + Double(index / columns) * panelHeight
            let xs = panel.series.flatMap(\.x).filter(\.isFinite)
            let ys = panel.series.flatMap { $0.mean + $0.lower + $0.upper }.filter(panel.yScale.shows)
            let frame = PlotFrame(
                left: originX + 66, top: originY + 28, width: panelWidth - 86, height: panelHeight - 80,
                xTicks: AxisTicks.nice(low: xs.min() ?? 0, high: xs.max() ?? 1),
                yTicks: panel.yScale.ticks(low: ys.min() ?? 0, high: ys.max() ?? 1), yScale: panel.yScale
            )
            body += "<g class=\"panel\">\n" + frame.axes(title: panel.title, xLabel: panel.xLabel, yLabel: panel.yLabel)
            for series in panel.series {
                let color = colors[labels.firstIndex(of: series.label)!]
                let count = [series.x.count, series.mean.count, series.lower.count, series.upper.count].min()!
                let bandRuns = SVG.finiteRuns(count) {
                    series.x[$0].isFinite && panel.yScale.shows(series.lower[$0])
                        && panel.yScale.shows(series.upper[$0])
                }
                for run in bandRuns where run.count > 1 {
                    let outline =
                        run.map { (frame.x(series.x[$0]), frame.y(series.upper[$0])) }
                        + run.reversed().map { (frame.x(series.x[$0]), frame.y(series.lower[$0])) }
                    body +=
                        "<polygon points=\"\(SVG.points(outline))\" fill=\"\(color)\" "
                        + "fill-opacity=\"0.2\" stroke=\"none\"/>\n"
                }
                for run in SVG.finiteRuns(count, { series.x[$0].isFinite && panel.yScale.shows(series.mean[$0]) }) {
                    let line = run.map { (frame.x(series.x[$0]), frame.y(series.mean[$0])) }
                    if line.count == 1 {
                        body +=
                            "<circle cx=\"\(SVG.number(line[0].0))\" cy=\"\(SVG.number(line[0].1))\" "
                            + "r=\"2\" fill=\"\(color)\"/>\n"
                    } else {
                        body +=
                            "<polyline points=\"\(SVG.points(line))\" fill=\"none\" "
                            + "stroke=\"\(color)\" stroke-width=\"1.8\"/>\n"
                    }
                }
            }
            body += "</g>\n"
        }
        return SVG.header(width: width, height: height, title: title) + body + "</svg>\n"
    }

    /// rliable-style interval plots: one subplot per statistic (median, IQM, mean, optimality
    /// gap), each algorithm a row with a bar spanning its confidence interval and a black tick
    /// at its point estimate; x = normalised score.
    public static func intervalEstimates(_ report: AggregateReport, title: String) -> String {
        let labels = report.algorithms.map(\.label)
        let labelWidth = (labels.map { SVG.textWidth($0) }.max() ?? 0) + 20
        let rowHeight = 26.0, subplotWidth = 200.0, gap = 40.0
        let plotHeight = Double(max(labels.count, 1)) * rowHeight
        let top = 62.0
        let width = labelWidth + Double(AggregateMetric.allCases.count) * (subplotWidth + gap) + 10
        let height = top + plotHeight + 56
        let percent = String(format: "%g", report.options.confidence * 100)
        var body = SVG.text(title, x: width / 2, y: 24, size: 16, weight: "bold")
        body += SVG.text(
            "point estimate (black tick) and \(percent)% stratified bootstrap interval (bar), "
                + "\(report.options.resamples) resamples",
            x: width / 2, y: 42, size: 11)
        for (m, metric) in AggregateMetric.allCases.enumerated() {
            let estimates = report.algorithms.map { $0.estimate(metric) }
            let values = estimates.flatMap { [$0.point, $0.lower, $0.upper] }.filter(\.isFinite)
            let frame = PlotFrame(
                left: labelWidth + Double(m) * (subplotWidth + gap), top: top, width: subplotWidth, height: plotHeight,
                xTicks: AxisTicks.nice(low: values.min() ?? 0, high: values.max() ?? 1, count: 4), yTicks: [0, 1]
            )
            body +=
                "<g class=\"subplot\">\n"
                + frame.axes(title: metric.title, xLabel: "Normalized Score", yLabel: "", showYTickLabels: false)
            for (row, estimate) in estimates.enumerated() {
                let center = top + (Double(row) + 0.5) * rowHeight
                let color = FigurePalette.color(row)
                if m == 0 { body += SVG.text(labels[row], x: frame.left - 8, y: center + 4, anchor: "end") }
                if estimate.lower.isFinite, estimate.upper.isFinite {
                    let x0 = frame.x(estimate.lower), x1 = frame.x(estimate.upper)
                    body +=
                        "<rect x=\"\(SVG.number(x0))\" y=\"\(SVG.number(center - 8))\" "
                        + "width=\"\(SVG.number(max(x1 - x0, 1)))\" height=\"16\" "
                        + "fill=\"\(color)\" fill-opacity=\"0.75\"/>\n"
                }
                if estimate.point.isFinite {
                    body += SVG.line(
                        frame.x(estimate.point), center - 10, frame.x(estimate.point), center + 10, stroke: "#000000",
                        width: 2)
                }
            }
            body += "</g>\n"
        }
        return SVG.header(width: width, height: height, title: title) + body + "</svg>\n"
    }

    /// Performance profiles: for each algorithm, the fraction of runs with normalised score > τ
    /// against τ, a line over its shaded bootstrap band, with a legend.
    public static func performanceProfiles(_ report: AggregateReport, title: String) -> String {
        let width = 560.0
        let labels = report.algorithms.map(\.label)
        let colors = labels.indices.map(FigurePalette.color)
        let (legend, legendHeight) = SVG.legend(labels, colors: colors, left: 20, top: 42, width: width - 40)
        let top = 42 + legendHeight + 24
        let frame = PlotFrame(
            left: 76, top: top, width: width - 100, height: 300,
            xTicks: AxisTicks.nice(low: report.thresholds.first ?? 0, high: report.thresholds.last ?? 1),
            yTicks: AxisTicks.nice(low: 0, high: 1)
        )
        var body = SVG.text(title, x: width / 2, y: 26, size: 16, weight: "bold") + legend
        body += frame.axes(title: nil, xLabel: "Normalized Score (τ)", yLabel: "Fraction of runs with score > τ")
        for (algorithm, color) in zip(report.algorithms, colors) {
            let profile = algorithm.profile
            let upper = profile.thresholds.indices.map { (frame.x(profile.thresholds[$0]), frame.y(profile.upper[$0])) }
            let lower = profile.thresholds.indices.reversed().map {
                (frame.x(profile.thresholds[$0]), frame.y(profile.lower[$0]))
            }
            body +=
                "<polygon points=\"\(SVG.points(upper + lower))\" fill=\"\(color)\" "
                + "fill-opacity=\"0.2\" stroke=\"none\"/>\n"
            let line = profile.thresholds.indices.map {
                (frame.x(profile.thresholds[$0]), frame.y(profile.fractions[$0]))
            }
            body += "<polyline points=\"\(SVG.points(line))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
        }
        let height = top + 300 + 50
        return SVG.header(width: width, height: height, title: title) + body + "</svg>\n"
    }
}
