import Foundation

/// How a finished run's agent is evaluated: episodes of its policy (mean action when
/// `deterministic`) with frozen observation statistics, environments seeded from `seed`.
public struct EvaluationSettings: Codable, Sendable, Equatable {
    public var episodes = 10
    public var deterministic = true
    public var seed: UInt64 = 1_000_000
    /// A video of the evaluation policy in the run's folder, or nil for none. Not part of a
    /// run's id: a video changes no result.
    public var video: VideoSettings? = nil
    public init() {}
}
