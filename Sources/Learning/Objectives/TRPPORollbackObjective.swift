/// The objectives of Wang, He and Tan's "Truly PPO" paper (docs/algorithms.md#truly-ppo-family). Each is
/// plain `r·Â` where its trigger does not hold. Their MuJoCo defaults, with the authors'
/// Humanoid-specific values, apply when a configuration leaves the hyperparameter unset.

/// TR-PPO-RB: where the trigger holds, `(s·r + stopgrad((1−s)·r))·Â`: the value `r·Â`, the gradient `s·Â`.
public struct TRPPORollbackObjective: PolicyObjective {
    /// KL threshold δ (0.03) and rollback slope s (−0.05).
    public var delta: Double
    public var slope: Double
    public init(delta: Double = 0.03, slope: Double = -0.05) {
        self.delta = delta
        self.slope = slope
    }
    public init(configuration c: TrainingConfiguration) {
        self.init(delta: c.trustRegionDelta ?? 0.03, slope: c.rollbackSlope ?? -0.05)
    }
    public var name: String { "tr-ppo-rb" }
    public func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        trustRegionTriggered(ratio: r, kl: d, advantage: a, delta: delta) ? (r * a, slope * a, 0) : (r * a, a, 0)
    }
    public func isTriggered(ratio r: Double, kl d: Double, advantage a: Double) -> Bool {
        trustRegionTriggered(ratio: r, kl: d, advantage: a, delta: delta)
    }
    public func surrogate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> Double {
        isTriggered(ratio: r, kl: d, advantage: a) ? slope * r * a : r * a
    }
}
