/// The fixed description of an environment: its id, spaces, timing and info keys.
public struct EnvironmentSpec: Sendable, Equatable {
    /// Registry id, e.g. `Hopper-v4`.
    public let id: String
    /// Bounds of the action, float as in Gymnasium (`actuator_ctrlrange` rounded to Float).
    public let actionSpace: BoxSpace<Float>
    /// Observation space (unbounded doubles).
    public let observationSpace: BoxSpace<Double>
    /// `mj_step` calls per environment step.
    public let frameSkip: Int
    /// Duration of one environment step in seconds (`timestep * frameSkip`).
    public let dt: Double
    /// Steps after which an episode is truncated (Gymnasium's TimeLimit).
    public let maxEpisodeSteps: Int
    /// Keys of the per-step info values, in Gymnasium's order.
    public let infoKeys: [String]

    /// Length of an action.
    public var actionSize: Int { actionSpace.count }
    /// Length of an observation.
    public var observationSize: Int { observationSpace.count }
}

/// `count` uniform random actions within the bounds, concatenated.
public func uniformActions(_ spec: EnvironmentSpec, count: Int, random: inout RandomGenerator) -> [Float] {
    (0..<(count * spec.actionSize)).map { i in
        let j = i % spec.actionSize
        return Float(random.uniform(Double(spec.actionSpace.low[j]), Double(spec.actionSpace.high[j])))
    }
}
