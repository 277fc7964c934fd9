import Dispatch
import Environments
import Foundation

/// Timing of the learner's update on synthetic data of a task's sizes.
public struct UpdateTiming: Codable, Sendable {
    public var task: String
    public var actorHidden: [Int]
    public var batchSize: Int
    /// Seconds of one full update (epochs × minibatches of loss, gradient, clipping and Adam).
    public var updateSeconds: Double
    /// Seconds of one actor forward pass and one actor backward pass on one minibatch.
    public var actorForwardSeconds: Double
    public var actorBackwardSeconds: Double
}

/// Measures one update of a batch of the configured size (best of `repeats`).
/// `workers` 1 computes each minibatch on the calling thread; more split it into shards on a pool.
public func measureUpdate(configuration: TrainingConfiguration, observationSize: Int, actionSize: Int, workers: Int, repeats: Int = 3) -> UpdateTiming {
    var random = RandomGenerator(seed: 0)
    var agent = ActorCritic<Float>(observationSize: observationSize, actionSize: actionSize, actorHidden: configuration.actorHidden,
                                   criticHidden: configuration.criticHidden, random: &random)
    let size = configuration.minibatchSize
    let observations = (0..<(size * observationSize)).map { _ in Float(random.standardNormal()) }
    let means = agent.means(observations, batch: size).map(Double.init)
    let minibatch = Minibatch<Float>(
        size: size, observations: observations, actions: means.map { $0 + random.standardNormal() },
        oldLogProbabilities: (0..<size).map { _ in -Double(actionSize) }, oldMeans: means, oldLogStd: agent.logStd,
        advantages: (0..<size).map { _ in random.standardNormal() }, returns: (0..<size).map { _ in random.standardNormal() },
        oldValues: (0..<size).map { _ in random.standardNormal() }
    )
    let objective = configuration.makeObjective() ?? SPOObjective()
    var optimizer = Adam<Float>(parameterCount: agent.parameters.count)
    let pool: WorkerPool? = workers > 1 ? WorkerPool(workers: workers) : nil
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
        for _ in 0..<(configuration.epochs * configuration.minibatches) {
            var result = agent.loss(minibatch, objective: objective, settings: configuration.loss, firstMinibatch: false, pool: pool)
            clipGradientNorm(&result.gradient, maxNorm: configuration.maxGradientNorm)
            optimizer.update(&agent.parameters, gradient: result.gradient, learningRate: 1e-7)
        }
    }
    let pass = agent.actor.forward(agent.parameters, input: observations, batch: size)
    let forward = seconds { for _ in 0..<20 { _ = agent.actor.forward(agent.parameters, input: observations, batch: size) } } / 20
    var gradient = [Float](repeating: 0, count: agent.parameters.count)
    let outputGradient = [Float](repeating: 0.01, count: size * actionSize)
    let backward = seconds {
        for _ in 0..<20 { agent.actor.backward(agent.parameters, input: observations, activations: pass, outputGradient: outputGradient, gradient: &gradient) }
    } / 20
    return UpdateTiming(task: configuration.task, actorHidden: configuration.actorHidden, batchSize: configuration.batchSize,
                        updateSeconds: update, actorForwardSeconds: forward, actorBackwardSeconds: backward)
}
