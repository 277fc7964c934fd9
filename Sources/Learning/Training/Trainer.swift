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

    public init(configuration: TrainingConfiguration) throws {
        let problems = configuration.problems()
        guard problems.isEmpty else { throw TrainingError.invalidConfiguration(problems) }
        self.configuration = configuration
        updatePool = WorkerPool(
            workers: Swift.min(
                ActorCritic<Float>.shards, configuration.workers, ProcessInfo.processInfo.activeProcessorCount))
        vector = try VectorEnvironment(
            id: configuration.task, options: configuration.taskOptions ?? [:], count: configuration.environments,
            workers: configuration.workers)
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
        var configuration = checkpoint.configuration
        if let workers { configuration.workers = workers }
        try self.init(configuration: configuration)
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
        let rollout: Minibatch<Float>
        do { rollout = try collectRollout(metrics: &metrics, episodes: episodes) } catch let error as EnvironmentError {
            // Finite parameters whose policy's outputs overflow: the run diverged at the last update.
            guard case let .badVectorAction(_, box) = error, case let .nonFiniteAction(_, _, value) = box.error else {
                throw error
            }
            throw Divergence(update: update, quantity: "action", value: "\(value)")
        }
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
    private func collectRollout(metrics: inout UpdateMetrics, episodes: (EpisodeRecord) -> Void) throws -> Minibatch<
        Float
    > {
        let c = configuration
        let n = c.environments, horizon = c.horizon
        let spec = vector.spec
        let obsSize = spec.observationSize, actSize = spec.actionSize

        // Rollout buffers, time-major: index t·N + i.
        let batch = n * horizon
        var bufferObservations = [Float](repeating: 0, count: batch * obsSize)
        var bufferActions = [Double](repeating: 0, count: batch * actSize)
        var bufferMeans = [Double](repeating: 0, count: batch * actSize)
        var bufferLogProbabilities = [Double](repeating: 0, count: batch)
        var bufferRewards = [Double](repeating: 0, count: batch)
        var bufferValues = [Double](repeating: 0, count: batch)
        var bufferEnded = [Bool](repeating: false, count: batch)
        let logStd = agent.logStd
        let std = logStd.map { PortableMath.exp($0) }
        let variance = logStd.map { PortableMath.exp(2 * $0) }
        var returns: [Double] = [], lengths: [Double] = []
        var clippedActions = [Float](repeating: 0, count: n * actSize)
        var sample = [Float](repeating: 0, count: actSize)
        let floatStd = std.map { Float($0) }

        for t in 0..<horizon {
            let input = observations.map { Float($0) }
            for k in 0..<(n * obsSize) { bufferObservations[t * n * obsSize + k] = input[k] }
            let means = agent.means(input, batch: n)
            let values = agent.values(input, batch: n)
            for i in 0..<n {
                let row = t * n + i
                var logProbability = 0.0
                for j in 0..<actSize {
                    let mean = means[i * actSize + j]
                    let action = mean + floatStd[j] * Float(random.standardNormal())
                    sample[j] = action
                    bufferActions[row * actSize + j] = Double(action)
                    bufferMeans[row * actSize + j] = Double(mean)
                    logProbability += DiagonalGaussian.logDensity(
                        deviation: Double(action) - Double(mean), variance: variance[j], logStd: logStd[j])
                }
                bufferLogProbabilities[row] = logProbability
                bufferValues[row] = Double(values[i])
                sample.withUnsafeBufferPointer { s in
                    clippedActions.withUnsafeMutableBufferPointer { out in
                        TrainingWrappers.clip(
                            action: s, space: spec.actionSpace,
                            into: UnsafeMutableBufferPointer(rebasing: out[(i * actSize)..<((i + 1) * actSize)]))
                    }
                }
            }
            let step = try vector.step(clippedActions)
            globalStep += n
            observations = step.observations
            observations.withUnsafeMutableBufferPointer { all in
                for i in 0..<n {
                    let row = t * n + i
                    let slot = UnsafeMutableBufferPointer(rebasing: all[(i * obsSize)..<((i + 1) * obsSize)])
                    let ended = step.terminated[i] || step.truncated[i]
                    let outcome: (reward: Double, unclippedReward: Double, episode: TrainingWrappers.EpisodeStatistics?)
                    if ended, var final = step.finalObservations[i] {
                        // The final step passes through the wrappers, then the auto-reset's observation does.
                        outcome = final.withUnsafeMutableBufferPointer {
                            wrappers[i].step(
                                observation: $0, reward: step.rewards[i], terminated: step.terminated[i],
                                truncated: step.truncated[i])
                        }
                        wrappers[i].reset(observation: slot)
                    } else {
                        outcome = wrappers[i].step(
                            observation: slot, reward: step.rewards[i], terminated: step.terminated[i],
                            truncated: step.truncated[i])
                    }
                    bufferRewards[row] = Double(Float(outcome.reward))  // the authors store rewards as float32
                    bufferEnded[row] = ended
                    if let episode = outcome.episode {
                        returns.append(Double(episode.episodeReturn))
                        lengths.append(Double(episode.length))
                        episodes(
                            EpisodeRecord(
                                globalStep: globalStep, episodeReturn: episode.episodeReturn, length: episode.length))
                    }
                }
            }
        }
        if !returns.isEmpty {
            metrics.episodicReturn = returns.reduce(0, +) / Double(returns.count)
            metrics.episodeLength = lengths.reduce(0, +) / Double(lengths.count)
            metrics.episodesFinished = returns.count
        }

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
            size: batch, observations: bufferObservations, actions: bufferActions,
            oldLogProbabilities: bufferLogProbabilities,
            oldMeans: bufferMeans, oldLogStd: logStd, advantages: advantages, returns: targets, oldValues: bufferValues
        )
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
