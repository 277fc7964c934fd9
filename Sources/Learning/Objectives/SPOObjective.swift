/// SPO (ICML version): `r·Â − (|Â| / 2ε)·(r − 1)²`, a concave parabola in r with its maximum
/// at r = 1 + sign(Â)·ε, whose gradient keeps pulling r back outside [1 − ε, 1 + ε].
public struct SPOObjective: PolicyObjective {
    public var epsilon: Double
    public init(epsilon: Double = 0.2) { self.epsilon = epsilon }
    public var name: String { "spo" }
    public func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        let penalty = abs(a) / (2 * epsilon)
        return (r * a - penalty * (r - 1) * (r - 1), a - 2 * penalty * (r - 1), 0)
    }
    public func isClipped(ratio r: Double, advantage a: Double) -> Bool { abs(r - 1) > epsilon }
}
