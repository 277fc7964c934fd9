import Environments
import Foundation

/// Exact Fisher-vector products F·v of the diagonal Gaussian policy on a batch of observations,
/// at the agent's current parameters, without forming F (dimension: the policy parameters).
///
/// F is the Hessian at θ_old of the mean KL(π_old ‖ π_θ) over the batch. For the policy
/// N(μ_θ(s), diag σ²) with a state-independent log-std ℓ (σ = e^ℓ), the per-sample KL is
/// Σ_j ℓ_j − ℓ_old,j + (σ_old,j² + (μ_old,j − μ_j)²)/(2σ_j²) − ½. Its second derivatives at
/// θ = θ_old are: with respect to the mean parameters `J_sᵀ diag(1/σ²) J_s` (J_s = ∂μ(s)/∂θ,
/// the actor's Jacobian; the term with ∂²μ vanishes because μ − μ_old = 0); with respect to
/// ℓ_j, `∂²/∂ℓ_j² [ℓ_j + σ_old,j² e^{−2ℓ_j}/2] = 2σ_old,j²/σ_j² = 2`; and the cross terms are
/// proportional to μ − μ_old = 0. So F = blockdiag(mean_s J_sᵀ diag(1/σ²) J_s, 2·I), which is
/// also the Fisher information E[∇log π ∇log πᵀ] of the Gaussian.
///
/// F·v for v = (v_θ, v_ℓ): one Jacobian-vector product u_s = J_s·v_θ through the actor (forward
/// mode, ``MLP/jacobianVectorProduct(_:input:activations:tangent:)``), scaled to
/// u_s/(σ²·N), then one backward pass, which computes Σ_s J_sᵀ(·); the log-std block is 2·v_ℓ.
/// `damping` λ is added: the product is (F + λI)·v, which keeps F + λI positive definite for
/// conjugate gradient (F is singular whenever the batch has fewer samples × action dimensions
/// than the actor has parameters) and bounds the step in directions of tiny curvature.
public struct FisherVectorProduct<Scalar: NetworkScalar>: @unchecked Sendable {
    public let agent: ActorCritic<Scalar>
    public let batch: Minibatch<Scalar>
    /// λ ≥ 0 added to F's diagonal.
    public let damping: Double
    /// Splits the batch into the fixed ``ActorCritic/shards`` computed in parallel when given.
    public let pool: WorkerPool?
    /// Each shard's rows, observations and forward pass at the current parameters.
    private let shards: [ActorShard<Scalar>]
    private let inverseVariance: [Double]

    /// Products at `agent`'s current parameters over `batch`'s observations.
    public init(agent: ActorCritic<Scalar>, batch: Minibatch<Scalar>, damping: Double, pool: WorkerPool? = nil) {
        self.init(
            agent: agent, batch: batch, damping: damping, pool: pool, shards: agent.actorShards(batch, pool: pool))
    }

    init(
        agent: ActorCritic<Scalar>, batch: Minibatch<Scalar>, damping: Double, pool: WorkerPool?,
        shards: [ActorShard<Scalar>]
    ) {
        self.agent = agent
        self.batch = batch
        self.damping = damping
        self.pool = pool
        self.shards = shards
        inverseVariance = agent.logStd.map { PortableMath.exp(-2 * $0) }
    }

    /// The number of policy parameters (actor | log-std), the length of v.
    public var dimension: Int { agent.criticOffset }

    /// (F + λI)·v.
    public func callAsFunction(_ v: [Double]) -> [Double] {
        let actor = agent.actor, m = agent.actionSize, n = batch.size
        let tangent = v[0..<actor.parameterCount].map { Scalar($0) }
        let parts = parallelMap(shards.count, pool: pool) { index in
            let shard = shards[index]
            let u = actor.jacobianVectorProduct(
                agent.parameters, input: shard.observations, activations: shard.activations, tangent: tangent)
            var weighted = [Scalar](repeating: 0, count: shard.rows.count * m)
            for k in 0..<shard.rows.count {
                for j in 0..<m { weighted[k * m + j] = Scalar(Double(u[k * m + j]) * inverseVariance[j] / Double(n)) }
            }
            var product = [Scalar](repeating: 0, count: actor.parameterCount)
            actor.backward(
                agent.parameters, input: shard.observations, activations: shard.activations, outputGradient: weighted,
                gradient: &product)
            return product
        }
        var result = [Double](repeating: 0, count: dimension)
        for i in 0..<actor.parameterCount {
            var total = 0.0
            for part in parts { total += Double(part[i]) }
            result[i] = total + damping * v[i]
        }
        for i in actor.parameterCount..<dimension { result[i] = (2 + damping) * v[i] }
        return result
    }
}
