import Environments

/// The training wrappers of the SPO/CleanRL MuJoCo scripts around one environment
/// (Gymnasium 0.29.1, docs/environments.md#training-wrappers), innermost first: episode statistics
/// on the raw reward, action clipping, observation normalisation and ±10 clip, reward
/// scaling by the running std of the discounted return and ±10 clip.
///
/// The statistics are part of the agent's state: saved with it, and frozen
/// (`updatesStatistics = false`) for evaluation.
public struct TrainingWrappers: Codable, Equatable, Sendable {
    /// Running statistics of the raw observations (updated on every reset and step).
    public var observationStatistics: RunningMeanStd
    /// Running statistics of the discounted return `returnAccumulator` (updated on every step).
    public var returnStatistics: RunningMeanStd
    /// The discounted return R, zeroed only through `1 − terminated` (not by truncation or reset).
    public var returnAccumulator: Double
    /// The current episode's raw return, accumulated in float as Gymnasium 0.29.1 does.
    public var episodeReturn: Float
    /// The current episode's length in steps.
    public var episodeLength: Int32
    /// Discount of the return accumulator.
    public var gamma: Double
    /// When false, normalisation uses the statistics without updating them (evaluation).
    public var updatesStatistics = true

    public static let epsilon = 1e-8
    public static let observationClip = 10.0
    public static let rewardClip = 10.0

    public init(observationSize: Int, gamma: Double = 0.99) {
        observationStatistics = RunningMeanStd(size: observationSize)
        returnStatistics = RunningMeanStd(size: 1)
        returnAccumulator = 0
        episodeReturn = 0
        episodeLength = 0
        self.gamma = gamma
    }

    /// A finished episode's statistics on the raw reward.
    public struct EpisodeStatistics: Equatable, Sendable {
        public var episodeReturn: Float
        public var length: Int32
    }

    /// ClipAction: `min(max(a, low), high)` with the float bounds; NaN passes through, −0.0 stays.
    public static func clip(
        action: UnsafeBufferPointer<Float>, space: BoxSpace<Float>, into clipped: UnsafeMutableBufferPointer<Float>
    ) {
        for i in 0..<action.count {
            clipped[i] = Environments.clip(action[i], space.low[i], space.high[i])
        }
    }

    /// The stack's reset: zero the episode statistics, then normalise and clip the raw observation in place.
    public mutating func reset(observation: UnsafeMutableBufferPointer<Double>) {
        episodeReturn = 0
        episodeLength = 0
        normalize(observation: observation)
    }

    /// The stack's step after the environment: records episode statistics, normalises and
    /// clips the observation in place, and returns the scaled reward after and before its
    /// ±10 clip, with the finished episode's statistics when `terminated || truncated`.
    public mutating func step(
        observation: UnsafeMutableBufferPointer<Double>, reward: Double, terminated: Bool, truncated: Bool
    ) -> (reward: Double, unclippedReward: Double, episode: EpisodeStatistics?) {
        episodeReturn = Float(Double(episodeReturn) + reward)
        episodeLength += 1
        var finished: EpisodeStatistics?
        if terminated || truncated {
            finished = EpisodeStatistics(episodeReturn: episodeReturn, length: episodeLength)
            episodeReturn = 0
            episodeLength = 0
        }
        normalize(observation: observation)
        let scaled = scale(reward: reward, terminated: terminated)
        return (Environments.clip(scaled, -Self.rewardClip, Self.rewardClip), scaled, finished)
    }

    /// NormalizeObservation then the ±10 clip, in place, with the updated statistics.
    public mutating func normalize(observation: UnsafeMutableBufferPointer<Double>) {
        if updatesStatistics { observationStatistics.update(UnsafeBufferPointer(observation)) }
        for i in 0..<observation.count {
            let normalized =
                (observation[i] - observationStatistics.mean[i])
                / (observationStatistics.variance[i] + Self.epsilon).squareRoot()
            observation[i] = Environments.clip(normalized, -Self.observationClip, Self.observationClip)
        }
    }

    /// NormalizeReward (before the clip): `r / sqrt(var(R) + ε)` with R updated first.
    public mutating func scale(reward: Double, terminated: Bool) -> Double {
        returnAccumulator = ((returnAccumulator * gamma) * (terminated ? 0 : 1)) + reward
        if updatesStatistics {
            let sample = returnAccumulator
            withUnsafePointer(to: sample) { returnStatistics.update(UnsafeBufferPointer(start: $0, count: 1)) }
        }
        return reward / (returnStatistics.variance[0] + Self.epsilon).squareRoot()
    }
}
