import Environments
import Foundation

// The second-order machinery shared by `trpo` and `npg`: the importance-weighted surrogate and
// its gradient, exact Fisher-vector products, conjugate gradient and a backtracking line search.
// "Policy parameters" are the first `criticOffset` entries of the agent's flat parameters:
// the actor MLP's weights and biases, then the log-std vector.

extension MLP {
    /// Jacobian-vector product: the directional derivative of the outputs (batch × outputSize)
    /// along `tangent`, a direction in this network's parameter space (laid out as its
    /// parameters, from index 0), at the parameters of the forward pass `activations` on `input`.
    ///
    /// Forward mode through the layers: with h₋₁ = x the input (which does not move),
    /// `ż_l = ḣ_{l−1}·W_lᵀ + h_{l−1}·Ẇ_lᵀ + ḃ_l` and `ḣ_l = (1 − h_l²)·ż_l` through tanh; the
    /// output is ż of the last (linear) layer. Two GEMMs per layer, like a forward pass.
    public func jacobianVectorProduct(
        _ parameters: [Scalar], input: [Scalar], activations: Activations, tangent: [Scalar]
    ) -> [Scalar] {
        let batch = activations.batch
        var previousTangent: [Scalar] = []  // ḣ of the previous layer; empty for the input
        parameters.withUnsafeBufferPointer { p in
            tangent.withUnsafeBufferPointer { t in
                for l in 0..<layerCount {
                    let fanIn = sizes[l], fanOut = sizes[l + 1]
                    let weightTangent = t.baseAddress! + weightOffsets[l]
                    let biasTangent = weightTangent + fanOut * fanIn
                    var zTangent = [Scalar](repeating: 0, count: batch * fanOut)
                    zTangent.withUnsafeMutableBufferPointer { z in
                        for row in 0..<batch { for j in 0..<fanOut { z[row * fanOut + j] = biasTangent[j] } }
                        let x = l == 0 ? input : activations.outputs[l - 1]
                        x.withUnsafeBufferPointer { x in
                            Scalar.gemm(
                                transposeA: false, transposeB: true, m: batch, n: fanOut, k: fanIn,
                                a: x.baseAddress!, lda: fanIn, b: weightTangent, ldb: fanIn, accumulate: true,
                                c: z.baseAddress!, ldc: fanOut)
                        }
                        if l > 0 {
                            previousTangent.withUnsafeBufferPointer { h in
                                Scalar.gemm(
                                    transposeA: false, transposeB: true, m: batch, n: fanOut, k: fanIn,
                                    a: h.baseAddress!, lda: fanIn, b: p.baseAddress! + weightOffsets[l], ldb: fanIn,
                                    accumulate: true, c: z.baseAddress!, ldc: fanOut)
                            }
                        }
                        if l < layerCount - 1 {
                            let h = activations.outputs[l]
                            for i in 0..<(batch * fanOut) { z[i] *= 1 - h[i] * h[i] }
                        }
                    }
                    previousTangent = zTangent
                }
            }
        }
        return previousTangent
    }
}

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

/// Conjugate gradient for A·x = b with A symmetric positive definite, given only products A·v;
/// starts from x = 0 and stops after `iterations` or when ‖r‖² < `tolerance`.
public struct ConjugateGradient: Sendable {
    public var iterations: Int
    public var tolerance: Double

    public init(iterations: Int = 10, tolerance: Double = 1e-10) {
        self.iterations = iterations
        self.tolerance = tolerance
    }

    /// The approximate solution and the iterations run.
    public func solve(_ b: [Double], product: ([Double]) -> [Double]) -> (solution: [Double], iterations: Int) {
        var x = [Double](repeating: 0, count: b.count)
        var r = b, p = b
        var rr = dot(r, r)
        var run = 0
        while run < iterations && rr >= tolerance {
            let ap = product(p)
            let alpha = rr / dot(p, ap)
            for i in x.indices {
                x[i] += alpha * p[i]
                r[i] -= alpha * ap[i]
            }
            let next = dot(r, r)
            let beta = next / rr
            for i in p.indices { p[i] = r[i] + beta * p[i] }
            rr = next
            run += 1
        }
        return (x, run)
    }
}

/// Backtracking line search along a proposed step: tries the fractions 1, s, s², … (`tries` of
/// them, s = `shrink`) and accepts the first whose surrogate improves on the old one and whose
/// mean KL(π_old ‖ π) is at most `maxKL`; when none does, the step is rejected.
public struct BacktrackingLineSearch: Sendable {
    /// δ, the bound on the mean KL (nats).
    public var maxKL: Double
    public var shrink: Double
    public var tries: Int

    public init(maxKL: Double, shrink: Double = 0.5, tries: Int = 10) {
        self.maxKL = maxKL
        self.shrink = shrink
        self.tries = tries
    }

    /// The outcome: `backtracks` j of the accepted fraction sʲ (−1 when rejected), the fraction
    /// (0 when rejected), and the surrogate and mean KL of the last fraction tried.
    public struct Outcome: Sendable, Equatable {
        public var backtracks: Int
        public var fraction: Double
        public var surrogate: Double
        public var meanKL: Double
        public var accepted: Bool { backtracks >= 0 }
    }

    /// Searches from a surrogate `baseline` at the old parameters; `evaluate(fraction)` gives the
    /// surrogate and mean KL at the old parameters plus `fraction` times the step.
    public func search(baseline: Double, evaluate: (Double) -> (surrogate: Double, meanKL: Double)) -> Outcome {
        var fraction = 1.0
        var last = (surrogate: baseline, meanKL: 0.0)
        for j in 0..<tries {
            last = evaluate(fraction)
            if last.surrogate > baseline && last.meanKL <= maxKL {
                return Outcome(backtracks: j, fraction: fraction, surrogate: last.surrogate, meanKL: last.meanKL)
            }
            fraction *= shrink
        }
        return Outcome(backtracks: -1, fraction: 0, surrogate: last.surrogate, meanKL: last.meanKL)
    }
}

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

