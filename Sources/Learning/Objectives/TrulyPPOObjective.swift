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

/// The trigger of the trust-region methods: the sample left the KL trust region (d ≥ δ) in
/// the direction that improves the objective (r·Â > Â).
@inline(__always)
func trustRegionTriggered(ratio r: Double, kl d: Double, advantage a: Double, delta: Double) -> Bool {
    d >= delta && r * a > a
}

/// TR-PPO: `r·Â` with its gradient stopped where the trigger holds (the sample no longer moves).
public struct TRPPOObjective: PolicyObjective {
    /// KL threshold δ: 0.035, on Humanoid 0.05.
    public var delta: Double
    public init(delta: Double = 0.035) { self.delta = delta }
    public init(configuration c: TrainingConfiguration) {
        self.init(delta: c.trustRegionDelta ?? (c.task == "Humanoid-v4" ? 0.05 : 0.035))
    }
    public var name: String { "tr-ppo" }
    public func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        trustRegionTriggered(ratio: r, kl: d, advantage: a, delta: delta) ? (r * a, 0, 0) : (r * a, a, 0)
    }
    public func isTriggered(ratio r: Double, kl d: Double, advantage a: Double) -> Bool {
        trustRegionTriggered(ratio: r, kl: d, advantage: a, delta: delta)
    }
    public func surrogate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> Double {
        isTriggered(ratio: r, kl: d, advantage: a) ? 0 : r * a
    }
}

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
