import Environments
import Foundation

/// A saved agent's policy acting in its task: observations normalised with environment 0's
/// statistics, frozen; the actor's mean action, or a sample from the Gaussian around it with
/// the saved log-std; clipped to the action bounds.
public final class AgentPolicy {
    /// The task's action bounds.
    public let actionSpace: BoxSpace<Float>
    private let actor: MLP<Float>
    private let parameters: [Float]
    private let standardDeviations: [Float]?
    private var normalizer: TrainingWrappers
    private var random: RandomGenerator
    private var clipped: [Float]

    /// The policy of `agent` in a task with `actionSpace`: the mean action when `deterministic`,
    /// otherwise samples drawn with a generator seeded `seed`.
    public init(agent: SavedAgent, actionSpace: BoxSpace<Float>, deterministic: Bool, seed: UInt64 = 0) {
        self.actionSpace = actionSpace
        actor = MLP<Float>(sizes: agent.actorSizes)
        parameters = agent.parameters
        let actionSize = agent.actorSizes.last!
        standardDeviations =
            deterministic
            ? nil
            : agent.parameters[actor.parameterCount..<(actor.parameterCount + actionSize)].map {
                Float(PortableMath.exp(Double($0)))
            }
        normalizer = agent.wrappers[0]
        normalizer.updatesStatistics = false
        random = RandomGenerator(seed: seed)
        clipped = [Float](repeating: 0, count: actionSize)
    }

    /// The action for a raw (unnormalised) observation.
    public func action(for rawObservation: [Double]) -> [Float] {
        var observation = rawObservation
        observation.withUnsafeMutableBufferPointer { normalizer.normalize(observation: $0) }
        var action = actor.forward(parameters, input: observation.map { Float($0) }, batch: 1).output
        if let standardDeviations {
            for j in action.indices { action[j] += standardDeviations[j] * Float(random.standardNormal()) }
        }
        action.withUnsafeBufferPointer { a in
            clipped.withUnsafeMutableBufferPointer { TrainingWrappers.clip(action: a, space: actionSpace, into: $0) }
        }
        return clipped
    }
}

extension SavedAgent {
    /// Runs the policy for `episodes` episodes, seeded `seed`, `seed + 1`, …, normalising
    /// observations with environment 0's statistics, frozen. `deterministic` runs the mean
    /// action; otherwise actions are sampled from the Gaussian (noise from a generator seeded
    /// `seed`). Actions are clipped to the bounds.
    public func evaluate(
        episodes: Int, seed: UInt64, deterministic: Bool = true, progress: (Int, Double) -> Void = { _, _ in }
    ) throws -> EvaluationResult {
        let environment = try EnvironmentRegistry.make(configuration.task, options: configuration.taskOptions ?? [:])
        let policy = AgentPolicy(
            agent: self, actionSpace: environment.spec.actionSpace, deterministic: deterministic, seed: seed)
        var result = EvaluationResult(returns: [], lengths: [])
        for episode in 0..<episodes {
            var raw = environment.reset(seed: seed &+ UInt64(episode))
            var total = 0.0, length = 0
            while true {
                let step = try environment.step(policy.action(for: raw))
                total += step.reward
                length += 1
                raw = step.observation
                if step.terminated || step.truncated { break }
            }
            result.returns.append(total)
            result.lengths.append(length)
            progress(episode + 1, total)
        }
        return result
    }
}
