import Dispatch
import Environments
import Foundation

/// Timing of the learner's update on synthetic data of a task's sizes.
public struct UpdateTiming: Sendable {
    /// Seconds of one full update of the configured algorithm on one batch (for the first-order
    /// ones: epochs × minibatches of loss, gradient, clipping and Adam).
    public var updateSeconds: Double
    /// Seconds of one actor forward pass and one actor backward pass on one minibatch.
    public var actorForwardSeconds: Double
    public var actorBackwardSeconds: Double
}

/// Measures one update of the configured algorithm on a synthetic batch of the configured size,
/// drawn from the agent's own policy (best of `repeats`, each from the same agent and state).
/// `workers` 1 computes each minibatch on the calling thread; more split it into shards on a pool.
public func measureUpdate(
    configuration: TrainingConfiguration, observationSize: Int, actionSize: Int, workers: Int, repeats: Int = 3
) throws -> UpdateTiming {
    var random = RandomGenerator(seed: 0)
    let agent = ActorCritic<Float>(
        observationSize: observationSize, actionSize: actionSize, actorHidden: configuration.actorHidden,
        criticHidden: configuration.criticHidden, random: &random)
    let size = configuration.batchSize
    let observations = (0..<(size * observationSize)).map { _ in Float(random.standardNormal()) }
    let means = agent.means(observations, batch: size).map(Double.init)
    let actions = means.map { $0 + random.standardNormal() }
    let oldLogProbabilities = (0..<size).map { i in
        DiagonalGaussian.logProbability(
            action: Array(actions[(i * actionSize)..<((i + 1) * actionSize)]),
            mean: Array(means[(i * actionSize)..<((i + 1) * actionSize)]), logStd: agent.logStd)
    }
    let batch = Minibatch<Float>(
        size: size, observations: observations, actions: actions, oldLogProbabilities: oldLogProbabilities,
        oldMeans: means,
        oldLogStd: agent.logStd, advantages: (0..<size).map { _ in random.standardNormal() },
        returns: (0..<size).map { _ in random.standardNormal() },
        oldValues: (0..<size).map { _ in random.standardNormal() }
    )
    guard let rule = Algorithms.make(configuration.algorithm, configuration: configuration, agent: agent) else {
        throw TrainingError.invalidConfiguration([
            "algorithm '\(configuration.algorithm)' is unknown; known: \(Algorithms.names.joined(separator: ", "))"
        ])
    }
    let context = UpdateContext(
        configuration: configuration, learningRate: configuration.learningRate,
        pool: workers > 1 ? WorkerPool(workers: workers) : nil)
    func seconds(_ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        return best
    }
    let update = seconds {
        var updated = agent, state = rule, metrics = UpdateMetrics(), shuffle = RandomGenerator(seed: 1)
        state.update(agent: &updated, batch: batch, context: context, random: &shuffle, metrics: &metrics)
    }
    let minibatchSize = configuration.minibatchSize
    let minibatchObservations = Array(observations[0..<(minibatchSize * observationSize)])
    let pass = agent.actor.forward(agent.parameters, input: minibatchObservations, batch: minibatchSize)
    let forward =
        seconds {
            for _ in 0..<20 {
                _ = agent.actor.forward(agent.parameters, input: minibatchObservations, batch: minibatchSize)
            }
        } / 20
    var gradient = [Float](repeating: 0, count: agent.parameters.count)
    let outputGradient = [Float](repeating: 0.01, count: minibatchSize * actionSize)
    let backward =
        seconds {
            for _ in 0..<20 {
                agent.actor.backward(
                    agent.parameters, input: minibatchObservations, activations: pass, outputGradient: outputGradient,
                    gradient: &gradient)
            }
        } / 20
    return UpdateTiming(updateSeconds: update, actorForwardSeconds: forward, actorBackwardSeconds: backward)
}
