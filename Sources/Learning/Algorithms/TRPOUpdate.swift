import Environments

/// TRPO (Schulman et al. 2015): one policy step per batch that maximises the surrogate
/// `mean r·Â` subject to mean KL(π_old ‖ π) ≤ δ. The natural-gradient direction x ≈ (F + λI)⁻¹g
/// (``NaturalGradientDirection``: exact Fisher-vector products and conjugate gradient) is
/// scaled to the maximal step `sqrt(2δ / xᵀ(F + λI)x)·x`, whose quadratic KL estimate is δ,
/// then a ``BacktrackingLineSearch`` accepts the first fraction 1, ½, ¼, … that improves the
/// surrogate and keeps the measured mean KL ≤ δ, or keeps the old policy. The critic is then
/// trained separately (``CriticRegression``). Advantages are normalised over the whole batch
/// when the configuration normalises them.
public struct TRPOUpdate: UpdateRule {
    /// δ, the mean-KL bound (nats).
    public var maxKL: Double
    /// λ added to F.
    public var damping: Double
    public var solver: ConjugateGradient
    public var lineSearch: BacktrackingLineSearch
    public var critic: CriticRegression

    /// From the configuration: δ = `trustRegionDelta` (0.01), λ = `fisherDamping` (0.1),
    /// `conjugateGradientIterations` (10) and `lineSearchTries` (10, shrink 0.5).
    public init(configuration c: TrainingConfiguration, agent: ActorCritic<Float>) {
        maxKL = c.trustRegionDelta ?? 0.01
        damping = c.fisherDamping ?? 0.1
        solver = ConjugateGradient(iterations: c.conjugateGradientIterations ?? 10)
        lineSearch = BacktrackingLineSearch(maxKL: maxKL, shrink: 0.5, tries: c.lineSearchTries ?? 10)
        critic = CriticRegression(agent: agent)
    }

    public var name: String { "trpo" }

    public var state: UpdateRuleState {
        get { UpdateRuleState(optimizer: critic.optimizer) }
        set { critic.optimizer = newValue.optimizer }
    }

    public mutating func update(
        agent: inout ActorCritic<Float>, batch: Minibatch<Float>, context: UpdateContext,
        random: inout RandomGenerator, metrics: inout UpdateMetrics
    ) {
        let advantages = context.configuration.loss.advantages(batch.advantages)
        let natural = NaturalGradientDirection(
            agent: agent, batch: batch, advantages: advantages, damping: damping, solver: solver, pool: context.pool)
        let scale = natural.curvature > 0 ? (2 * maxKL / natural.curvature).squareRoot() : 0
        let step = natural.direction.map { scale * $0 }
        let old = agent.parameters
        var trial = agent
        var last: SurrogateEvaluation?
        let outcome = lineSearch.search(baseline: natural.surrogate) { fraction in
            trial.setPolicyParameters(base: old, step: step, fraction: fraction)
            let evaluation = trial.surrogate(batch, advantages: advantages, withGradient: false, pool: context.pool)
            last = evaluation
            return (evaluation.surrogate, evaluation.meanKL)
        }
        agent.setPolicyParameters(base: old, step: step, fraction: outcome.fraction)
        metrics.lineSearch = Double(outcome.backtracks)
        metrics.stepSize = outcome.fraction * dot(step, step).squareRoot()
        metrics.conjugateGradientResidual = natural.relativeResidual
        // Accepted: the line search's last evaluation was at exactly these parameters.
        critic.finishUpdate(
            agent: &agent, batch: batch, advantages: advantages, context: context,
            afterStep: outcome.accepted ? last : nil, random: &random, metrics: &metrics)
    }
}
