/// PPO-Penalty: `r·Â − β·d`; after each minibatch β halves when mean d < target/1.5 and
/// doubles when mean d > target·1.5.
public struct PPOPenaltyObjective: PolicyObjective {
    public var klTarget: Double
    public var currentBeta: Double
    public init(klTarget: Double = 0.02, initialBeta: Double = 1) {
        self.klTarget = klTarget
        currentBeta = initialBeta
    }
    public var name: String { "ppo-penalty" }
    public var beta: Double? { currentBeta }
    public var persistentState: [Double] {
        get { [currentBeta] }
        set { currentBeta = newValue[0] }
    }
    public func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        (r * a - currentBeta * d, a, -currentBeta)
    }
    public mutating func observe(meanKL: Double) {
        if meanKL < klTarget / 1.5 { currentBeta /= 2 } else if meanKL > klTarget * 1.5 { currentBeta *= 2 }
    }
}
