import Environments

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
