import Foundation

/// The four aggregate statistics of normalised scores, as rliable defines them. With `scores`
/// the runs of each task:
/// - `median`: the median over tasks of each task's mean score;
/// - `iqm`: the interquartile mean of all runs pooled over tasks and seeds (SciPy's
///   `trim_mean(…, 0.25)`: drops `⌊n/4⌋` runs from each end of the n sorted runs, so for n not
///   a multiple of 4 slightly more than half the runs remain; for n < 4 it is the plain mean);
/// - `mean`: the mean over tasks of each task's mean score;
/// - `optimalityGap`: `mean(max(0, 1 − score))` over all runs pooled (γ = 1; lower is better).
public enum AggregateMetric: String, CaseIterable, Codable, Sendable {
    case median, iqm, mean, optimalityGap

    /// The name used in tables and figures.
    public var title: String {
        switch self {
        case .median: return "Median"
        case .iqm: return "IQM"
        case .mean: return "Mean"
        case .optimalityGap: return "Optimality Gap"
        }
    }

    /// The statistic of per-task normalised scores (each inner array one task's runs, none empty).
    public func evaluate(_ tasks: [[Double]]) -> Double {
        switch self {
        case .median: return AggregateStatistics.median(tasks.map(AggregateStatistics.mean))
        case .mean: return AggregateStatistics.mean(tasks.map(AggregateStatistics.mean))
        case .iqm: return AggregateStatistics.interquartileMean(tasks.flatMap { $0 })
        case .optimalityGap: return AggregateStatistics.mean(tasks.flatMap { $0 }.map { max(0, 1 - $0) })
        }
    }
}
