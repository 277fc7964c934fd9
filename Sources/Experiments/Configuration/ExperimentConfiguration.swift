import Environments
import Foundation
import Learning
import Rendering
import Yams

/// An experiment file (JSON, or YAML for comments): a named grid of training runs, tasks ×
/// algorithms × actor networks × seeds, with shared hyperparameters and per-algorithm
/// overrides. Defaults are the papers' MuJoCo table (``Learning/TrainingConfiguration``).
///
/// ```yaml
/// name: icml-table            # results go to results/<name>/
/// tasks: [Hopper-v4, Walker2d-v4]
/// algorithms:                 # a name, or {name, label, overrides}
///   - ppo
///   - {name: spo-kl, label: spo-kl-0.01, overrides: {klLimit: 0.01}}
/// networks: [3-layer, 7-layer] # or {label, actorHidden, criticHidden}
/// seeds: [1, 2, 3, 4, 5]
/// totalSteps: 10000000        # environment steps per run
/// hyperparameters: {learningRate: 3.0e-4, loss: {entropyCoefficient: 0.0}}
/// evaluation: {episodes: 10, deterministic: true, seed: 1000000}
/// checkpointEvery: 10         # updates between checkpoints
/// ```
///
/// Loading checks everything before anything runs; every problem names the file, the line and
/// column, the field path and the bad value.
public struct ExperimentConfiguration: Sendable {
    /// The experiment's name: its results directory under the results root.
    public var name: String
    /// The file it was read from.
    public var file: String
    public var tasks: [String]
    public var algorithms: [AlgorithmVariant]
    public var networks: [NetworkVariant]
    public var seeds: [UInt64]
    /// Environment steps per run.
    public var totalSteps: Int
    public var evaluation: EvaluationSettings
    /// Updates between checkpoints.
    public var checkpointEvery: Int
    /// Every run of the grid, in the order task, algorithm, network, seed.
    public var runs: [RunSpecification]

    /// The top-level fields a configuration file may have.
    public static let fields = [
        "name", "description", "tasks", "algorithms", "networks", "seeds", "totalSteps", "hyperparameters",
        "evaluation", "checkpointEvery",
    ]
    /// Training settings that the grid sets and `hyperparameters` may therefore not.
    static let gridFields = [
        "task": "tasks", "algorithm": "algorithms", "seed": "seeds", "totalSteps": "totalSteps (top level)",
        "actorHidden": "networks", "criticHidden": "networks",
    ]

    /// Reads and checks a configuration file; throws ``ExperimentError/invalidConfiguration(path:problems:)``
    /// listing every problem, or ``ExperimentError/io(path:reason:)`` when the file cannot be read.
    public static func load(path: String) throws -> ExperimentConfiguration {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ExperimentError.io(path: path, reason: "no such configuration file")
        }
        let data: Data
        do { data = try SavedFile.contents(of: URL(fileURLWithPath: path), limit: Limits.smallFileBytes) } catch let
            error as SavedFileError
        {
            throw ExperimentError.io(path: path, reason: error.reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ExperimentError.invalidConfiguration(path: path, problems: ["the file is not UTF-8 text"])
        }
        let lowered = path.lowercased()
        let isJSON = lowered.hasSuffix(".json")
        guard isJSON || lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") else {
            throw ExperimentError.invalidConfiguration(
                path: path, problems: ["the file name must end in .json, .yaml or .yml"])
        }
        return try parse(text, file: path, strictJSON: isJSON)
    }

    /// Checks configuration text; `file` names it in errors. `strictJSON` first checks that the
    /// text is JSON (YAML accepts more).
    public static func parse(_ text: String, file: String, strictJSON: Bool) throws -> ExperimentConfiguration {
        if strictJSON {
            do {
                _ = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            } catch let DecodingError.dataCorrupted(context) {
                let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                throw ExperimentError.invalidConfiguration(
                    path: file, problems: ["malformed JSON: \(detail ?? context.debugDescription)"])
            } catch {
                throw ExperimentError.invalidConfiguration(path: file, problems: ["malformed JSON: \(error)"])
            }
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ExperimentError.invalidConfiguration(path: file, problems: [ConfigurationReader.describe(error)])
        } catch {
            throw ExperimentError.invalidConfiguration(path: file, problems: ["\(error)"])
        }
        var reader = ConfigurationReader()
        let configuration = reader.read(root, file: file)
        guard reader.problems.isEmpty, let configuration else {
            throw ExperimentError.invalidConfiguration(
                path: file, problems: reader.problems.isEmpty ? ["the configuration is empty"] : reader.problems)
        }
        return configuration
    }
}

