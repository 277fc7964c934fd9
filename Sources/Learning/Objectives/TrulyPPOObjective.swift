/// The objectives of Wang, He and Tan's "Truly PPO" paper (docs/algorithms.md#truly-ppo-family). Each is
/// plain `r·Â` where its trigger does not hold. Their MuJoCo defaults, with the authors'
/// Humanoid-specific values, apply when a configuration leaves the hyperparameter unset.

/// Truly PPO: where the trigger holds, `k·r·Â + s·d` (the KL pulls the sample back with slope s).
public struct TrulyPPOObjective: PolicyObjective {
    /// KL threshold δ, ratio scale k and KL slope s: 0.03, 1, −5; on Humanoid 0.05, 0, −0.4.
    public var delta: Double
    public var scale: Double
    public var slope: Double
    public init(delta: Double = 0.03, scale: Double = 1, slope: Double = -5) {
        self.delta = delta
        self.scale = scale
        self.slope = slope
    }
    public init(configuration c: TrainingConfiguration) {
        let humanoid = c.task == "Humanoid-v4"
        self.init(
            delta: c.trustRegionDelta ?? (humanoid ? 0.05 : 0.03), scale: c.trulyRatioScale ?? (humanoid ? 0 : 1),
            slope: c.rollbackSlope ?? (humanoid ? -0.4 : -5))
    }
    public var name: String { "truly-ppo" }
    public func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        trustRegionTriggered(ratio: r, kl: d, advantage: a, delta: delta)
            ? (scale * r * a + slope * d, scale * a, slope) : (r * a, a, 0)
    }
    public func isTriggered(ratio r: Double, kl d: Double, advantage a: Double) -> Bool {
        trustRegionTriggered(ratio: r, kl: d, advantage: a, delta: delta)
    }
}
