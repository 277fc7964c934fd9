import Environments

/// REINFORCE with a learned baseline (Williams 1992): the advantage is the Monte-Carlo return
/// minus V(s), i.e. GAE with λ = 1 (the discounted rewards to the episode's end, bootstrapped
/// from V only where the rollout cuts an episode), and one Adam step per batch on
/// `−mean(log π·Â) + c1·L_value − c2·H`, the value regressing on those returns.
public struct REINFORCEUpdate: UpdateRule {
    /// Adam over all parameters.
    public var optimizer: Adam<Float>

    public init(agent: ActorCritic<Float>) {
        optimizer = Adam(parameterCount: agent.parameters.count)
    }

    public var name: String { "reinforce" }
    public var advantageLambda: Double? { 1 }

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