/// The value regression of the algorithms that train the critic on its own (`trpo`, `npg`):
/// E epochs of M shuffled minibatches of Adam steps on c1·L_value (clipped as configured),
/// with the critic's gradient norm clipped, at the update's learning rate; each minibatch is
/// sharded over the update's pool like the first-order loss.
public struct CriticRegression: Codable, Sendable {
    /// Adam over the critic's parameters only.
    public var optimizer: Adam<Float>

    public init(agent: ActorCritic<Float>) {
        optimizer = Adam(parameterCount: agent.critic.parameterCount)
    }

    /// Ends a natural-gradient update after its policy step: records the ratio deviation, KL and
    /// entropy measured after the step, then trains the critic and records its loss and steps.
    mutating func finishUpdate(
        agent: inout ActorCritic<Float>, batch: Minibatch<Float>, advantages: [Double], context: UpdateContext,
        afterStep: SurrogateEvaluation? = nil, random: inout RandomGenerator, metrics: inout UpdateMetrics
    ) {
        metrics.record(
            afterStep: afterStep
                ?? agent.surrogate(batch, advantages: advantages, withGradient: false, pool: context.pool),
            logStd: agent.logStd)
        let regression = train(agent: &agent, batch: batch, context: context, random: &random)
        metrics.valueLoss = regression.valueLoss
        metrics.epochsRun = context.configuration.epochs
        metrics.minibatchesRun = regression.steps
    }

    /// Trains the critic of `agent` on `batch`'s returns; returns the mean value loss over the
    /// minibatches (each measured before its step) and the number of minibatch steps.
    mutating func train(
        agent: inout ActorCritic<Float>, batch: Minibatch<Float>, context: UpdateContext, random: inout RandomGenerator
    ) -> (valueLoss: Double, steps: Int) {
        let c = context.configuration
        let start = agent.criticOffset
        var indices = Array(0..<batch.size)
        var total = 0.0, steps = 0
        for _ in 0..<c.epochs {
            indices.shuffle(using: &random)
            for m in 0..<c.minibatches {
                let minibatch = batch.rows(indices[(m * c.minibatchSize)..<((m + 1) * c.minibatchSize)])
                let current = agent
                let parts = shardedRows(minibatch.size, pool: context.pool) { rows in
                    var gradient = [Float](repeating: 0, count: current.parameters.count)
                    let size = current.observationSize
                    let observations = Array(
                        minibatch.observations[(rows.lowerBound * size)..<(rows.upperBound * size)])
                    let loss = current.valueTerm(
                        minibatch, rows: rows, observations: observations, settings: c.loss, gradient: &gradient)
                    return (loss: loss, gradient: Array(gradient[start...]))
                }
                var criticGradient = parts[0].gradient
                total += parts[0].loss
                for part in parts.dropFirst() {
                    total += part.loss
                    for i in criticGradient.indices { criticGradient[i] += part.gradient[i] }
                }
                clipGradientNorm(&criticGradient, maxNorm: c.maxGradientNorm)
                var criticParameters = Array(agent.parameters[start...])
                optimizer.update(&criticParameters, gradient: criticGradient, learningRate: context.learningRate)
                agent.parameters.replaceSubrange(start..., with: criticParameters)
                steps += 1
            }
        }
        return (total / Double(max(steps, 1)), steps)
    }
}

extension UpdateMetrics {
    /// Records the ratio and KL statistics, surrogate (as the policy loss −surrogate) and entropy
    /// of the policy after a single-step method's step.
    mutating func record(afterStep evaluation: SurrogateEvaluation, logStd: [Double]) {
        ratioDeviation = evaluation.ratioDeviation
        maxRatioDeviation = evaluation.maxRatioDeviation
        meanKL = evaluation.meanKL
        maxKL = evaluation.maxKL
        policyLoss = -evaluation.surrogate
        finalKL = evaluation.meanKL
        entropy = DiagonalGaussian.entropy(logStd: logStd)
    }
}

/// Runs `body` on the rows `0..<n` split into `shards` contiguous ranges (the fixed
/// ``ActorCritic/shards`` when a pool is given, one range otherwise), in parallel on `pool`,
/// and returns the results in range order: sums over them in that order do not depend on the
/// number of workers.
func shardedRows<T>(_ n: Int, pool: WorkerPool?, _ body: (Range<Int>) -> T) -> [T] {
    let count = pool == nil ? 1 : Swift.min(ActorCritic<Float>.shards, n)
    return parallelMap(count, pool: pool) { shard in body((shard * n / count)..<((shard + 1) * n / count)) }
}

/// `body(0..<count)` on `pool` (in order on the calling thread without one), results in index order.
func parallelMap<T>(_ count: Int, pool: WorkerPool?, _ body: (Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
        let parts = buffer  // each index writes only its own element
        func run(_ i: Int) { parts[i] = body(i) }
        if let pool { pool.forEach(count, run) } else { for i in 0..<count { run(i) } }
    }
    return results.map { $0! }
}

/// One shard's rows, their observations and the actor's forward pass on them.
struct ActorShard<Scalar: NetworkScalar>: Sendable {
    var rows: Range<Int>
    var observations: [Scalar]
    var activations: MLP<Scalar>.Activations
}

@inline(__always) func dot(_ a: [Double], _ b: [Double]) -> Double {
    var total = 0.0
    for i in a.indices { total += a[i] * b[i] }
    return total
}
