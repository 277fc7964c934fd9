/// Every setting of a training run, with the defaults of the papers' MuJoCo table
/// (docs/algorithms.md#hyperparameters).
///
/// A run's id hashes these settings as encoded, so a setting added after results exist is
/// optional, nil meaning its default: runs that do not use it keep their ids.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// Task id, e.g. `Hopper-v4`.
    public var task = "Hopper-v4"
    /// Algorithm name (see ``Algorithms``).
    public var algorithm = "spo"
    /// Environment steps in total (across all environments).
    public var totalSteps = 10_000_000
    public var seed: UInt64 = 1
    /// Parallel environments N and rollout horizon T: each update uses N·T samples.
    public var environments = 8
    public var horizon = 256
    /// Dispatch workers stepping the environments (results do not depend on it).
    public var workers = 8
    public var epochs = 10
    public var minibatches = 4
    public var learningRate = 3e-4
    public var decayLearningRate = true
    public var gamma = 0.99
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
    public var maxGradientNorm = 0.5
    public var loss = LossSettings()
    /// Hidden layer sizes: actor "3 layers" is [64, 64], "7 layers" is [256, 256, 128, 128, 64, 64].
    public var actorHidden = [64, 64]
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
        if !Algorithms.names.contains(algorithm) { problems.append("algorithm '\(algorithm)' is unknown; known: \(Algorithms.names.joined(separator: ", "))") }
        for (name, value) in [("environments", environments), ("horizon", horizon), ("workers", workers), ("epochs", epochs), ("minibatches", minibatches)] where value < 1 {
            problems.append("\(name) must be at least 1, got \(value)")
        }
        if environments >= 1, horizon >= 1, minibatches >= 1, batchSize % minibatches != 0 {
            problems.append("batch size \(batchSize) (environments × horizon) is not divisible by minibatches \(minibatches)")
        }
        if environments >= 1, horizon >= 1, totalSteps < batchSize {
            problems.append("totalSteps \(totalSteps) is less than one batch (\(batchSize))")
        }
        if !(learningRate > 0) { problems.append("learningRate must be positive, got \(learningRate)") }
        if !(epsilon > 0) { problems.append("epsilon must be positive, got \(epsilon)") }
        if !(klLimit > 0) { problems.append("klLimit must be positive, got \(klLimit)") }
        if !(0...1).contains(gamma) { problems.append("gamma must be in [0, 1], got \(gamma)") }
        if !(0...1).contains(gaeLambda) { problems.append("gaeLambda must be in [0, 1], got \(gaeLambda)") }
        if let delta = trustRegionDelta, !(delta > 0) { problems.append("trustRegionDelta must be positive, got \(delta)") }
        if let damping = fisherDamping, !(damping >= 0) { problems.append("fisherDamping must not be negative, got \(damping)") }
        if let iterations = conjugateGradientIterations, iterations < 1 { problems.append("conjugateGradientIterations must be at least 1, got \(iterations)") }
        if let tries = lineSearchTries, tries < 1 { problems.append("lineSearchTries must be at least 1, got \(tries)") }
        if let alpha = naturalGradientStepSize, !(alpha > 0) { problems.append("naturalGradientStepSize must be positive, got \(alpha)") }
        if let slope = rollbackSlope, !(slope <= 0) { problems.append("rollbackSlope must be negative or zero, got \(slope)") }
        if let target = desiredKL, !(target > 0) { problems.append("desiredKL must be positive, got \(target)") }
        if adaptsLearningRate, !PolicyObjectives.names.contains(algorithm), Algorithms.names.contains(algorithm) {
            problems.append("adaptiveLearningRate adapts to each minibatch's KL, so it applies to the first-order algorithms only, not '\(algorithm)'")
        }
        if let scale = trulyRatioScale, !(scale >= 0) { problems.append("trulyRatioScale must not be negative, got \(scale)") }
        if actorHidden.contains(where: { $0 < 1 }) || criticHidden.contains(where: { $0 < 1 }) { problems.append("hidden layer sizes must be positive") }
        return problems
    }
}
