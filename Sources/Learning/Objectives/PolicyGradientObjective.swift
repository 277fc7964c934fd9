/// The policy-gradient objective `r·Â`: at θ = θ_old (r = 1) its gradient is `Â·∇log π`, the
/// REINFORCE / actor-critic gradient, so one step of it from θ_old is one vanilla step.
struct PolicyGradientObjective: PolicyObjective {
    var name: String { "policy-gradient" }
    func evaluate(ratio r: Double, kl d: Double, advantage a: Double, firstMinibatch: Bool) -> (
        value: Double, dRatio: Double, dKL: Double
    ) {
        (r * a, a, 0)
    }
}
