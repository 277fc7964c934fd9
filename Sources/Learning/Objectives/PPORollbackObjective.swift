/// The objectives of Wang, He and Tan's "Truly PPO" paper (docs/algorithms.md#truly-ppo-family). Each is
/// plain `r·Â` where its trigger does not hold. Their MuJoCo defaults, with the authors'
/// Humanoid-specific values, apply when a configuration leaves the hyperparameter unset.

/// PPO with rollback: beyond the clip range the objective turns down with slope `s·Â`:
/// `(s·r + (1−s)(1+ε))·Â` for Â ≥ 0, r > 1+ε and `(s·r + (1−s)(1−ε))·Â` for Â < 0, r < 1−ε.
public struct PPORollbackObjective: PolicyObjective {
    public var epsilon: Double
    /// The rollback slope s (negative): −0.3, on Humanoid −0.02.
    public var slope: Double
    public init(epsilon: Double = 0.2, slope: Double = -0.3) {
        self.epsilon = epsilon
        self.slope = slope
    }
    public init(configuration c: TrainingConfiguration) {
        self.init(epsilon: c.epsilon, slope: c.rollbackSlope ?? (c.task == "Humanoid-v4" ? -0.02 : -0.3))
    }
    public var name: String { "ppo-rb" }
    public func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        if a >= 0 && r > 1 + epsilon { return ((slope * r + (1 - slope) * (1 + epsilon)) * a, slope * a, 0) }
        if a < 0 && r < 1 - epsilon { return ((slope * r + (1 - slope) * (1 - epsilon)) * a, slope * a, 0) }
        return (r * a, a, 0)
    }
    public func isClipped(ratio r: Double, advantage a: Double) -> Bool {
        (a >= 0 && r > 1 + epsilon) || (a < 0 && r < 1 - epsilon)
    }
}
