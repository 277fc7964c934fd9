import Dispatch
import Environments
import Foundation

/// On-policy training of a Gaussian actor-critic with one of the algorithms, as in the
/// authors' CleanRL-derived script: N wrapped environments, T-step rollouts, GAE, then the
/// algorithm's ``UpdateRule`` (for the first-order ones E epochs of M shuffled minibatches with
/// Adam, gradient clipping and linear LR decay).
public final class Trainer {
    public let configuration: TrainingConfiguration
    public private(set) var agent: ActorCritic<Float>
    public private(set) var wrappers: [TrainingWrappers]
    /// The algorithm's update and its state.
    private var rule: any UpdateRule
    private var random: RandomGenerator
    private let vector: VectorEnvironment
    /// Workers of the update (the minibatch's fixed shards run in parallel): the configuration's
    /// `workers`, at most one per shard and per core. Always a pool, even of one worker, so the
    /// shards, and with them the results, are the same for any number of workers.
    private let updatePool: WorkerPool
    private var observations: [Double]
    public private(set) var globalStep = 0
    public private(set) var update = 0

    public convenience init(configuration: TrainingConfiguration) throws {
        try self.init(configuration: configuration, capWorkersAtCores: true)
    }

    /// A trainer whose environment workers are not capped at the core count when
    /// `capWorkersAtCores` is false (tests: more groups of environments than cores).
    init(configuration: TrainingConfiguration, capWorkersAtCores: Bool) throws {
        let problems = configuration.problems()
        guard problems.isEmpty else { throw TrainingError.invalidConfiguration(problems) }
        self.configuration = configuration
        updatePool = WorkerPool(
            workers: Swift.min(
                ActorCritic<Float>.shards, configuration.workers, ProcessInfo.processInfo.activeProcessorCount))
        vector = try VectorEnvironment(
            id: configuration.task, options: configuration.taskOptions ?? [:], count: configuration.environments,
            workers: configuration.workers, capWorkersAtCores: capWorkersAtCores)
        let spec = vector.spec
        random = RandomGenerator(seed: configuration.seed)
        agent = ActorCritic(
            observationSize: spec.observationSize, actionSize: spec.actionSize,
            actorHidden: configuration.actorHidden, criticHidden: configuration.criticHidden, random: &random)
        guard let rule = Algorithms.make(configuration.algorithm, configuration: configuration, agent: agent) else {
            throw TrainingError.invalidConfiguration(["algorithm '\(configuration.algorithm)' is unknown"])
        }
        self.rule = rule
        wrappers = Array(
            repeating: TrainingWrappers(observationSize: spec.observationSize, gamma: configuration.gamma),
            count: configuration.environments)
        observations = vector.reset(seed: configuration.seed)
        let size = spec.observationSize
        observations.withUnsafeMutableBufferPointer { all in
            for i in 0..<configuration.environments {
                wrappers[i].reset(observation: UnsafeMutableBufferPointer(rebasing: all[(i * size)..<((i + 1) * size)]))
            }
        }
    }

    /// Resumes training from a checkpoint: the next `step` continues exactly as the trainer
    /// that made the checkpoint would have (bit-identical metrics, episodes and parameters).
    /// `workers` may differ from the checkpoint's (results do not depend on it).
    public convenience init(checkpoint: TrainerCheckpoint, workers: Int? = nil) throws {
        try self.init(checkpoint: checkpoint, workers: workers, capWorkersAtCores: true)
    }

