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
