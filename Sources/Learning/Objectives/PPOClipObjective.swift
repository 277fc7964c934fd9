/// PPO-Clip: `min(r·Â, clip(r, 1 − ε, 1 + ε)·Â)`; zero gradient where the clipped term is smaller.
public struct PPOClipObjective: PolicyObjective {
    public var epsilon: Double
    public init(epsilon: Double = 0.2) { self.epsilon = epsilon }
    public var name: String { "ppo" }
    public func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        let unclipped = r * a
        let clipped = min(max(r, 1 - epsilon), 1 + epsilon) * a
        return unclipped <= clipped ? (unclipped, a, 0) : (clipped, 0, 0)
    }
    public func isClipped(ratio r: Double, advantage a: Double) -> Bool { abs(r - 1) > epsilon }
}
