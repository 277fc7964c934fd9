import Environments

/// Natural policy gradient (Kakade 2001): one step `θ ← θ + α·x` per batch, x ≈ (F + λI)⁻¹g by
/// conjugate gradient on exact Fisher-vector products (``NaturalGradientDirection``), with no
/// line search and no KL bound; the critic is trained separately (``CriticRegression``).
/// Its quadratic KL estimate is ½α²·xᵀ(F + λI)x, so α sets the size of every step.
public struct NaturalPolicyGradientUpdate: UpdateRule {
    /// α, the step size (dimensionless: the step is α·F⁻¹g).
    public var stepSize: Double
    public var damping: Double
    public var solver: ConjugateGradient
    public var critic: CriticRegression

    /// From the configuration: α = `naturalGradientStepSize` (0.5), λ = `fisherDamping` (0.1),
    /// `conjugateGradientIterations` (10).
    public init(configuration c: TrainingConfiguration, agent: ActorCritic<Float>) {
        stepSize = c.naturalGradientStepSize ?? 0.5
        damping = c.fisherDamping ?? 0.1
        solver = ConjugateGradient(iterations: c.conjugateGradientIterations ?? 10)
        critic = CriticRegression(agent: agent)
    }

    public var name: String { "npg" }

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
        agent.setPolicyParameters(base: agent.parameters, step: natural.direction, fraction: stepSize)
        metrics.stepSize = stepSize * dot(natural.direction, natural.direction).squareRoot()
        metrics.conjugateGradientResidual = natural.relativeResidual
        critic.finishUpdate(
            agent: &agent, batch: batch, advantages: advantages, context: context, random: &random, metrics: &metrics)
    }
}
