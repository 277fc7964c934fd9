/// A policy objective: the per-sample quantity each algorithm maximises, as a function of the
/// probability ratio r = π/π_old, the per-sample KL d = KL(π_old ‖ π) and the advantage Â,
/// with its partial derivatives (the shared update chains them through the policy and network).
///
/// A new first-order algorithm is one type conforming to this protocol plus one line in
/// ``PolicyObjectives``; ``FirstOrderUpdate`` runs it.
public protocol PolicyObjective: Sendable {
    /// Name used on the command line and in configs (e.g. `spo`).
    var name: String { get }
    /// f(r, d, Â), ∂f/∂r and ∂f/∂d. `firstMinibatch` is true on the first minibatch of the
    /// update's first epoch (where θ = θ_old and d = 0).
    func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    )
    /// Whether a minibatch step may run, given its mean KL before the step (PPO-EarlyStop stops the update).
    func allowsStep(meanKL: Double) -> Bool
    /// Called after each minibatch step with the minibatch's mean KL (PPO-Penalty adapts β).
    mutating func observe(meanKL: Double)
    /// Whether the ratio is clipped at r for Â (for the clip-fraction metric of PPO-style methods).
    func isClipped(ratio r: Double, advantage a: Double) -> Bool
    /// The adaptive coefficient β, for objectives that have one.
    var beta: Double? { get }
    /// Whether the objective's special case (its trigger) holds for this sample; logged as a fraction.
    func isTriggered(ratio r: Double, kl d: Double, advantage a: Double) -> Bool
    /// A differentiable function whose gradient is the one `evaluate` returns. It equals the
    /// value except where an objective stops a gradient (TR-PPO, TR-PPO-RB), where the stopped
    /// part is dropped; gradient checks difference this.
    func surrogate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> Double
    /// The state the objective carries from update to update (PPO-Penalty's β), for checkpoints;
    /// setting it restores the objective exactly. Empty for stateless objectives.
    var persistentState: [Double] { get set }
}

extension PolicyObjective {
    public func allowsStep(meanKL: Double) -> Bool { true }
    public mutating func observe(meanKL: Double) {}
    public func isClipped(ratio r: Double, advantage a: Double) -> Bool { false }
    public var beta: Double? { nil }
    public var persistentState: [Double] {
        get { [] }
        set {}
    }
    public func isTriggered(ratio r: Double, kl d: Double, advantage a: Double) -> Bool {
        isClipped(ratio: r, advantage: a)
    }
    public func surrogate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> Double {
        evaluate(ratio: r, kl: d, advantage: a, firstMinibatch: firstMinibatch).value
    }
}

@inline(__always) func sign(_ x: Double) -> Double { x > 0 ? 1 : (x < 0 ? -1 : 0) }

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

/// The first-order algorithms' objectives by name, each built from a training configuration (its
/// hyperparameters, and per-task defaults where the authors give them). A new first-order
/// algorithm is one objective type plus one line here; ``Algorithms`` lists every algorithm.
public enum PolicyObjectives {
    public static let constructors: [(name: String, make: @Sendable (TrainingConfiguration) -> any PolicyObjective)] = [
        ("spo", { SPOObjective(epsilon: $0.epsilon) }),
        ("ppo", { PPOClipObjective(epsilon: $0.epsilon) }),
        ("ppo-penalty", { PPOPenaltyObjective(klTarget: $0.klLimit) }),
        ("ppo-earlystop", { PPOEarlyStopObjective(epsilon: $0.epsilon, klThreshold: $0.klLimit) }),
        ("spo-kl", { SPOKLObjective(maxKL: $0.klLimit) }),
        ("ppo-rb", { PPORollbackObjective(configuration: $0) }),
        ("tr-ppo", { TRPPOObjective(configuration: $0) }),
        ("tr-ppo-rb", { TRPPORollbackObjective(configuration: $0) }),
        ("truly-ppo", { TrulyPPOObjective(configuration: $0) }),
    ]
    public static var names: [String] { constructors.map(\.name) }
    /// The objective `name` with `configuration`'s hyperparameters (defaults when omitted).
    public static func make(_ name: String, configuration: TrainingConfiguration = TrainingConfiguration()) -> (
        any PolicyObjective
    )? {
        constructors.first { $0.name == name }?.make(configuration)
    }
}
