import Environments
import Foundation

// The second-order machinery shared by `trpo` and `npg`: the importance-weighted surrogate and
// its gradient (Losses/SurrogateEvaluation.swift), exact Fisher-vector products
// (FisherVectorProduct.swift), conjugate gradient and a backtracking line search
// (Optimization/ConjugateGradient.swift, Optimization/BacktrackingLineSearch.swift), and the
// critic's separate regression (CriticRegression.swift).
// "Policy parameters" are the first `criticOffset` entries of the agent's flat parameters:
// the actor MLP's weights and biases, then the log-std vector.

/// The natural-gradient direction of the surrogate on a batch: g = ∇ mean r·Â at θ_old,
/// x ≈ (F + λI)⁻¹g by conjugate gradient, and xᵀ(F + λI)x.
public struct NaturalGradientDirection: Sendable {
    /// The surrogate at θ_old (mean Â) and its gradient g.
    public var surrogate: Double
    public var gradient: [Double]
    /// x ≈ (F + λI)⁻¹g.
    public var direction: [Double]
    /// xᵀ(F + λI)x, the curvature along x (½ of it approximates the KL of the step x).
    public var curvature: Double
    /// ‖g − (F + λI)x‖ / ‖g‖.
    public var relativeResidual: Double

    /// Computes it for `agent` (at θ_old) on `batch` with `advantages`; F + λI with λ = `damping`;
    /// sharded over `pool` when given.
    public init<Scalar>(
        agent: ActorCritic<Scalar>, batch: Minibatch<Scalar>, advantages: [Double], damping: Double,
        solver: ConjugateGradient, pool: WorkerPool? = nil
    ) {
        let shards = agent.actorShards(batch, pool: pool)  // one actor forward pass for both
        let evaluation = agent.surrogate(batch, advantages: advantages, withGradient: true, pool: pool, shards: shards)
        let fisher = FisherVectorProduct(agent: agent, batch: batch, damping: damping, pool: pool, shards: shards)
        surrogate = evaluation.surrogate
        gradient = evaluation.gradient
        direction = solver.solve(gradient, product: fisher.callAsFunction).solution
        let fx = fisher(direction)
        curvature = dot(direction, fx)
        let gradientNorm = dot(gradient, gradient).squareRoot()
        relativeResidual =
            gradientNorm > 0
            ? zip(gradient, fx).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() / gradientNorm : 0
    }
}
