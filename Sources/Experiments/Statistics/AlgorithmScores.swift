import Foundation

/// One algorithm's (or algorithm-and-network's) scores: per task id, one score per seed.
/// Raw returns before normalisation, normalised scores after.
public struct AlgorithmScores: Equatable, Sendable {
    /// The label shown in tables and figures, e.g. "spo 7-layer".
    public var label: String
    /// Per task id ("Hopper-v4"), the per-seed scores.
    public var scores: [String: [Double]]

    public init(label: String, scores: [String: [Double]]) {
        self.label = label
        self.scores = scores
    }
}
