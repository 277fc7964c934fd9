import Environments
import Foundation

/// The agent's networks: a tanh-MLP actor giving the Gaussian mean, a state-independent
/// log-std vector, and a tanh-MLP critic giving V(s). All parameters live in one flat
/// array laid out as actor | log-std | critic, which the optimiser updates as a whole.
public struct ActorCritic<Scalar: NetworkScalar>: Sendable {
    public let actor: MLP<Scalar>
    public let critic: MLP<Scalar>
    public var parameters: [Scalar]

    public var actionSize: Int { actor.outputSize }
    public var observationSize: Int { actor.inputSize }
    public var logStdOffset: Int { actor.parameterCount }
    public var criticOffset: Int { actor.parameterCount + actionSize }

    /// Networks with the given hidden sizes, initialised as in the papers: orthogonal weights
    /// with gain √2 on hidden layers, 0.01 on the actor's output, 1 on the critic's; zero
    /// biases; log-std 0.
    public init(
        observationSize: Int, actionSize: Int, actorHidden: [Int], criticHidden: [Int], random: inout RandomGenerator
    ) {
        actor = MLP(sizes: [observationSize] + actorHidden + [actionSize])
        critic = MLP(sizes: [observationSize] + criticHidden + [1])
        let actorParameters = actor.initialParameters(hiddenGain: 2.0.squareRoot(), outputGain: 0.01, random: &random)
        let criticParameters = critic.initialParameters(hiddenGain: 2.0.squareRoot(), outputGain: 1, random: &random)
        parameters = actorParameters + [Scalar](repeating: 0, count: actionSize) + criticParameters
    }

    /// The current log standard deviations.
    public var logStd: [Double] { (0..<actionSize).map { Double(parameters[logStdOffset + $0]) } }

    /// Means of the policy for `batch` observations (batch × actionSize).
    public func means(_ observations: [Scalar], batch: Int) -> [Scalar] {
        actor.forward(parameters, input: observations, batch: batch).output
    }

    /// Values of `batch` observations.
    public func values(_ observations: [Scalar], batch: Int) -> [Scalar] {
        critic.forward(parameters, offset: criticOffset, input: observations, batch: batch).output
    }

    /// The actor and the critic packed for inference (``PackedMLP``): once per rollout, then shared
    /// by its workers. Their outputs have the bits of ``means(_:batch:)`` and ``values(_:batch:)``.
    public func packedNetworks() -> (actor: PackedMLP<Scalar>, critic: PackedMLP<Scalar>) {
        (actor.packed(parameters), critic.packed(parameters, offset: criticOffset))
    }
}

/// The loss settings shared by the first-order algorithms (docs/algorithms.md#loss).
public struct LossSettings: Codable, Sendable, Equatable {
    /// c1, the value-loss coefficient.
    public var valueCoefficient = 0.5
    /// c2, the entropy coefficient.
    public var entropyCoefficient = 0.0
    /// Clip the value loss around the old values with `valueClipEpsilon`.
    public var clipValueLoss = true
    public var valueClipEpsilon = 0.2
    /// Normalise advantages per minibatch: (Â − mean) / (std + 1e-8), std with Bessel's correction.
    public var normalizeAdvantages = true
    public init() {}

    /// The advantages the policy loss uses: normalised (``normalizedAdvantages(_:)``) when configured.
    func advantages(_ raw: [Double]) -> [Double] { normalizeAdvantages ? normalizedAdvantages(raw) : raw }
}

/// One minibatch of rollout data.
public struct Minibatch<Scalar: NetworkScalar>: Sendable {
    public var size: Int
    /// size × observationSize normalised observations.
    public var observations: [Scalar]
    /// size × actionSize unclipped sampled actions.
    public var actions: [Double]
    /// log π_old(a|s).
    public var oldLogProbabilities: [Double]
    /// size × actionSize means of π_old.
    public var oldMeans: [Double]
    /// Log-std of π_old (state-independent).
    public var oldLogStd: [Double]
    public var advantages: [Double]
    public var returns: [Double]
    public var oldValues: [Double]
}

/// The loss of one minibatch, its parts and its metrics, with the gradient of the loss.
public struct MinibatchLoss<Scalar: NetworkScalar>: Sendable {
    public var loss = 0.0
    public var policyLoss = 0.0
    public var valueLoss = 0.0
    public var entropy = 0.0
    /// Mean and max of KL(π_old ‖ π_θ) over the minibatch.
    public var meanKL = 0.0
    public var maxKL = 0.0
    /// Mean and max of |r − 1| over the minibatch.
    public var ratioDeviation = 0.0
    public var maxRatioDeviation = 0.0
    /// Fraction of samples whose ratio the objective clips.
    public var clipFraction = 0.0
    /// Fraction of samples whose objective's trigger held.
    public var triggerFraction = 0.0
    public var gradient: [Scalar] = []
}

