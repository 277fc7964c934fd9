import Foundation

/// The bounds that map a task's raw return to a normalised score `(score − low) / (high − low)`:
/// `low` scores 0 (by default a random policy's mean return), `high` scores 1 (by default the
/// best return in the papers' tables). Both in raw episodic return.
public struct NormalizationBounds: Codable, Equatable, Sendable {
    /// The raw return that normalises to 0.
    public var low: Double
    /// The raw return that normalises to 1.
    public var high: Double

    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    /// `(score − low) / (high − low)`.
    public func normalize(_ score: Double) -> Double { (score - low) / (high - low) }
}
