import Foundation

/// One algorithm's aggregate results: which runs they cover, per-task mean normalised scores,
/// the four statistics with intervals and the performance profile.
public struct AlgorithmAggregate: Equatable, Sendable {
    /// The algorithm's label, e.g. "spo 7-layer".
    public var label: String
    /// Per task id, the number of runs (seeds) that entered the statistics.
    public var runsPerTask: [String: Int]
    /// Per task id, the mean normalised score over its runs.
    public var taskMeans: [String: Double]
    /// The four statistics with their bootstrap intervals, in normalised-score units.
    public var estimates: [AggregateMetric: IntervalEstimate]
    /// The performance profile with its bootstrap band.
    public var profile: PerformanceProfile

    /// The estimate of `metric` (every metric is present).
    public func estimate(_ metric: AggregateMetric) -> IntervalEstimate { estimates[metric]! }
}