extension ActorCritic {
    /// Shards a minibatch's loss is split into when a worker pool is given. Fixed, so that the
    /// summation order, and with it every result, does not depend on the number of cores.
    public static var shards: Int { 2 }

    /// `L = L_policy + c1·L_value − c2·H` on a minibatch and its gradient with respect to every
    /// parameter. With a `pool`, the minibatch is split into ``shards`` halves computed in
    /// parallel and summed.
    public func loss(
        _ batch: Minibatch<Scalar>, objective: any PolicyObjective, settings: LossSettings, firstMinibatch: Bool,
        pool: WorkerPool? = nil
    ) -> MinibatchLoss<Scalar> {
        let n = batch.size
        let advantages = settings.advantages(batch.advantages)
        let parts = shardedRows(n, pool: pool) { rows in
            partialLoss(
                batch, rows: rows, advantages: advantages, objective: objective, settings: settings,
                firstMinibatch: firstMinibatch)
        }
        var result = parts[0]
        for part in parts.dropFirst() {
            result.policyLoss += part.policyLoss
            result.valueLoss += part.valueLoss
            result.meanKL += part.meanKL
            result.maxKL = Swift.max(result.maxKL, part.maxKL)
            result.ratioDeviation += part.ratioDeviation
            result.maxRatioDeviation = Swift.max(result.maxRatioDeviation, part.maxRatioDeviation)
            result.clipFraction += part.clipFraction
            result.triggerFraction += part.triggerFraction
            for i in result.gradient.indices { result.gradient[i] += part.gradient[i] }
        }
        // Entropy: H = Σ (0.5 + 0.5 log 2π + log σ); −c2·H adds −c2 to each log-std gradient.
        result.entropy = DiagonalGaussian.entropy(logStd: logStd)
        for j in 0..<actionSize { result.gradient[logStdOffset + j] -= Scalar(settings.entropyCoefficient) }
        result.loss =
            result.policyLoss + settings.valueCoefficient * result.valueLoss - settings.entropyCoefficient
            * result.entropy
        return result
    }

    /// The policy and value terms of the samples in `rows` (scaled by 1/size of the whole
    /// minibatch) and their gradient.
    private func partialLoss(
        _ batch: Minibatch<Scalar>, rows: Range<Int>, advantages: [Double], objective: any PolicyObjective,
        settings: LossSettings, firstMinibatch: Bool
    ) -> MinibatchLoss<Scalar> {
        let n = rows.count, m = actionSize, obsSize = observationSize
        let scale = 1.0 / Double(batch.size)
        var result = MinibatchLoss<Scalar>()
        result.gradient = [Scalar](repeating: 0, count: parameters.count)
        let observations = Array(batch.observations[(rows.lowerBound * obsSize)..<(rows.upperBound * obsSize)])

        // Policy: ratio, KL, objective, and the gradient with respect to the means and log-std.
        let actorPass = actor.forward(parameters, input: observations, batch: n)
        let means = actorPass.output
        let logStd = self.logStd
        let variance = logStd.map { PortableMath.exp(2 * $0) }
        let oldVariance = batch.oldLogStd.map { PortableMath.exp(2 * $0) }
        var meanGradient = [Scalar](repeating: 0, count: n * m)
        var logStdGradient = [Double](repeating: 0, count: m)
        var clipped = 0, triggered = 0
        for k in 0..<n {
            let i = rows.lowerBound + k
            let (ratio, kl) = ratioAndKL(
                batch, sample: i, means: means, row: k, logStd: logStd, variance: variance, oldVariance: oldVariance)
            let f = objective.evaluate(ratio: ratio, kl: kl, advantage: advantages[i], firstMinibatch: firstMinibatch)
            result.policyLoss -= f.value * scale
            result.meanKL += kl * scale
            result.maxKL = Swift.max(result.maxKL, kl)
            result.ratioDeviation += abs(ratio - 1) * scale
            result.maxRatioDeviation = Swift.max(result.maxRatioDeviation, abs(ratio - 1))
            if objective.isClipped(ratio: ratio, advantage: advantages[i]) { clipped += 1 }
            if objective.isTriggered(ratio: ratio, kl: kl, advantage: advantages[i]) { triggered += 1 }
            // ∂L/∂r and ∂L/∂d of this sample (L = −mean f).
            let gRatio = -f.dRatio * scale * ratio  // through r = exp(log π − log π_old)
            let gKL = -f.dKL * scale
            for j in 0..<m {
                let mu = Double(means[k * m + j]), oldMu = batch.oldMeans[i * m + j]
                let z = batch.actions[i * m + j] - mu
                let difference = oldMu - mu
                meanGradient[k * m + j] = Scalar(gRatio * z / variance[j] + gKL * (-difference) / variance[j])
                logStdGradient[j] +=
                    gRatio * (z * z / variance[j] - 1) + gKL
                    * (1 - (oldVariance[j] + difference * difference) / variance[j])
            }
        }
        result.clipFraction = Double(clipped) * scale
        result.triggerFraction = Double(triggered) * scale
        for j in 0..<m { result.gradient[logStdOffset + j] = Scalar(logStdGradient[j]) }
        actor.backward(
            parameters, input: observations, activations: actorPass, outputGradient: meanGradient,
            gradient: &result.gradient)

        result.valueLoss = valueTerm(
            batch, rows: rows, observations: observations, settings: settings, gradient: &result.gradient)
        return result
    }

