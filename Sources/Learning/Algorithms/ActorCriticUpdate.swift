import Environments

/// Vanilla actor-critic (A2C without its parallel-worker machinery): one Adam step per batch on
/// `−mean(log π·Â) + c1·L_value − c2·H` over the whole batch, with GAE advantages (normalised
/// over the batch when configured), gradient-norm clipping and the configured learning rate.
public struct ActorCriticUpdate: UpdateRule {
    /// Adam over all parameters.
    public var optimizer: Adam<Float>

    public init(agent: ActorCritic<Float>) {
        optimizer = Adam(parameterCount: agent.parameters.count)
    }

    public var name: String { "a2c" }

    public var state: UpdateRuleState {
        get { UpdateRuleState(optimizer: optimizer) }
        set { optimizer = newValue.optimizer }
    }

    public mutating func update(
        agent: inout ActorCritic<Float>, batch: Minibatch<Float>, context: UpdateContext,
        random: inout RandomGenerator, metrics: inout UpdateMetrics
    ) {
        policyGradientStep(agent: &agent, batch: batch, context: context, optimizer: &optimizer, metrics: &metrics)
    }
}

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

/// One Adam step of the vanilla policy gradient and the value regression on the whole batch
/// (``ActorCriticUpdate``, ``REINFORCEUpdate``). The losses are measured before the step; the
/// ratio deviation and KL after it.
func policyGradientStep(
    agent: inout ActorCritic<Float>, batch: Minibatch<Float>, context: UpdateContext,
    optimizer: inout Adam<Float>, metrics: inout UpdateMetrics
) {
    let c = context.configuration
    var result = agent.loss(
        batch, objective: PolicyGradientObjective(), settings: c.loss, firstMinibatch: true, pool: context.pool)
    clipGradientNorm(&result.gradient, maxNorm: c.maxGradientNorm)
    optimizer.update(&agent.parameters, gradient: result.gradient, learningRate: context.learningRate)
    // Only the ratio and KL statistics of this evaluation are kept (policyLoss is overwritten below).
    metrics.record(
        afterStep: agent.surrogate(batch, advantages: batch.advantages, withGradient: false, pool: context.pool),
        logStd: agent.logStd)
    metrics.policyLoss = result.policyLoss
    metrics.valueLoss = result.valueLoss
    metrics.epochsRun = 1
    metrics.minibatchesRun = 1
}
