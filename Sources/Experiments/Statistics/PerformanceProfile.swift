import Foundation

/// A performance profile: at each threshold τ, the fraction of all runs (pooled over tasks and
/// seeds) whose normalised score exceeds τ, with its pointwise percentile bootstrap band.
public struct PerformanceProfile: Codable, Equatable, Sendable {
    /// The thresholds τ, ascending, in normalised-score units.
    public var thresholds: [Double]
    /// The fraction of runs with score > τ, in [0, 1], one per threshold.
    public var fractions: [Double]
    /// Lower end of the bootstrap band, one per threshold.
    public var lower: [Double]
    /// Upper end of the bootstrap band, one per threshold.
    public var upper: [Double]
}
