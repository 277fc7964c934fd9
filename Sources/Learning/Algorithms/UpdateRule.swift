import Environments

/// How one algorithm turns a rollout into new parameters: everything after GAE.
///
/// The trainer collects N·T samples, computes GAE advantages and returns, and hands the whole
/// batch to its rule. A rule keeps every piece of state it carries from update to update in
/// ``state`` (a Codable value, captured in checkpoints), and nothing elsewhere.
/// A new algorithm is one type conforming to this protocol plus one line in ``Algorithms``.
public protocol UpdateRule: Sendable {
    /// Name used on the command line and in configs (e.g. `trpo`).
    var name: String { get }
    /// The state carried across updates; setting it restores the rule exactly.
    var state: UpdateRuleState { get set }
    /// The GAE λ the rule's advantages are computed with instead of the configured one
    /// (REINFORCE: 1, Monte-Carlo returns); nil keeps the configuration's.
    var advantageLambda: Double? { get }
    /// Updates `agent` from one rollout: `batch` holds all N·T samples (time-major) with their
    /// advantages and returns. Fills `metrics`' learner columns (ratio deviation, KL, entropy,
    /// losses, fractions, β, epochs and minibatches, line search); `random` is the trainer's
    /// generator (minibatch shuffles draw from it).
    mutating func update(
        agent: inout ActorCritic<Float>, batch: Minibatch<Float>, context: UpdateContext,
        random: inout RandomGenerator, metrics: inout UpdateMetrics)
}

extension UpdateRule {
    public var advantageLambda: Double? { nil }
}

/// What a rule carries from one update to the next, for checkpoints.
public struct UpdateRuleState: Codable, Sendable {
    /// The rule's Adam optimiser: over all parameters for the first-order rules, `a2c` and
    /// `reinforce`; over the critic's parameters only for `trpo` and `npg`.
    public var optimizer: Adam<Float>
    /// The objective's adaptive state (PPO-Penalty's β); empty for the others.
    public var objectiveState: [Double]
    /// The learning rate as adapted so far when it adapts to the KL; nil otherwise.
    public var adaptiveLearningRate: Double?

    public init(optimizer: Adam<Float>, objectiveState: [Double] = [], adaptiveLearningRate: Double? = nil) {
        self.optimizer = optimizer
        self.objectiveState = objectiveState
        self.adaptiveLearningRate = adaptiveLearningRate
    }
}

/// The settings of one update that are not state: the configuration, this update's learning
/// rate (after decay) and the workers the minibatch loss is sharded over.
public struct UpdateContext: Sendable {
    public var configuration: TrainingConfiguration
    public var learningRate: Double
    public var pool: WorkerPool?

    public init(configuration: TrainingConfiguration, learningRate: Double, pool: WorkerPool? = nil) {
        self.configuration = configuration
        self.learningRate = learningRate
        self.pool = pool
    }
}

/// The first-order algorithms (docs/algorithms.md#update): E epochs of M shuffled minibatches,
/// each one Adam step on `L_policy + c1·L_value − c2·H` with the objective's policy term,
/// gradient-norm clipping, and the objective's early stop and adaptation.
public struct FirstOrderUpdate: UpdateRule {
    public var objective: any PolicyObjective
    /// Adam over all parameters (actor | log-std | critic).
    public var optimizer: Adam<Float>
    /// The learning rate adapted to the KL so far, when the configuration asks for it; nil: the
    /// context's (decayed) rate.
    public var adaptiveLearningRate: Double?

    public init(objective: any PolicyObjective, parameterCount: Int, adaptiveLearningRate: Double? = nil) {
        self.objective = objective
        optimizer = Adam(parameterCount: parameterCount)
        self.adaptiveLearningRate = adaptiveLearningRate
    }

    public var name: String { objective.name }

    public var state: UpdateRuleState {
        get {
            UpdateRuleState(
                optimizer: optimizer, objectiveState: objective.persistentState,
                adaptiveLearningRate: adaptiveLearningRate)
        }
        set {
            optimizer = newValue.optimizer
            objective.persistentState = newValue.objectiveState
            adaptiveLearningRate = newValue.adaptiveLearningRate
        }
    }

    public mutating func update(
        agent: inout ActorCritic<Float>, batch: Minibatch<Float>, context: UpdateContext,
        random: inout RandomGenerator, metrics: inout UpdateMetrics
    ) {
        var indices = Array(0..<batch.size)
        for epoch in 0..<context.configuration.epochs {
            metrics.epochsRun += 1
            guard
                runEpoch(
                    agent: &agent, batch: batch, indices: &indices, firstEpoch: epoch == 0, context: context,
                    random: &random, metrics: &metrics)
            else { break }
        }
        metrics.averageMinibatches()
        metrics.beta = objective.beta ?? .nan
        if let adaptiveLearningRate { metrics.learningRate = adaptiveLearningRate }
    }

