import Environments

/// How one algorithm turns a rollout into new parameters: everything after GAE.
///
/// The trainer collects N·T samples, computes GAE advantages and returns, and hands the whole
/// batch to its rule. A rule keeps every piece of state it carries from update to update in
/// ``state`` (a Codable value, captured in checkpoints), and nothing elsewhere.
/// A new algorithm is one type conforming to this protocol plus one line in ``Algorithms``.
public protocol UpdateRule: Sendable {
    /// Name used on the command line and in configs (e.g. `trpo`).
    var name: String { get }
    /// The state carried across updates; setting it restores the rule exactly.
    var state: UpdateRuleState { get set }
    /// The GAE λ the rule's advantages are computed with instead of the configured one
    /// (REINFORCE: 1, Monte-Carlo returns); nil keeps the configuration's.
    var advantageLambda: Double? { get }
    /// Updates `agent` from one rollout: `batch` holds all N·T samples (time-major) with their
    /// advantages and returns. Fills `metrics`' learner columns (ratio deviation, KL, entropy,
    /// losses, fractions, β, epochs and minibatches, line search); `random` is the trainer's
    /// generator (minibatch shuffles draw from it).
    mutating func update(
        agent: inout ActorCritic<Float>, batch: Minibatch<Float>, context: UpdateContext,
        random: inout RandomGenerator, metrics: inout UpdateMetrics)
}

extension UpdateRule {
    public var advantageLambda: Double? { nil }
}
