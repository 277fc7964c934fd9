import Environments
import Foundation

// The over-optimisation experiment of SPO (ICML) (docs/overoptimization.md): train normally for
// a few updates, freeze one rollout batch, then optimise copies of that agent on the batch for
// many epochs with each objective and ε, measuring after every epoch how far the policy has
// moved from the batch's π_old and how much the surrogate gained.

/// The settings of the over-optimisation experiment; every other setting is the warm-up
/// configuration's (the papers' defaults).
public struct OveroptimizationSettings: Sendable, Equatable {
    /// The warm-up's training settings: `spo` with the papers' defaults. Its task, seed, actor,
    /// environments and horizon are the experiment's, and its loss settings and gradient-norm
    /// limit are every run's.
    public var warmup = TrainingConfiguration()
    /// Normal updates trained before the batch is collected (0: the initial agent).
    public var warmupUpdates = 10
    /// The objectives that optimise the batch, names of ``PolicyObjectives``.
    public var algorithms = ["spo", "ppo"]
    /// The ratio ε values (the configuration's `epsilon`); every algorithm runs with each.
    public var epsilons = [0.1, 0.2, 0.3]
    /// Epochs over the frozen batch in every run.
    public var epochs = 1000
    /// Minibatches per epoch (the papers' 4; 1 is full-batch gradient descent).
    public var minibatches = TrainingConfiguration().minibatches
    /// Adam's learning rate, constant through the runs (the papers' initial rate).
    public var learningRate = TrainingConfiguration().learningRate

    public init() {}

    /// Every problem with these settings, each naming the setting and the value.
    public func problems() -> [String] {
        var problems: [String] = []
        if !EnvironmentRegistry.ids.contains(warmup.task) {
            problems.append(
                "unknown task '\(warmup.task)'; valid tasks: \(EnvironmentRegistry.ids.joined(separator: ", "))")
        }
        problems += warmup.problems()
        let valid = "valid algorithms (the first-order objectives): \(PolicyObjectives.names.joined(separator: ", "))"
        if algorithms.isEmpty { problems.append("no algorithm given; \(valid)") }
        for name in algorithms where !PolicyObjectives.names.contains(name) {
            let reason =
                Algorithms.names.contains(name)
                ? "'\(name)' is not a first-order objective" : "unknown algorithm '\(name)'"
            problems.append("\(reason); \(valid)")
        }
        if Set(algorithms).count < algorithms.count {
            problems.append("an algorithm is given twice: \(algorithms.joined(separator: ","))")
        }
        if epsilons.isEmpty { problems.append("no epsilon given") }
        for epsilon in epsilons where !(epsilon > 0 && epsilon.isFinite) {
            problems.append("epsilon must be positive, got \(epsilon)")
        }
        if Set(epsilons).count < epsilons.count {
            problems.append("an epsilon is given twice: \(epsilons.map { "\($0)" }.joined(separator: ","))")
        }
        if warmupUpdates < 0 { problems.append("warm-up updates must not be negative, got \(warmupUpdates)") }
        if epochs < 1 { problems.append("epochs must be at least 1, got \(epochs)") }
        if minibatches < 1 {
            problems.append("minibatches must be at least 1, got \(minibatches)")
        } else if warmup.environments >= 1, warmup.horizon >= 1, warmup.batchSize % minibatches != 0 {
            problems.append(
                "batch size \(warmup.batchSize) (environments × horizon) "
                    + "is not divisible by minibatches \(minibatches)"
            )
        }
        if !(learningRate > 0) { problems.append("learning rate must be positive, got \(learningRate)") }
        return problems
    }

    /// The configuration of the run of `algorithm` at `epsilon`: the warm-up's, with that
    /// algorithm and ε, this experiment's minibatches and a constant learning rate.
    public func configuration(algorithm: String, epsilon: Double) -> TrainingConfiguration {
        var configuration = warmup
        configuration.algorithm = algorithm
        configuration.epsilon = epsilon
        configuration.minibatches = minibatches
        configuration.learningRate = learningRate
        configuration.decayLearningRate = false
        return configuration
    }
}

/// The policy after `epoch` epochs on the frozen batch, compared over all the batch's samples
/// with the batch's policy π_old.
public struct OveroptimizationPoint: Sendable, Equatable {
    /// Epochs run on the frozen batch (from 1).
    public var epoch: Int
    /// Mean over the batch of KL(π_old(·|s) ‖ π(·|s)) in nats (summed over action dimensions).
    public var meanKL = 0.0
    /// Mean and maximum over the batch of |r − 1|, r = π(a|s)/π_old(a|s).
    public var ratioDeviation = 0.0
    public var maxRatioDeviation = 0.0
    /// The surrogate objective: the mean over the batch of r·Â, Â the batch's GAE advantages
    /// normalised over the whole batch (mean 0, sample standard deviation 1).
    public var surrogate = 0.0
    /// Fraction of the batch's samples whose objective's trigger holds (for spo and ppo
    /// |r − 1| > ε; see `PolicyObjective.isTriggered`), with the same normalised advantages.
    public var triggerFraction = 0.0
}

/// One algorithm and ε of the experiment: its measurement after each epoch. Fewer than the
/// configured epochs when the objective stopped the optimisation (PPO-EarlyStop).
public struct OveroptimizationRun: Sendable, Equatable {
    /// The objective's name in ``PolicyObjectives``.
    public var algorithm: String
    /// The configuration's ratio ε (unused by objectives without one).
    public var epsilon: Double
    /// The measurements after epochs 1, 2, … in order.
    public var points: [OveroptimizationPoint]
}

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
