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
