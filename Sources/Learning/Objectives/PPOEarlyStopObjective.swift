/// PPO-EarlyStop: PPO-Clip, but the update (all remaining epochs) stops before a minibatch
/// whose mean KL exceeds the threshold.
public struct PPOEarlyStopObjective: PolicyObjective {
    public var clip: PPOClipObjective
    public var klThreshold: Double
    public init(epsilon: Double = 0.2, klThreshold: Double = 0.02) {
        clip = PPOClipObjective(epsilon: epsilon)
        self.klThreshold = klThreshold
    }
    public var name: String { "ppo-earlystop" }
    public func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        clip.evaluate(ratio: r, kl: d, advantage: a, firstMinibatch: firstMinibatch)
    }
    public func allowsStep(meanKL: Double) -> Bool { meanKL <= klThreshold }
    public func isClipped(ratio r: Double, advantage a: Double) -> Bool { clip.isClipped(ratio: r, advantage: a) }
}