    /// ``init(checkpoint:workers:)`` with the environment workers capped as in
    /// ``init(configuration:capWorkersAtCores:)``.
    convenience init(checkpoint: TrainerCheckpoint, workers: Int?, capWorkersAtCores: Bool) throws {
        var configuration = checkpoint.configuration
        if let workers { configuration.workers = workers }
        try self.init(configuration: configuration, capWorkersAtCores: capWorkersAtCores)
        var problems = checkpoint.problems(
            observationSize: vector.spec.observationSize, actionSize: vector.spec.actionSize)
        let expected = rule.state
        if checkpoint.optimizer.firstMoment.count != expected.optimizer.firstMoment.count {
            problems.append(
                "optimizer.firstMoment: \(configuration.algorithm) needs "
                    + "\(expected.optimizer.firstMoment.count) values, got \(checkpoint.optimizer.firstMoment.count)"
            )
        }
        if checkpoint.objectiveState.count != expected.objectiveState.count {
            problems.append(
                "objectiveState: \(configuration.algorithm) needs \(expected.objectiveState.count) values, "
                    + "got \(checkpoint.objectiveState.count)"
            )
        }
        if let problem = problems.first { throw TrainingError.invalidCheckpoint(problem) }
        agent.parameters = checkpoint.parameters.values
        rule.state = UpdateRuleState(
            optimizer: checkpoint.optimizer, objectiveState: checkpoint.objectiveState,
            adaptiveLearningRate: checkpoint.adaptiveLearningRate)
        random = checkpoint.random
        wrappers = checkpoint.wrappers
        observations = checkpoint.observations
        do {
            try vector.restore(checkpoint.environments, observations: checkpoint.observations)
        } catch {
            throw TrainingError.invalidCheckpoint("its environments do not restore: \(error)")
        }
        globalStep = checkpoint.globalStep
        update = checkpoint.update
    }

    /// Everything needed to continue this run bit-identically, taken between updates.
    public func checkpoint() -> TrainerCheckpoint {
        TrainerCheckpoint(
            configuration: configuration, update: update, globalStep: globalStep,
            parameters: PackedArray(agent.parameters), optimizer: rule.state.optimizer,
            objectiveState: rule.state.objectiveState, adaptiveLearningRate: rule.state.adaptiveLearningRate,
            random: random, wrappers: wrappers,
            environments: vector.captureStates(), observations: observations)
    }

    /// The groups of environments the rollout's workers drive, one worker each.
    var rolloutGroups: [Range<Int>] { vector.groups }

    /// Whether all updates have run.
    public var isFinished: Bool { update >= configuration.updates }

    /// Runs one rollout and one update; reports finished episodes and returns the update's metrics.
    /// Throws ``Divergence`` when the update's losses, KL, entropy or parameters are not finite,
    /// keeping the parameters from before it (the run cannot continue; save or record it).
    public func step(episodes: (EpisodeRecord) -> Void) throws -> UpdateMetrics {
        update += 1
        var metrics = UpdateMetrics()
        metrics.update = update
        let rolloutStart = DispatchTime.now().uptimeNanoseconds
        let physicsStart = vector.physicsSeconds
        let rollout: Minibatch<Float>
        do { rollout = try collectRollout(metrics: &metrics, episodes: episodes) } catch let error as EnvironmentError {
            // Finite parameters whose policy's outputs overflow: the run diverged at the last update.
            guard case let .badVectorAction(_, box) = error, case let .nonFiniteAction(_, _, value) = box.error else {
                throw error
            }
            throw Divergence(update: update, quantity: "action", value: "\(value)")
        }
        metrics.physicsSeconds = vector.physicsSeconds - physicsStart
        let previous = (parameters: agent.parameters, state: rule.state)
        learn(from: rollout, metrics: &metrics, rolloutStart: rolloutStart)
        if let divergence = Divergence.check(metrics, parameters: agent.parameters) {
            // The update ran away: its parameters are discarded before anything uses them.
            agent.parameters = previous.parameters
            rule.state = previous.state
            throw divergence
        }
        return metrics
    }

    /// One rollout of N·T steps with the current policy, without an update: the whole batch
    /// (time-major) with its GAE advantages and returns, π_old's log-probabilities and means. The
    /// environments advance (``globalStep`` counts the steps); the agent and ``update`` do not.
    public func collectRollout() throws -> Minibatch<Float> {
        var metrics = UpdateMetrics()
        return try collectRollout(metrics: &metrics) { _ in }
    }

