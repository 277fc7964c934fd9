import Foundation

/// A point estimate with its confidence interval, in normalised-score units.
public struct IntervalEstimate: Codable, Equatable, Sendable {
    /// The statistic on the observed runs.
    public var point: Double
    /// Lower end of the percentile bootstrap interval.
    public var lower: Double
    /// Upper end of the percentile bootstrap interval.
    public var upper: Double

    public init(point: Double, lower: Double, upper: Double) {
        self.point = point
        self.lower = lower
        self.upper = upper
    }
}
