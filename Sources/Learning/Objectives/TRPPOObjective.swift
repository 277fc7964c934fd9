/// The objectives of Wang, He and Tan's "Truly PPO" paper (docs/algorithms.md#truly-ppo-family). Each is
/// plain `r·Â` where its trigger does not hold. Their MuJoCo defaults, with the authors'
/// Humanoid-specific values, apply when a configuration leaves the hyperparameter unset.

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

/// The trigger of the trust-region methods: the sample left the KL trust region (d ≥ δ) in
/// the direction that improves the objective (r·Â > Â).
@inline(__always)
func trustRegionTriggered(ratio r: Double, kl d: Double, advantage a: Double, delta: Double) -> Bool {
    d >= delta && r * a > a
}
