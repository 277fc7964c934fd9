import Foundation
import Learning
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

    /// Reads and checks a configuration file with `overrides` laid over it; throws
    /// ``ExperimentError/invalidConfiguration(path:problems:)`` listing every problem, or
    /// ``ExperimentError/io(path:reason:)`` when the file cannot be read.
    public static func load(path: String, overrides: [ExperimentOverride] = []) throws -> ExperimentConfiguration {
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
        return try parse(text, file: path, strictJSON: isJSON, overrides: overrides)
    }

    /// Checks configuration text; `file` names it in errors. `strictJSON` first checks that the
    /// text is JSON (YAML accepts more).
    public static func parse(_ text: String, file: String, strictJSON: Bool, overrides: [ExperimentOverride] = [])
        throws -> ExperimentConfiguration
    {
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
        var document = root
        for override in overrides {
            guard let updated = document?.setting(override.value, at: override.documentPath[...]) else {
                throw ExperimentError.invalidConfiguration(
                    path: file,
                    problems: [
                        " --set \(override.text): "
                            + "\(override.documentPath.dropLast().joined(separator: ".")) is not an object"
                    ])
            }
            document = updated
            reader.overrides.append(override)
        }
        let configuration = reader.read(document, file: file)
        guard reader.problems.isEmpty, let configuration else {
            throw ExperimentError.invalidConfiguration(
                path: file, problems: reader.problems.isEmpty ? ["the configuration is empty"] : reader.problems)
        }
        return configuration
    }
}
