/// SPO-KL (arXiv version): `Â·r·f` with `f = (clamp(d, 0, d_max)/d + sign(Â) − 1)·sign(Â)`:
/// f = 1 while d ≤ d_max, d_max/d (Â > 0) or 2 − d_max/d (Â < 0) beyond; plain `r·Â` on the
/// first minibatch of an update, where d = 0. The gradient flows through f's dependence on d.
public struct SPOKLObjective: PolicyObjective {
    public var maxKL: Double
    public init(maxKL: Double = 0.02) { self.maxKL = maxKL }
    public var name: String { "spo-kl" }
    public func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        if firstMinibatch || d <= maxKL { return (r * a, a, 0) }
        let s = sign(a)
        let factor = (maxKL / d + s - 1) * s
        let dFactor = -maxKL / (d * d) * s
        return (a * r * factor, a * factor, a * r * dFactor)
    }
    public func isClipped(ratio r: Double, advantage a: Double) -> Bool { false }
    public func isTriggered(ratio r: Double, kl d: Double, advantage a: Double) -> Bool { d > maxKL }
}

@inline(__always) func sign(_ x: Double) -> Double { x > 0 ? 1 : (x < 0 ? -1 : 0) }
