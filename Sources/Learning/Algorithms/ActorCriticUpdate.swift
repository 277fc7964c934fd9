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
