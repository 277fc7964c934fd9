import Foundation

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
