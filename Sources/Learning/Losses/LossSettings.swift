/// The loss settings shared by the first-order algorithms (docs/algorithms.md#loss).
public struct LossSettings: Codable, Sendable, Equatable {
    /// c1, the value-loss coefficient.
    public var valueCoefficient = 0.5
    /// c2, the entropy coefficient.
    public var entropyCoefficient = 0.0
    /// Clip the value loss around the old values with `valueClipEpsilon`.
    public var clipValueLoss = true
    /// How far the clipped value may move from the old value.
    public var valueClipEpsilon = 0.2
    /// Normalise advantages per minibatch: (Â − mean) / (std + 1e-8), std with Bessel's correction.
    public var normalizeAdvantages = true
    public init() {}

    /// The advantages the policy loss uses: normalised (``normalizedAdvantages(_:)``) when configured.
    func advantages(_ raw: [Double]) -> [Double] { normalizeAdvantages ? normalizedAdvantages(raw) : raw }
}

/// Advantages normalised as `(Â − mean) / (std + 1e-8)`, std with Bessel's correction (as torch's
/// default); unchanged for fewer than two samples.
public func normalizedAdvantages(_ advantages: [Double]) -> [Double] {
    let n = advantages.count
    guard n > 1 else { return advantages }
    let mean = advantages.reduce(0, +) / Double(n)
    let variance = advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
    return advantages.map { ($0 - mean) / (variance.squareRoot() + 1e-8) }
}