/// One algorithm of the grid: its label in results and tables, the algorithm name, and the
/// training settings it overrides (e.g. `spo-kl` with `klLimit` 0.01).
public struct AlgorithmVariant: Codable, Sendable, Equatable {
    public var label: String
    public var algorithm: String
    public var overrides: [String: JSONValue]
}

/// One network of the grid: its label and hidden layer sizes. `3-layer` is the papers' shallow
/// actor (64-64), `7-layer` the deep one (256-256-128-128-64-64); the critic is 64-64.
public struct NetworkVariant: Codable, Sendable, Equatable {
    public var label: String
    public var actorHidden: [Int]
    public var criticHidden: [Int]

    /// The papers' networks by label (`3-layer`, `7-layer`).
    public static func named(_ label: String) -> NetworkVariant? {
        guard let layers = ["3-layer": 3, "7-layer": 7][label],
            let actor = TrainingConfiguration.actorHidden(layers: layers)
        else { return nil }
        return NetworkVariant(label: label, actorHidden: actor, criticHidden: [64, 64])
    }
}

/// How a finished run's agent is evaluated: episodes of its policy (mean action when
/// `deterministic`) with frozen observation statistics, environments seeded from `seed`.
public struct EvaluationSettings: Codable, Sendable, Equatable {
    public var episodes = 10
    public var deterministic = true
    public var seed: UInt64 = 1_000_000
    /// A video of the evaluation policy in the run's folder, or nil for none. Not part of a
    /// run's id: a video changes no result.
    public var video: VideoSettings? = nil
    public init() {}
}

/// An evaluation video (`video.mp4` or `video.gif` in the run's folder): the first `episodes`
/// evaluation episodes (same seeds and policy) at `width`×`height` pixels and `quality`,
/// rendered offscreen (a private Xvfb when there is no DISPLAY).
public struct VideoSettings: Codable, Sendable, Equatable {
    /// `mp4` (ffmpeg; PNG frames in `video_frames/` without it) or `gif`.
    public enum Format: String, Codable, Sendable, CaseIterable { case mp4, gif }
    public var episodes = 1
    public var width = 640
    public var height = 480
    public var format = Format.mp4
    public var quality = RenderQuality.fast
    public init() {}
}

/// One run of an experiment, fully resolved: every training setting, the evaluation, and a
/// stable id derived from them (`<task>_<algorithm>_<network>_s<seed>_<hash>`, the hash over
/// every setting that can change results).
public struct RunSpecification: Codable, Sendable, Equatable {
    public var id: String
    public var experiment: String
    public var task: String
    /// Labels of the algorithm variant and network.
    public var algorithm: String
    public var network: String
    public var seed: UInt64
    public var training: TrainingConfiguration
    public var evaluation: EvaluationSettings
    /// Updates between checkpoints (does not change results, so not part of the id).
    public var checkpointEvery: Int

    init(
        experiment: String, task: String, algorithm: String, network: String, seed: UInt64,
        training: TrainingConfiguration,
        evaluation: EvaluationSettings, checkpointEvery: Int
    ) {
        self.experiment = experiment
        self.task = task
        self.algorithm = algorithm
        self.network = network
        self.seed = seed
        self.training = training
        self.evaluation = evaluation
        self.checkpointEvery = checkpointEvery
        id = Self.identifier(
            task: task, algorithm: algorithm, network: network, seed: seed, training: training, evaluation: evaluation)
    }

    /// The stable id: readable parts and 12 hex digits of a 64-bit FNV-1a hash of the canonical
    /// JSON of the settings (sorted keys; `workers`, which cannot change results, left out).
    static func identifier(
        task: String, algorithm: String, network: String, seed: UInt64, training: TrainingConfiguration,
        evaluation: EvaluationSettings
    ) -> String {
        var canonical = training
        canonical.workers = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes = (try? encoder.encode(canonical)) ?? Data()
        var canonicalEvaluation = evaluation
        canonicalEvaluation.video = nil
        bytes.append((try? encoder.encode(canonicalEvaluation)) ?? Data())
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(String(hash, radix: 16).leftPadded(to: 16).prefix(12))
        let readable = [task, algorithm, network, "s\(seed)"].map(sanitized).joined(separator: "_")
        return "\(readable)_\(digits)"
    }

    private static func sanitized(_ part: String) -> String {
        String(part.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" })
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
