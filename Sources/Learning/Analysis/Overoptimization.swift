import Environments
import Foundation

// The over-optimisation experiment of SPO (ICML) (docs/overoptimization.md): train normally for
// a few updates, freeze one rollout batch, then optimise copies of that agent on the batch for
// many epochs with each objective and ε, measuring after every epoch how far the policy has
// moved from the batch's π_old and how much the surrogate gained.

/// The experiment's common start: the warmed-up agent and one frozen rollout batch of it.
public struct Overoptimization: Sendable {
    public let settings: OveroptimizationSettings
    /// The warmed-up agent, the batch's π_old, which every run starts a copy of.
    public let agent: ActorCritic<Float>
    /// The frozen batch: one rollout of N·T steps of the warmed-up agent, with its GAE
    /// advantages and returns, log-probabilities and means.
    public let batch: Minibatch<Float>
    /// The warm-up trainer's generator after the rollout (the one its next update would shuffle
    /// with); every run's minibatch shuffles draw from a copy, so all runs see the same order.
    public let shuffles: RandomGenerator
    /// Workers the loss and the measurements are sharded over, at most one per shard and per
    /// core; the fixed ``ActorCritic/shards`` keep the results the same for any number.
    private let pool = WorkerPool(
        workers: Swift.min(ActorCritic<Float>.shards, ProcessInfo.processInfo.activeProcessorCount))

    /// Trains `settings.warmup` for `settings.warmupUpdates` updates, reporting each update's
    /// metrics to `progress`, then collects and freezes one rollout.
    public init(settings: OveroptimizationSettings, progress: (UpdateMetrics) -> Void) throws {
        let problems = settings.problems()
        guard problems.isEmpty else { throw TrainingError.invalidConfiguration(problems) }
        self.settings = settings
        let trainer = try Trainer(configuration: settings.warmup)
        for _ in 0..<settings.warmupUpdates { progress(try trainer.step { _ in }) }
        batch = try trainer.collectRollout()
        agent = trainer.agent
        shuffles = trainer.checkpoint().random
    }

    /// Optimises a copy of the warmed-up agent on the frozen batch with `algorithm` at `epsilon`:
    /// a fresh Adam at the constant learning rate, `settings.epochs` epochs of shuffled
    /// minibatches, each step with the loss, gradient-norm clipping and objective of training
    /// (``FirstOrderUpdate``). Measures the policy on the whole batch after every epoch and
    /// reports each point to `progress`. Ends early only if the objective stops the update.
    public func run(algorithm: String, epsilon: Double, progress: (OveroptimizationPoint) -> Void)
        -> OveroptimizationRun
    {
        let configuration = settings.configuration(algorithm: algorithm, epsilon: epsilon)
        guard let objective = PolicyObjectives.make(algorithm, configuration: configuration) else {
            preconditionFailure("'\(algorithm)' is not a first-order objective; the settings' problems() says so")
        }
        var rule = FirstOrderUpdate(objective: objective, parameterCount: agent.parameters.count)
        var agent = self.agent, random = shuffles
        var indices = Array(0..<batch.size)
        let context = UpdateContext(configuration: configuration, learningRate: configuration.learningRate, pool: pool)
        let advantages = normalizedAdvantages(batch.advantages)
        var points: [OveroptimizationPoint] = []
        for epoch in 1...settings.epochs {
            var stepMetrics = UpdateMetrics()
            let completed = rule.runEpoch(
                agent: &agent, batch: batch, indices: &indices, firstEpoch: epoch == 1,
                context: context, random: &random, metrics: &stepMetrics)
            let point = agent.overoptimizationPoint(
                epoch: epoch, batch: batch, advantages: advantages, objective: rule.objective, pool: pool)
            points.append(point)
            progress(point)
            if !completed { break }
        }
        return OveroptimizationRun(algorithm: algorithm, epsilon: epsilon, points: points)
    }
}

extension ActorCritic {
    /// The over-optimisation measurements of the current policy on every sample of `batch`
    /// against its π_old, with `advantages` (normalised) for the surrogate and `objective`'s
    /// trigger. One actor forward pass, over the fixed shards when a `pool` is given.
    func overoptimizationPoint(
        epoch: Int, batch: Minibatch<Scalar>, advantages: [Double], objective: any PolicyObjective, pool: WorkerPool?
    ) -> OveroptimizationPoint {
        let scale = 1.0 / Double(batch.size)
        let logStd = self.logStd
        let variance = logStd.map { PortableMath.exp(2 * $0) }
        let oldVariance = batch.oldLogStd.map { PortableMath.exp(2 * $0) }
        let parts = shardedRows(batch.size, pool: pool) { rows in
            let observations = Array(
                batch.observations[(rows.lowerBound * observationSize)..<(rows.upperBound * observationSize)])
            let means = actor.forward(parameters, input: observations, batch: rows.count).output
            var part = OveroptimizationPoint(epoch: epoch)
            var triggered = 0
            for k in 0..<rows.count {
                let i = rows.lowerBound + k
                let (ratio, kl) = ratioAndKL(
                    batch, sample: i, means: means, row: k, logStd: logStd, variance: variance, oldVariance: oldVariance
                )
                part.meanKL += kl * scale
                part.ratioDeviation += abs(ratio - 1) * scale
                part.maxRatioDeviation = Swift.max(part.maxRatioDeviation, abs(ratio - 1))
                part.surrogate += ratio * advantages[i] * scale
                if objective.isTriggered(ratio: ratio, kl: kl, advantage: advantages[i]) { triggered += 1 }
            }
            part.triggerFraction = Double(triggered) * scale
            return part
        }
        var point = parts[0]
        for part in parts.dropFirst() {
            point.meanKL += part.meanKL
            point.ratioDeviation += part.ratioDeviation
            point.maxRatioDeviation = Swift.max(point.maxRatioDeviation, part.maxRatioDeviation)
            point.surrogate += part.surrogate
            point.triggerFraction += part.triggerFraction
        }
        return point
    }
}
