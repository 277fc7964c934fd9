/// The KL-adaptive learning rate of the SPO authors' script: after each minibatch's mean KL
/// between the rollout's policy and the current one is measured, the rate is divided by 1.5
/// when the KL exceeds twice the target and multiplied by 1.5 when it is below half of it,
/// then kept within [1e-5, 1e-2]. While on, it replaces the linear decay.
public enum AdaptiveLearningRate {
    /// The default KL target (nats).
    public static let defaultDesiredKL = 0.01
    /// The factor of one adjustment.
    public static let factor = 1.5
    /// The range the rate is kept in.
    public static let bounds = 1e-5...1e-2

    /// The rate after a minibatch whose mean KL is `meanKL` (a non-finite KL leaves it as is).
    public static func next(_ rate: Double, meanKL: Double, desiredKL: Double) -> Double {
        var adapted = rate
        if meanKL > 2 * desiredKL {
            adapted = rate / factor
        } else if meanKL < desiredKL / 2 {
            adapted = rate * factor
        }
        return min(max(adapted, bounds.lowerBound), bounds.upperBound)
    }
}
