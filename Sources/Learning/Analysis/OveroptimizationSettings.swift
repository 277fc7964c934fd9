import Environments
import Foundation

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
