import Foundation
import Learning

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

    /// A run outside any experiment file (`spo train`): experiment `train`, network labelled as
    /// in experiment files when it is one of the papers' (`3-layer`, `7-layer`), else `custom`.
    /// The same settings in an experiment file give the same id.
    public init(training: TrainingConfiguration, evaluation: EvaluationSettings = EvaluationSettings()) {
        let network = ["3-layer", "7-layer"].compactMap(NetworkVariant.named).first {
            $0.actorHidden == training.actorHidden && $0.criticHidden == training.criticHidden
        }
        self.init(
            experiment: "train", task: training.task, algorithm: training.algorithm,
            network: network?.label ?? "custom", seed: training.seed, training: training, evaluation: evaluation,
            checkpointEvery: 10)
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