    /// The rollout of ``step(episodes:)``: fills `metrics`' episode columns and reports finished episodes.
    ///
    /// Each worker of the vector environment drives its own group of environments through the
    /// whole horizon (``RolloutWorker``), and the workers meet once, at the end. Every number is
    /// the step-by-step loop's: the noise is drawn first in that loop's order, a network's output
    /// rows do not depend on the other rows of its batch, each environment and its wrappers only
    /// see their own steps, and the episodes are reported afterwards in step and environment order.
    private func collectRollout(metrics: inout UpdateMetrics, episodes: (EpisodeRecord) -> Void) throws -> Minibatch<
        Float
    > {
        let c = configuration
        let n = c.environments, horizon = c.horizon
        let spec = vector.spec
        let obsSize = spec.observationSize
        // Where the rollout starts, to replay it up to a step the environments reject (below).
        let start = (
            random: random, wrappers: wrappers, observations: observations, environments: vector.captureStates()
        )
        let buffers = RolloutBuffers(rows: n * horizon, observationSize: obsSize, actionSize: spec.actionSize)
        let groups = runWorkers(steps: horizon, noiseSteps: horizon, buffers: buffers)
        if let failure = groups.compactMap(\.failure).min(by: { $0.row < $1.row }) {
            // The step-by-step loop stopped at the first rejected step, before any environment took
            // it; the workers of the others went on. Replaying the steps before it from the start
            // (drawing the noise of the rejected step too) leaves everything as that loop left it.
            random = start.random
            wrappers = start.wrappers
            observations = start.observations
            try vector.restore(start.environments, observations: start.observations)
            let steps = failure.row / n
            let replay = runWorkers(steps: steps, noiseSteps: steps + 1, buffers: buffers)
            _ = report(replay, steps: steps, episodes: episodes)
            if let failure = replay.compactMap(\.failure).first { throw failure.error }
            throw failure.error
        }
        let (returns, lengths) = report(groups, steps: horizon, episodes: episodes)
        if !returns.isEmpty {
            metrics.episodicReturn = returns.reduce(0, +) / Double(returns.count)
            metrics.episodeLength = lengths.reduce(0, +) / Double(lengths.count)
            metrics.episodesFinished = returns.count
        }
        let batch = n * horizon
        let logStd = agent.logStd
        let bufferRewards = buffers.rewards.array, bufferValues = buffers.values.array
        let bufferEnded = buffers.ended.array

        // GAE per environment, bootstrapped from the value of the observation after the rollout.
        let bootstrap = agent.values(observations.map { Float($0) }, batch: n)
        var advantages = [Double](repeating: 0, count: batch), targets = [Double](repeating: 0, count: batch)
        for i in 0..<n {
            let rows = (0..<horizon).map { $0 * n + i }
            let gae = generalizedAdvantages(
                rewards: rows.map { bufferRewards[$0] }, values: rows.map { bufferValues[$0] },
                episodeEnded: rows.map { bufferEnded[$0] }, bootstrapValue: Double(bootstrap[i]),
                gamma: c.gamma, lambda: rule.advantageLambda ?? c.gaeLambda)
            for (k, row) in rows.enumerated() {
                advantages[row] = gae.advantages[k]
                targets[row] = gae.returns[k]
            }
        }
        return Minibatch<Float>(
            size: batch, observations: buffers.observations.array, actions: buffers.actions.array,
            oldLogProbabilities: buffers.logProbabilities.array,
            oldMeans: buffers.means.array, oldLogStd: logStd, advantages: advantages, returns: targets,
            oldValues: bufferValues
        )
    }