    /// The probability ratio π/π_old and KL(π_old ‖ π) of sample `i`, whose current means are row `k` of `means`.
    @inline(__always)
    func ratioAndKL(
        _ batch: Minibatch<Scalar>, sample i: Int, means: [Scalar], row k: Int, logStd: [Double], variance: [Double],
        oldVariance: [Double]
    ) -> (ratio: Double, kl: Double) {
        let m = actionSize
        var logProbability = 0.0, kl = 0.0
        for j in 0..<m {
            let mu = Double(means[k * m + j])
            logProbability += DiagonalGaussian.logDensity(
                deviation: batch.actions[i * m + j] - mu, variance: variance[j], logStd: logStd[j])
            kl += DiagonalGaussian.klTerm(
                logStd: logStd[j], oldLogStd: batch.oldLogStd[j], variance: variance[j], oldVariance: oldVariance[j],
                meanDifference: batch.oldMeans[i * m + j] - mu)
        }
        return (PortableMath.exp(logProbability - batch.oldLogProbabilities[i]), kl)
    }

    /// The value loss of the samples in `rows` (scaled by 1/size of the whole minibatch), clipped
    /// around the old values when enabled; adds c1 times its gradient to `gradient`'s critic part.
    /// `observations` are the rows' observations.
    func valueTerm(
        _ batch: Minibatch<Scalar>, rows: Range<Int>, observations: [Scalar], settings: LossSettings,
        gradient: inout [Scalar]
    ) -> Double {
        let n = rows.count
        let scale = 1.0 / Double(batch.size)
        var valueLoss = 0.0
        let criticPass = critic.forward(parameters, offset: criticOffset, input: observations, batch: n)
        var valueGradient = [Scalar](repeating: 0, count: n)
        let c1 = settings.valueCoefficient
        for k in 0..<n {
            let i = rows.lowerBound + k
            let v = Double(criticPass.output[k]), target = batch.returns[i], old = batch.oldValues[i]
            let unclippedError = v - target
            if settings.clipValueLoss {
                let delta = v - old
                let clippedDelta = Swift.min(Swift.max(delta, -settings.valueClipEpsilon), settings.valueClipEpsilon)
                let clippedError = old + clippedDelta - target
                if unclippedError * unclippedError >= clippedError * clippedError {
                    valueLoss += 0.5 * unclippedError * unclippedError * scale
                    valueGradient[k] = Scalar(c1 * unclippedError * scale)
                } else {
                    valueLoss += 0.5 * clippedError * clippedError * scale
                    let inside = abs(delta) < settings.valueClipEpsilon
                    valueGradient[k] = Scalar(inside ? c1 * clippedError * scale : 0)
                }
            } else {
                valueLoss += 0.5 * unclippedError * unclippedError * scale
                valueGradient[k] = Scalar(c1 * unclippedError * scale)
            }
        }
        critic.backward(
            parameters, offset: criticOffset, input: observations, activations: criticPass,
            outputGradient: valueGradient, gradient: &gradient)
        return valueLoss
    }
}

/// Advantages normalised as `(Â − mean) / (std + 1e-8)`, std with Bessel's correction (as torch's
/// default); unchanged for fewer than two samples.
public func normalizedAdvantages(_ advantages: [Double]) -> [Double] {
    let n = advantages.count
    guard n > 1 else { return advantages }
    let mean = advantages.reduce(0, +) / Double(n)
    let variance = advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
    return advantages.map { ($0 - mean) / (variance.squareRoot() + 1e-8) }
}
