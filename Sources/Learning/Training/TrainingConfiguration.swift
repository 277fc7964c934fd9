import Environments

/// Every setting of a training run, with the defaults of the papers' MuJoCo table
/// (docs/algorithms.md#hyperparameters).
///
/// A run's id hashes these settings as encoded, so a setting added after results exist is
/// optional, nil meaning its default: runs that do not use it keep their ids.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// Task id, e.g. `Hopper-v4`.
    public var task = "Hopper-v4"
    /// The task's constructor options by Gymnasium's keyword names (e.g. `ctrl_cost_weight`),
    /// only those that differ from Gymnasium's defaults; nil when none do.
    public var taskOptions: [String: TaskOptionValue]?
    /// Algorithm name (see ``Algorithms``).
    public var algorithm = "spo"
    /// Environment steps in total (across all environments).
    public var totalSteps = 10_000_000
    /// Random seed of the networks' initialisation, the environments' resets and the sampling.
    public var seed: UInt64 = 1
    /// Parallel environments N; each update uses N·T samples.
    public var environments = 8
    /// Rollout horizon T: steps per environment per update.
    public var horizon = 256
    /// Threads this run may use (results do not depend on it): the workers stepping the
    /// environments (at most one per environment and per core) and, at most one per shard of
    /// the update's minibatch, the update's workers.
    public var workers = 8
    /// Passes over the rollout per update.
    public var epochs = 10
    /// Minibatches per epoch.
    public var minibatches = 4
    /// Adam's initial learning rate.
    public var learningRate = 3e-4
    /// Decay the learning rate linearly to zero over the run.
    public var decayLearningRate = true
    /// Discount γ.
    public var gamma = 0.99
    /// λ of generalised advantage estimation.
    public var gaeLambda = 0.95
    /// ε of `spo` and the PPO clip.
    public var epsilon = 0.2
    /// d_max of `spo-kl`, the KL target of `ppo-penalty` and the threshold of `ppo-earlystop`.
    public var klLimit = 0.02
    /// KL threshold δ of `tr-ppo`, `tr-ppo-rb` and `truly-ppo` (nil: the authors' per-task
    /// default) and TRPO's bound on the mean KL (nil: 0.01).
    public var trustRegionDelta: Double?
    /// Damping λ added to the Fisher matrix in `trpo` and `npg` (F + λI; nil: 0.1).
    public var fisherDamping: Double?
    /// Conjugate-gradient iterations of `trpo` and `npg` (nil: 10).
    public var conjugateGradientIterations: Int?
    /// Tries of TRPO's backtracking line search, shrinking the step by 0.5 each time (nil: 10).
    public var lineSearchTries: Int?
    /// Step size α of `npg`'s natural-gradient step α·F⁻¹g (nil: 0.5).
    public var naturalGradientStepSize: Double?
    /// Rollback slope s of `ppo-rb` and `tr-ppo-rb`, KL slope of `truly-ppo`; nil: per-task default.
    public var rollbackSlope: Double?
    /// Ratio scale k of `truly-ppo`; nil: per-task default.
    public var trulyRatioScale: Double?
    /// Adapt the learning rate to each minibatch's KL instead of decaying it, as the SPO
    /// authors' script can (nil: off; first-order algorithms only). See ``AdaptiveLearningRate``.
    public var adaptiveLearningRate: Bool?
    /// The KL target of the adaptive learning rate (nil: 0.01).
    public var desiredKL: Double?
    /// Clip the gradient to this global norm.
    public var maxGradientNorm = 0.5
    /// The loss terms of the first-order algorithms.
    public var loss = LossSettings()
    /// Hidden layer sizes of the actor: the papers' "3 layers" is [64, 64], "7 layers" is
    /// [256, 256, 128, 128, 64, 64].
    public var actorHidden = [64, 64]
    /// Hidden layer sizes of the critic.
    public var criticHidden = [64, 64]

    public init() {}

    /// The actor sizes of the papers' "3 layers" and "7 layers" networks.
    public static func actorHidden(layers: Int) -> [Int]? {
        switch layers {
        case 3: return [64, 64]
        case 7: return [256, 256, 128, 128, 64, 64]
        default: return nil
        }
    }

    /// Whether the learning rate adapts to the KL (``adaptiveLearningRate``).
    public var adaptsLearningRate: Bool { adaptiveLearningRate ?? false }

    public var batchSize: Int { environments * horizon }
    public var minibatchSize: Int { batchSize / minibatches }
    public var updates: Int { totalSteps / batchSize }

    /// Every problem with these settings, each naming the field and the value.
    public func problems() -> [String] {
        var problems: [String] = []
        if !Algorithms.names.contains(algorithm) {
            problems.append("algorithm '\(algorithm)' is unknown; known: \(Algorithms.names.joined(separator: ", "))")
        }
        let counts = [
            ("environments", environments, Limits.environments), ("horizon", horizon, Limits.horizon),
            ("workers", workers, Limits.workers),
            ("epochs", epochs, Limits.epochs), ("minibatches", minibatches, Limits.batchSize),
        ]
        for (name, value, limit) in counts where !(1...limit).contains(value) {
            problems.append(
                value < 1
                    ? "\(name) must be at least 1, got \(value)" : "\(name) must be at most \(limit), got \(value)")
        }
        let countsInRange = counts.allSatisfy { (1...$0.2).contains($0.1) }
        if countsInRange, batchSize > Limits.batchSize {
            problems.append("batch size \(batchSize) (environments × horizon) must be at most \(Limits.batchSize)")
        } else if countsInRange, batchSize % minibatches != 0 {
            problems.append(
                "batch size \(batchSize) (environments × horizon) is not divisible by minibatches \(minibatches)")
        }
        if countsInRange, totalSteps < batchSize {
            problems.append("totalSteps \(totalSteps) is less than one batch (\(batchSize))")
        }
        if totalSteps > Limits.totalSteps {
            problems.append("totalSteps must be at most \(Limits.totalSteps), got \(totalSteps)")
        }
        for (name, hidden) in [("actorHidden", actorHidden), ("criticHidden", criticHidden)] {
            if hidden.count > Limits.hiddenLayers {
                problems.append("\(name) must have at most \(Limits.hiddenLayers) layers, got \(hidden.count)")
            }
            if let width = hidden.first(where: { $0 > Limits.layerWidth }) {
                problems.append("\(name) widths must be at most \(Limits.layerWidth), got \(width)")
            }
        }
        for (name, value) in [("learningRate", learningRate), ("maxGradientNorm", maxGradientNorm)]
        where !value.isFinite {
            problems.append("\(name) must be finite, got \(value)")
        }
        if let iterations = conjugateGradientIterations, iterations > Limits.iterations {
            problems.append("conjugateGradientIterations must be at most \(Limits.iterations), got \(iterations)")
        }
        if let tries = lineSearchTries, tries > Limits.iterations {
            problems.append("lineSearchTries must be at most \(Limits.iterations), got \(tries)")
        }
        if !(learningRate > 0) { problems.append("learningRate must be positive, got \(learningRate)") }
        if !(epsilon > 0) { problems.append("epsilon must be positive, got \(epsilon)") }
        if !(klLimit > 0) { problems.append("klLimit must be positive, got \(klLimit)") }
        if !(0...1).contains(gamma) { problems.append("gamma must be in [0, 1], got \(gamma)") }
        if !(0...1).contains(gaeLambda) { problems.append("gaeLambda must be in [0, 1], got \(gaeLambda)") }
        if let delta = trustRegionDelta, !(delta > 0) {
            problems.append("trustRegionDelta must be positive, got \(delta)")
        }
        if let damping = fisherDamping, !(damping >= 0) {
            problems.append("fisherDamping must not be negative, got \(damping)")
        }
        if let iterations = conjugateGradientIterations, iterations < 1 {
            problems.append("conjugateGradientIterations must be at least 1, got \(iterations)")
        }
        if let tries = lineSearchTries, tries < 1 {
            problems.append("lineSearchTries must be at least 1, got \(tries)")
        }
        if let alpha = naturalGradientStepSize, !(alpha > 0) {
            problems.append("naturalGradientStepSize must be positive, got \(alpha)")
        }
        if let slope = rollbackSlope, !(slope <= 0) {
            problems.append("rollbackSlope must be negative or zero, got \(slope)")
        }
        if let options = taskOptions, let schema = EnvironmentRegistry.options(of: task) {
            for (name, value) in options.sorted(by: { $0.key < $1.key }) {
                if let problem = schema.problem(task: task, name: name, value: value) {
                    problems.append("taskOptions.\(name): \(problem)")
                }
            }
        }
        if let target = desiredKL, !(target > 0) { problems.append("desiredKL must be positive, got \(target)") }
        if adaptsLearningRate, !PolicyObjectives.names.contains(algorithm), Algorithms.names.contains(algorithm) {
            problems.append(
                "adaptiveLearningRate adapts to each minibatch's KL, "
                    + "so it applies to the first-order algorithms only, not '\(algorithm)'"
            )
        }
        if let scale = trulyRatioScale, !(scale >= 0) {
            problems.append("trulyRatioScale must not be negative, got \(scale)")
        }
        if actorHidden.contains(where: { $0 < 1 }) || criticHidden.contains(where: { $0 < 1 }) {
            problems.append("hidden layer sizes must be positive")
        }
        return problems
    }
}
