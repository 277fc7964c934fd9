import Environments
import Foundation

/// The value regression of the algorithms that train the critic on its own (`trpo`, `npg`):
/// E epochs of M shuffled minibatches of Adam steps on c1·L_value (clipped as configured),
/// with the critic's gradient norm clipped, at the update's learning rate; each minibatch is
/// sharded over the update's pool like the first-order loss.
public struct CriticRegression: Codable, Sendable {
    /// Adam over the critic's parameters only.
    public var optimizer: Adam<Float>

    public init(agent: ActorCritic<Float>) {
        optimizer = Adam(parameterCount: agent.critic.parameterCount)
    }

    /// Ends a natural-gradient update after its policy step: records the ratio deviation, KL and
    /// entropy measured after the step, then trains the critic and records its loss and steps.
    mutating func finishUpdate(
        agent: inout ActorCritic<Float>, batch: Minibatch<Float>, advantages: [Double], context: UpdateContext,
        afterStep: SurrogateEvaluation? = nil, random: inout RandomGenerator, metrics: inout UpdateMetrics
    ) {
        metrics.record(
            afterStep: afterStep
                ?? agent.surrogate(batch, advantages: advantages, withGradient: false, pool: context.pool),
            logStd: agent.logStd)
        let regression = train(agent: &agent, batch: batch, context: context, random: &random)
        metrics.valueLoss = regression.valueLoss
        metrics.epochsRun = context.configuration.epochs
        metrics.minibatchesRun = regression.steps
    }

    /// Trains the critic of `agent` on `batch`'s returns; returns the mean value loss over the
    /// minibatches (each measured before its step) and the number of minibatch steps.
    mutating func train(
        agent: inout ActorCritic<Float>, batch: Minibatch<Float>, context: UpdateContext, random: inout RandomGenerator
    ) -> (valueLoss: Double, steps: Int) {
        let c = context.configuration
        let start = agent.criticOffset
        var indices = Array(0..<batch.size)
        var total = 0.0, steps = 0
        for _ in 0..<c.epochs {
            indices.shuffle(using: &random)
            for m in 0..<c.minibatches {
                let minibatch = batch.rows(indices[(m * c.minibatchSize)..<((m + 1) * c.minibatchSize)])
                let current = agent
                let parts = shardedRows(minibatch.size, pool: context.pool) { rows in
                    var gradient = [Float](repeating: 0, count: current.parameters.count)
                    let size = current.observationSize
                    let observations = Array(
                        minibatch.observations[(rows.lowerBound * size)..<(rows.upperBound * size)])
                    let loss = current.valueTerm(
                        minibatch, rows: rows, observations: observations, settings: c.loss, gradient: &gradient)
                    return (loss: loss, gradient: Array(gradient[start...]))
                }
                var criticGradient = parts[0].gradient
                total += parts[0].loss
                for part in parts.dropFirst() {
                    total += part.loss
                    for i in criticGradient.indices { criticGradient[i] += part.gradient[i] }
                }
                clipGradientNorm(&criticGradient, maxNorm: c.maxGradientNorm)
                var criticParameters = Array(agent.parameters[start...])
                optimizer.update(&criticParameters, gradient: criticGradient, learningRate: context.learningRate)
                agent.parameters.replaceSubrange(start..., with: criticParameters)
                steps += 1
            }
        }
        return (total / Double(max(steps, 1)), steps)
    }
}
