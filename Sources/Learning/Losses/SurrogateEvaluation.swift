import Environments
import Foundation

/// The importance-weighted surrogate `mean r·Â` on a batch, with the ratio and KL statistics
/// of the current policy against the batch's old one, and optionally its gradient.
public struct SurrogateEvaluation: Sendable {
    /// mean over the batch of r·Â (r = π_θ/π_old; Â as given, e.g. normalised).
    public var surrogate = 0.0
    /// Mean and max of KL(π_old ‖ π_θ) (nats) and of |r − 1|.
    public var meanKL = 0.0
    public var maxKL = 0.0
    public var ratioDeviation = 0.0
    public var maxRatioDeviation = 0.0
    /// ∇ of the surrogate with respect to the policy parameters (actor | log-std), when asked.
    public var gradient: [Double] = []
}

extension ActorCritic {
    /// The surrogate `mean r·Â` at the current parameters on `batch`, with `advantages` in place
    /// of the batch's, and its gradient when `withGradient` (one actor forward pass, plus one
    /// backward pass for the gradient). At θ = θ_old the gradient is `mean Â·∇log π`. With a
    /// `pool`, the batch is split into the fixed ``shards`` computed in parallel and summed in order.
    public func surrogate(_ batch: Minibatch<Scalar>, advantages: [Double], withGradient: Bool, pool: WorkerPool? = nil)
        -> SurrogateEvaluation
    {
        surrogate(
            batch, advantages: advantages, withGradient: withGradient, pool: pool,
            shards: actorShards(batch, pool: pool))
    }

    /// Each shard's rows, observations and actor forward pass at the current parameters.
    func actorShards(_ batch: Minibatch<Scalar>, pool: WorkerPool?) -> [ActorShard<Scalar>] {
        shardedRows(batch.size, pool: pool) { rows in
            let observations = Array(
                batch.observations[(rows.lowerBound * observationSize)..<(rows.upperBound * observationSize)])
            return ActorShard(
                rows: rows, observations: observations,
                activations: actor.forward(parameters, input: observations, batch: rows.count))
        }
    }

    func surrogate(
        _ batch: Minibatch<Scalar>, advantages: [Double], withGradient: Bool, pool: WorkerPool?,
        shards: [ActorShard<Scalar>]
    ) -> SurrogateEvaluation {
        let parts = parallelMap(shards.count, pool: pool) {
            partialSurrogate(batch, shard: shards[$0], advantages: advantages, withGradient: withGradient)
        }
        var result = parts[0]
        for part in parts.dropFirst() {
            result.surrogate += part.surrogate
            result.meanKL += part.meanKL
            result.maxKL = Swift.max(result.maxKL, part.maxKL)
            result.ratioDeviation += part.ratioDeviation
            result.maxRatioDeviation = Swift.max(result.maxRatioDeviation, part.maxRatioDeviation)
            for i in result.gradient.indices { result.gradient[i] += part.gradient[i] }
        }
        return result
    }

    /// The surrogate terms of the samples in `rows` (scaled by 1/size of the whole batch).
    private func partialSurrogate(
        _ batch: Minibatch<Scalar>, shard: ActorShard<Scalar>, advantages: [Double], withGradient: Bool
    ) -> SurrogateEvaluation {
        let rows = shard.rows, observations = shard.observations, pass = shard.activations
        let n = rows.count, m = actionSize
        let scale = 1.0 / Double(batch.size)
        let means = pass.output
        let logStd = self.logStd
        let variance = logStd.map { PortableMath.exp(2 * $0) }
        let oldVariance = batch.oldLogStd.map { PortableMath.exp(2 * $0) }
        var result = SurrogateEvaluation()
        var meanGradient = [Scalar](repeating: 0, count: withGradient ? n * m : 0)
        var logStdGradient = [Double](repeating: 0, count: m)
        for k in 0..<n {
            let i = rows.lowerBound + k
            let (ratio, kl) = ratioAndKL(
                batch, sample: i, means: means, row: k, logStd: logStd, variance: variance, oldVariance: oldVariance)
            result.surrogate += ratio * advantages[i] * scale
            result.meanKL += kl * scale
            result.maxKL = Swift.max(result.maxKL, kl)
            result.ratioDeviation += abs(ratio - 1) * scale
            result.maxRatioDeviation = Swift.max(result.maxRatioDeviation, abs(ratio - 1))
            guard withGradient else { continue }
            // ∂(r·Â)/∂μ_j = r·Â·(a − μ)_j/σ_j²,
            // ∂(r·Â)/∂log σ_j = r·Â·((a − μ)_j²/σ_j² − 1).
            let weight = ratio * advantages[i] * scale
            for j in 0..<m {
                let z = batch.actions[i * m + j] - Double(pass.output[k * m + j])
                meanGradient[k * m + j] = Scalar(weight * z / variance[j])
                logStdGradient[j] += weight * (z * z / variance[j] - 1)
            }
        }
        if withGradient {
            var gradient = [Scalar](repeating: 0, count: actor.parameterCount)
            actor.backward(
                parameters, input: observations, activations: pass, outputGradient: meanGradient, gradient: &gradient)
            result.gradient = gradient.map(Double.init) + logStdGradient
        }
        return result
    }

    /// Moves the policy parameters (actor | log-std) to `base + fraction·step`; the critic's stay.
    mutating func setPolicyParameters(base: [Scalar], step: [Double], fraction: Double) {
        for i in 0..<criticOffset { parameters[i] = Scalar(Double(base[i]) + fraction * step[i]) }
    }
}

/// One shard's rows, their observations and the actor's forward pass on them.
struct ActorShard<Scalar: NetworkScalar>: Sendable {
    var rows: Range<Int>
    var observations: [Scalar]
    var activations: MLP<Scalar>.Activations
}