    /// One epoch of ``update(agent:batch:context:random:metrics:)``: shuffles `indices` (the
    /// batch's row order, carried from epoch to epoch) with `random`, cuts it into the
    /// configuration's minibatches and takes one step on each, adding each step's metrics to
    /// `metrics`. On the first minibatch of the `firstEpoch` the agent is still the batch's π_old.
    /// Returns false when the objective stopped the update before a step (PPO-EarlyStop).
    public mutating func runEpoch(
        agent: inout ActorCritic<Float>, batch: Minibatch<Float>, indices: inout [Int], firstEpoch: Bool,
        context: UpdateContext, random: inout RandomGenerator, metrics: inout UpdateMetrics
    ) -> Bool {
        let c = context.configuration
        indices.shuffle(using: &random)
        for m in 0..<c.minibatches {
            let minibatch = batch.rows(indices[(m * c.minibatchSize)..<((m + 1) * c.minibatchSize)])
            let first = firstEpoch && m == 0
            // The loss is evaluated at the current parameters, so its mean KL is the one
            // PPO-EarlyStop checks before taking the step.
            var result = agent.loss(
                minibatch, objective: objective, settings: c.loss, firstMinibatch: first, pool: context.pool)
            if !objective.allowsStep(meanKL: result.meanKL) { return false }
            if let rate = adaptiveLearningRate {
                adaptiveLearningRate = AdaptiveLearningRate.next(
                    rate, meanKL: result.meanKL, desiredKL: c.desiredKL ?? AdaptiveLearningRate.defaultDesiredKL)
            }
            clipGradientNorm(&result.gradient, maxNorm: c.maxGradientNorm)
            optimizer.update(
                &agent.parameters, gradient: result.gradient, learningRate: adaptiveLearningRate ?? context.learningRate
            )
            objective.observe(meanKL: result.meanKL)
            metrics.add(minibatch: result)
        }
        return true
    }
}

/// Every algorithm by name, each built from a training configuration and the agent it trains:
/// the first-order ones from their ``PolicyObjectives``, then the classic baselines.
public enum Algorithms {
    /// Builds an algorithm's rule from the configuration and the agent it will train.
    public typealias Constructor = @Sendable (TrainingConfiguration, ActorCritic<Float>) -> any UpdateRule
    public static let constructors: [(name: String, make: Constructor)] =
        PolicyObjectives.constructors.map(firstOrder) + baselines
    private static let baselines: [(name: String, make: Constructor)] = [
        ("trpo", { TRPOUpdate(configuration: $0, agent: $1) }),
        ("npg", { NaturalPolicyGradientUpdate(configuration: $0, agent: $1) }),
        ("a2c", { ActorCriticUpdate(agent: $1) }),
        ("reinforce", { REINFORCEUpdate(agent: $1) }),
    ]
    private static func firstOrder(
        _ entry: (name: String, make: @Sendable (TrainingConfiguration) -> any PolicyObjective)
    ) -> (name: String, make: Constructor) {
        let make = entry.make
        return (
            entry.name,
            { configuration, agent in
                FirstOrderUpdate(
                    objective: make(configuration), parameterCount: agent.parameters.count,
                    adaptiveLearningRate: configuration.adaptsLearningRate ? configuration.learningRate : nil)
            }
        )
    }
    public static var names: [String] { constructors.map(\.name) }
    /// The rule `name` for `agent` with `configuration`'s hyperparameters, or nil if unknown.
    public static func make(_ name: String, configuration: TrainingConfiguration, agent: ActorCritic<Float>) -> (
        any UpdateRule
    )? {
        constructors.first { $0.name == name }?.make(configuration, agent)
    }
}

extension Minibatch {
    /// The samples `rows` of this batch, in that order.
    public func rows(_ chosen: ArraySlice<Int>) -> Minibatch {
        let observationSize = observations.count / size, actionSize = actions.count / size
        return Minibatch(
            size: chosen.count,
            observations: gatherRows(observations, width: observationSize, rows: chosen),
            actions: gatherRows(actions, width: actionSize, rows: chosen),
            oldLogProbabilities: gatherRows(oldLogProbabilities, width: 1, rows: chosen),
            oldMeans: gatherRows(oldMeans, width: actionSize, rows: chosen),
            oldLogStd: oldLogStd,
            advantages: gatherRows(advantages, width: 1, rows: chosen),
            returns: gatherRows(returns, width: 1, rows: chosen),
            oldValues: gatherRows(oldValues, width: 1, rows: chosen)
        )
    }
}

extension UpdateMetrics {
    /// Adds one minibatch step's metrics (sums, maxima) to this update's.
    mutating func add(minibatch result: MinibatchLoss<some NetworkScalar>) {
        minibatchesRun += 1
        ratioDeviation += result.ratioDeviation
        maxRatioDeviation = max(maxRatioDeviation, result.maxRatioDeviation)
        meanKL += result.meanKL
        maxKL = max(maxKL, result.maxKL)
        entropy += result.entropy
        policyLoss += result.policyLoss
        valueLoss += result.valueLoss
        clipFraction += result.clipFraction
        triggerFraction += result.triggerFraction
    }

    /// Turns the sums of ``add(minibatch:)`` into means over the minibatches run.
    mutating func averageMinibatches() {
        guard minibatchesRun > 0 else { return }
        let count = Double(minibatchesRun)
        ratioDeviation /= count
        meanKL /= count
        entropy /= count
        policyLoss /= count
        valueLoss /= count
        clipFraction /= count
        triggerFraction /= count
    }
}
