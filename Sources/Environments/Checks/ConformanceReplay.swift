import Foundation

/// A recorded Gymnasium trajectory file (schema version 1, docs/environments.md#case-files):
/// a task, and episodes of initial state, actions and the expected per-step results.
public struct ConformanceCaseFile: Decodable, Sendable {
    public struct Step: Decodable, Sendable {
        public let action: [Double]
        public let obs: [Double]
        public let reward: Double
        public let terminated: Bool
        public let truncated: Bool
        public let info: [String: Double]
    }

    public struct Episode: Decodable, Sendable {
        public let name: String
        /// `"float32"` or `"float64"`: the element type of the actions Gymnasium was given.
        public let actionDtype: String
        public let initQpos: [Double]
        public let initQvel: [Double]
        public let resetQpos: [Double]
        public let resetObs: [Double]
        public let steps: [Step]
    }

    public let schemaVersion: Int
    public let envId: String
    public let episodes: [Episode]

    /// The largest case file read, in bytes (the shipped ones are under 2 MB).
    public static let byteLimit = 256 << 20

    /// Reads a case file of at most ``byteLimit`` bytes. Numbers are decoded by `JSONDecoder`,
    /// which rounds decimal text to the nearest double, as bit-exact comparison needs.
    public static func load(from url: URL) throws -> ConformanceCaseFile {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        guard let size else { throw ConformanceError.unreadable(path: url.path, reason: "cannot read the file") }
        guard size <= byteLimit else {
            throw ConformanceError.unreadable(
                path: url.path, reason: "has \(size) bytes, more than the \(byteLimit) allowed")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConformanceError.unreadable(path: url.path, reason: "cannot read the file")
        }
        return try decode(data, path: url.path)
    }

    /// Decodes case-file bytes (a `DecodingError` when they are not a case file); `path` names
    /// the file in the schema error.
    public static func decode(_ data: Data, path: String) throws -> ConformanceCaseFile {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let file = try decoder.decode(ConformanceCaseFile.self, from: data)
        guard file.schemaVersion == 1 else {
            throw ConformanceError.unsupportedSchema(path: path, version: file.schemaVersion)
        }
        return file
    }
}

/// Errors of reading conformance input.
public enum ConformanceError: Error, CustomStringConvertible {
    case unsupportedSchema(path: String, version: Int)
    case unreadable(path: String, reason: String)
    case badActionType(episode: String, dtype: String)

    public var description: String {
        switch self {
        case let .unsupportedSchema(path, version):
            return "\(path): schema_version \(version) is not supported (expected 1)"
        case let .unreadable(path, reason):
            return "\(path): \(reason)"
        case let .badActionType(episode, dtype):
            return "episode \(episode): action_dtype '\(dtype)' is neither float32 nor float64"
        }
    }
}

/// The comparison of one replayed episode with its recording.
public struct EpisodeComparison: Sendable {
    public var task: String
    public var episode: String
    /// Steps replayed and compared (the reset is compared in addition).
    public var stepsCompared = 0
    /// Largest |ours − recorded| over every observation value, reset included.
    public var maxObservationDeviation = 0.0
    /// Largest |ours − recorded| over the rewards.
    public var maxRewardDeviation = 0.0
    /// Largest |ours − recorded| over every info value.
    public var maxInfoDeviation = 0.0
    /// Values whose bit patterns differ (so −0.0 against 0.0 counts), flags that differ and missing info keys.
    public var mismatches = 0
    /// The first mismatch, to locate a bug.
    public var firstMismatch: String?

    /// Whether every number and flag matched exactly.
    public var isExact: Bool { mismatches == 0 }

    mutating func compare(_ ours: Double, _ recorded: Double, what: @autoclosure () -> String) -> Double {
        if ours.bitPattern == recorded.bitPattern { return 0 }
        mismatches += 1
        if firstMismatch == nil { firstMismatch = "\(what()): got \(ours), recorded \(recorded)" }
        if ours.isNaN && recorded.isNaN { return 0 }
        let deviation = abs(ours - recorded)
        return deviation.isNaN ? .infinity : deviation
    }

