import Environments
import Foundation

/// A trained agent as saved by `spo train` (`agent.json`), format "spo-agent" version 1.
///
/// JSON object with: `format` ("spo-agent"), `version` (1), `configuration` (every training
/// setting, task id and algorithm included), `actorSizes` and `criticSizes` (layer widths, input
/// first), `parameters` (float32 values laid out actor | log-std | critic, each network's
/// layers as W (out × in, row-major) then b), `wrappers` (per environment: observation and
/// return statistics, the discounted return, the running episode return and length), and
/// `globalStep` (environment steps trained).
public struct SavedAgent: Codable, Sendable {
    public var format = "spo-agent"
    public var version = 1
    public var configuration: TrainingConfiguration
    public var actorSizes: [Int]
    public var criticSizes: [Int]
    public var parameters: [Float]
    public var wrappers: [TrainingWrappers]
    public var globalStep: Int

    public init(
        configuration: TrainingConfiguration, actorSizes: [Int], criticSizes: [Int], parameters: [Float],
        wrappers: [TrainingWrappers], globalStep: Int
    ) {
        self.configuration = configuration
        self.actorSizes = actorSizes
        self.criticSizes = criticSizes
        self.parameters = parameters
        self.wrappers = wrappers
        self.globalStep = globalStep
    }

    /// Writes the agent atomically (a temporary file renamed into place).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// Reads and checks an agent file (at most ``Limits/agentBytes``); errors name the file,
    /// the field and the value.
    public static func read(from url: URL) throws -> SavedAgent {
        let data: Data
        do { data = try SavedFile.contents(of: url, limit: Limits.agentBytes) } catch let error as SavedFileError {
            throw AgentFileError.unreadable(path: url.path, reason: error.reason)
        }
        return try decode(data, path: url.path)
    }
}

/// Errors of agent files.
public enum AgentFileError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read agent '\(path)': \(reason)"
        }
    }
}

/// The returns of a deterministic evaluation.
public struct EvaluationResult: Sendable {
    public var returns: [Double]
    public var lengths: [Int]
    public init(returns: [Double], lengths: [Int]) {
        self.returns = returns
        self.lengths = lengths
    }
    public var mean: Double { populationMeanAndDeviation(returns).mean }
    /// Population standard deviation of the returns.
    public var standardDeviation: Double { populationMeanAndDeviation(returns).deviation }
}

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

/// Mean and population standard deviation (numpy's default), NaN for no values.
public func populationMeanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    return (mean, (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot())
}