    /// `steps` steps of every environment with the current policy, each worker of the vector
    /// environment driving its own group, into `buffers`; the noise of `noiseSteps` steps is
    /// drawn first, advancing ``random`` as the step-by-step loop did. Returns each group's result.
    private func runWorkers(steps: Int, noiseSteps: Int, buffers: RolloutBuffers) -> [RolloutGroupResult] {
        let count = noiseSteps * configuration.environments * vector.spec.actionSize
        var noise = [Float]()
        noise.reserveCapacity(count)
        for _ in 0..<count { noise.append(Float(random.standardNormal())) }
        let policy = RolloutPolicy(agent: agent, noise: noise, actionSpace: vector.spec.actionSpace)
        var results = [RolloutGroupResult](repeating: RolloutGroupResult(), count: vector.groups.count)
        let vector = self.vector
        wrappers.withUnsafeMutableBufferPointer { wrappers in
            observations.withUnsafeMutableBufferPointer { observations in
                results.withUnsafeMutableBufferPointer { results in
                    let worker = RolloutWorker(
                        vector: vector, policy: policy, buffers: buffers, wrappers: wrappers,
                        observations: observations)
                    vector.forEachGroup { group, environments in
                        results[group] = worker.run(environments, steps: steps)
                    }
                }
            }
        }
        return results
    }

    /// Reports the episodes that finished in the first `steps` steps of `groups`, in step and
    /// environment order, each with the global step after its step, and advances ``globalStep``
    /// past them. Returns their raw returns and lengths in that order.
    private func report(_ groups: [RolloutGroupResult], steps: Int, episodes: (EpisodeRecord) -> Void) -> (
        returns: [Double], lengths: [Double]
    ) {
        let n = configuration.environments, start = globalStep
        var returns: [Double] = [], lengths: [Double] = []
        for (row, episode) in groups.flatMap(\.episodes).sorted(by: { $0.row < $1.row }) {
            returns.append(Double(episode.episodeReturn))
            lengths.append(Double(episode.length))
            globalStep = start + (row / n + 1) * n  // as the step-by-step loop had counted at that step
            episodes(
                EpisodeRecord(globalStep: globalStep, episodeReturn: episode.episodeReturn, length: episode.length))
        }
        globalStep = start + steps * n
        return (returns, lengths)
    }

    /// The update of ``step(episodes:)`` on `rollout`: the algorithm's rule at this update's
    /// learning rate, then the remaining metrics and the timing since `rolloutStart`.
    private func learn(from rollout: Minibatch<Float>, metrics: inout UpdateMetrics, rolloutStart: UInt64) {
        let c = configuration
        let updateStart = DispatchTime.now().uptimeNanoseconds
        metrics.rolloutSeconds = Double(updateStart - rolloutStart) * 1e-9

        // The algorithm's update on the whole batch.
        let learningRate =
            c.decayLearningRate
            ? linearlyDecayedLearningRate(c.learningRate, update: update, updates: c.updates) : c.learningRate
        metrics.learningRate = learningRate
        rule.update(
            agent: &agent, batch: rollout,
            context: UpdateContext(configuration: c, learningRate: learningRate, pool: updatePool),
            random: &random, metrics: &metrics)
        metrics.explainedVariance = explainedVariance(predicted: rollout.oldValues, targets: rollout.returns)
        metrics.globalStep = globalStep
        metrics.updateSeconds = Double(DispatchTime.now().uptimeNanoseconds - updateStart) * 1e-9
        if metrics.finalKL.isNaN {  // the single-step rules measured it after their step
            metrics.finalKL =
                agent.surrogate(rollout, advantages: rollout.advantages, withGradient: false, pool: updatePool).meanKL
        }
        metrics.stepsPerSecond = Double(rollout.size) / (metrics.rolloutSeconds + metrics.updateSeconds)
    }

    /// The trained agent, for saving.
    public func savedAgent() -> SavedAgent {
        SavedAgent(
            configuration: configuration, actorSizes: agent.actor.sizes, criticSizes: agent.critic.sizes,
            parameters: agent.parameters, wrappers: wrappers, globalStep: globalStep)
    }
}