    mutating func compareFlag(_ ours: Bool, _ recorded: Bool, what: @autoclosure () -> String) {
        guard ours != recorded else { return }
        mismatches += 1
        if firstMismatch == nil { firstMismatch = "\(what()): got \(ours), recorded \(recorded)" }
    }
}

/// Replays recorded episodes through this project's environments and compares every value bit for bit.
///
/// Each episode follows docs/environments.md#replaying-a-case: `mj_resetData`, load the recorded
/// pre-normalisation qpos and qvel, `mj_forward`, then the recorded actions in their
/// recorded element type.
public enum ConformanceReplay {
    /// Replays every episode of `file` in a fresh environment of its task.
    public static func replay(_ file: ConformanceCaseFile) throws -> [EpisodeComparison] {
        let environment = try EnvironmentRegistry.make(file.envId)
        return try file.episodes.map { try replay($0, in: environment) }
    }

    /// Replays one episode in `environment`.
    public static func replay(_ episode: ConformanceCaseFile.Episode, in environment: any Environment) throws
        -> EpisodeComparison
    {
        let task = environment.spec.id
        var result = EpisodeComparison(task: task, episode: episode.name)
        let useDouble: Bool
        switch episode.actionDtype {
        case "float32": useDouble = false
        case "float64": useDouble = true
        default: throw ConformanceError.badActionType(episode: episode.name, dtype: episode.actionDtype)
        }

        var observation = [Double](repeating: 0, count: environment.spec.observationSize)
        try observation.withUnsafeMutableBufferPointer {
            try environment.reset(qpos: episode.initQpos, qvel: episode.initQvel, observation: $0)
        }
        compareVector(
            observation, episode.resetObs, label: "reset obs", into: &result, maximum: \.maxObservationDeviation)
        compareVector(
            Array(environment.simulation.qpos), episode.resetQpos, label: "reset qpos", into: &result,
            maximum: \.maxObservationDeviation)

        for (index, recorded) in episode.steps.enumerated() {
            let step =
                useDouble
                ? try environment.step(recorded.action) : try environment.step(recorded.action.map { Float($0) })
            let label = "step \(index + 1)"
            compareVector(
                step.observation, recorded.obs, label: "\(label) obs", into: &result, maximum: \.maxObservationDeviation
            )
            result.maxRewardDeviation = max(
                result.maxRewardDeviation, result.compare(step.reward, recorded.reward, what: "\(label) reward"))
            result.compareFlag(step.terminated, recorded.terminated, what: "\(label) terminated")
            result.compareFlag(step.truncated, recorded.truncated, what: "\(label) truncated")
            for (key, value) in recorded.info.sorted(by: { $0.key < $1.key }) {
                guard let ours = step.info[key] else {
                    result.mismatches += 1
                    if result.firstMismatch == nil { result.firstMismatch = "\(label) info: key '\(key)' missing" }
                    continue
                }
                result.maxInfoDeviation = max(
                    result.maxInfoDeviation, result.compare(ours, value, what: "\(label) info \(key)"))
            }
            result.stepsCompared += 1
        }
        return result
    }

    private static func compareVector(
        _ ours: [Double], _ recorded: [Double], label: String, into result: inout EpisodeComparison,
        maximum: WritableKeyPath<EpisodeComparison, Double>
    ) {
        guard ours.count == recorded.count else {
            result.mismatches += 1
            if result.firstMismatch == nil {
                result.firstMismatch = "\(label): \(ours.count) values, recorded \(recorded.count)"
            }
            return
        }
        for i in ours.indices {
            let deviation = result.compare(ours[i], recorded[i], what: "\(label)[\(i)]")
            if deviation > result[keyPath: maximum] { result[keyPath: maximum] = deviation }
        }
    }
}
