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

    public init(configuration: TrainingConfiguration, actorSizes: [Int], criticSizes: [Int], parameters: [Float], wrappers: [TrainingWrappers], globalStep: Int) {
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

    /// Reads and checks an agent file; errors name the file and what is wrong.
    public static func read(from url: URL) throws -> SavedAgent {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw AgentFileError.unreadable(path: url.path, reason: "no such file")
        }
        let agent: SavedAgent
        do {
            agent = try JSONDecoder().decode(SavedAgent.self, from: Data(contentsOf: url))
        } catch let DecodingError.keyNotFound(key, _) {
            throw AgentFileError.unreadable(path: url.path, reason: "missing key '\(key.stringValue)'; not an spo-agent file")
        } catch DecodingError.dataCorrupted {
            throw AgentFileError.unreadable(path: url.path, reason: "not valid JSON")
        } catch {
            throw AgentFileError.unreadable(path: url.path, reason: "\(error)")
        }
        guard agent.format == "spo-agent", agent.version == 1 else {
            throw AgentFileError.unreadable(path: url.path, reason: "format \(agent.format) version \(agent.version) is not spo-agent version 1")
        }
        let expected = MLP<Float>(sizes: agent.actorSizes).parameterCount + agent.actorSizes.last! + MLP<Float>(sizes: agent.criticSizes).parameterCount
        guard agent.parameters.count == expected, !agent.wrappers.isEmpty else {
            throw AgentFileError.unreadable(path: url.path, reason: "has \(agent.parameters.count) parameters, its network sizes need \(expected)")
        }
        return agent
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
    public var mean: Double { returns.reduce(0, +) / Double(returns.count) }
    /// Population standard deviation of the returns.
    public var standardDeviation: Double {
        let mean = self.mean
        return (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count)).squareRoot()
    }
}

extension SavedAgent {
    /// Runs the policy for `episodes` episodes, seeded `seed`, `seed + 1`, …, normalising
    /// observations with environment 0's statistics, frozen. `deterministic` runs the mean
    /// action; otherwise actions are sampled from the Gaussian (noise from a generator seeded
    /// `seed`). Actions are clipped to the bounds.
    public func evaluate(episodes: Int, seed: UInt64, deterministic: Bool = true, progress: (Int, Double) -> Void = { _, _ in }) throws -> EvaluationResult {
        let environment = try EnvironmentRegistry.make(configuration.task)
        let spec = environment.spec
        let actor = MLP<Float>(sizes: actorSizes)
        let std = parameters[actor.parameterCount..<(actor.parameterCount + spec.actionSize)].map { Foundation.exp($0) }
        var noise = RandomGenerator(seed: seed)
        var normalizer = wrappers[0]
        normalizer.updatesStatistics = false
        var result = EvaluationResult(returns: [], lengths: [])
        var action = [Float](repeating: 0, count: spec.actionSize)
        var clipped = [Float](repeating: 0, count: spec.actionSize)
        for episode in 0..<episodes {
            var raw = environment.reset(seed: seed &+ UInt64(episode))
            var total = 0.0, length = 0
            while true {
                var observation = raw
                observation.withUnsafeMutableBufferPointer { normalizer.normalize(observation: $0) }
                let mean = actor.forward(parameters, input: observation.map { Float($0) }, batch: 1).output
                for j in 0..<spec.actionSize {
                    action[j] = deterministic ? mean[j] : mean[j] + std[j] * Float(noise.standardNormal())
                }
                action.withUnsafeBufferPointer { a in clipped.withUnsafeMutableBufferPointer { TrainingWrappers.clip(action: a, space: spec.actionSpace, into: $0) } }
                let step = try environment.step(clipped)
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
