import Foundation

/// Options of the stratified bootstrap: how many resamples, the seed of the project's
/// xoshiro256** generator (the same seed gives the same intervals), and the interval's coverage.
public struct BootstrapOptions: Codable, Equatable, Sendable {
    /// Number of bootstrap resamples (rliable uses 50,000 for intervals, 2,000 for profiles).
    public var resamples: Int
    /// Seed of the resampling generator; each algorithm's resampling starts from it.
    public var seed: UInt64
    /// Coverage of the percentile interval, in (0, 1); 0.95 gives the 2.5th and 97.5th percentiles.
    public var confidence: Double

    public init(resamples: Int = 10_000, seed: UInt64 = 0, confidence: Double = 0.95) {
        self.resamples = resamples
        self.seed = seed
        self.confidence = confidence
    }

    func validate() throws {
        guard resamples >= 1 else {
            throw StatisticsError.invalidOption(
                "the number of bootstrap resamples must be at least 1, got \(resamples)")
        }
        guard confidence > 0, confidence < 1 else {
            throw StatisticsError.invalidOption("the confidence level must be in (0, 1), got \(confidence)")
        }
    }
}
