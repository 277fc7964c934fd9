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
