import Foundation

// Hand-written SVG figures without dependencies: learning curves, interval plots of the
// aggregate statistics and performance profiles. Coordinates are SVG user units (pixels).

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
