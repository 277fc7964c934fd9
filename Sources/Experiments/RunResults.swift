import Foundation
import Learning

/// The files of one run under `<results>/<experiment>/<run-id>/`.
public struct RunFiles: Sendable {
    public let directory: URL
    public init(directory: URL) { self.directory = directory }
    public init(root: URL, run: RunSpecification) {
        directory = root.appendingPathComponent(run.experiment).appendingPathComponent(run.id)
    }

    /// The resolved run: every setting (written first).
    public var specification: URL { directory.appendingPathComponent("run.json") }
    /// Per update metrics and per episode records (CSV), and the same scalars for TensorBoard.
    public var updates: URL { directory.appendingPathComponent("updates.csv") }
    public var episodes: URL { directory.appendingPathComponent("episodes.csv") }
    public var events: URL { directory.appendingPathComponent("events.out.tfevents.spo") }
    /// The latest checkpoint (replaced atomically).
    public var checkpoint: URL { directory.appendingPathComponent("checkpoint.json") }
    /// The trained agent (`spo eval`, `spo render`).
    public var agent: URL { directory.appendingPathComponent("agent.json") }
    /// The evaluation video, `video.mp4` or `video.gif` (written when the configuration asks for one).
    public func video(_ format: VideoSettings.Format) -> URL { directory.appendingPathComponent("video.\(format.rawValue)") }
    /// Written last: its presence marks the run finished.
    public var summary: URL { directory.appendingPathComponent("summary.json") }
    /// The error of the last attempt, when it failed.
    public var failure: URL { directory.appendingPathComponent("failure.json") }

    public var isFinished: Bool { FileManager.default.fileExists(atPath: summary.path) }
}

/// The state of a run in the results tree.
public enum RunState: Equatable, Sendable {
    case finished
    /// Another process holds the run's lock ("host pid").
    case running(holder: String)
    /// The last attempt failed with this message.
    case failed(String)
    /// Not started, or stopped with a checkpoint at this update (nil: none yet).
    case pending(checkpointUpdate: Int?)

    public static func of(_ files: RunFiles) -> RunState {
        if files.isFinished { return .finished }
        if let holder = RunLock.holder(files.directory) { return .running(holder: holder) }
        if let data = FileManager.default.contents(atPath: files.failure.path),
           let failure = try? JSONDecoder().decode(RunFailure.self, from: data) {
            return .failed(failure.message)
        }
        if let data = FileManager.default.contents(atPath: files.checkpoint.path),
           let checkpoint = try? JSONDecoder().decode(RunCheckpoint.Header.self, from: data) {
            return .pending(checkpointUpdate: checkpoint.trainer.update)
        }
        return .pending(checkpointUpdate: nil)
    }
}

/// Why a run's last attempt failed.
public struct RunFailure: Codable, Sendable {
    public var message: String
}

/// A run's checkpoint: the trainer's full state and the sizes of the output files it matches.
public struct RunCheckpoint: Codable, Sendable {
    public var format = "spo-run-checkpoint"
    public var version = 1
    public var trainer: TrainerCheckpoint
    /// Bytes of updates.csv, episodes.csv and the event file at the checkpoint.
    public var fileSizes: [String: Int]

    /// Just enough to say how far a checkpoint got, without decoding the whole state.
    struct Header: Codable {
        struct Progress: Codable { var update: Int }
        var trainer: Progress
    }
}

/// The summary of a finished run (`summary.json`, written last): the papers' table metrics
/// and the evaluation of the final agent. `timing` is the only part that differs between an
/// interrupted-and-resumed run and an uninterrupted one.
public struct RunSummary: Codable, Sendable, Equatable {
    public var format = "spo-run-summary"
    public var version = 1
    public var id: String
    public var task: String
    public var algorithm: String
    public var network: String
    public var seed: UInt64
    /// Environment steps trained and updates run.
    public var steps: Int
    public var updates: Int
    /// Mean raw episodic return of the episodes that ended in the last 10% of the training
    /// steps (the papers' "average return"), and how many there were (NaN, 0 when none).
    public var finalReturn: Double
    public var finalEpisodes: Int
    /// Mean over updates of the per-update mean |r − 1|, and the largest per-sample value seen.
    public var ratioDeviation: Double
    public var ratioDeviationMax: Double
    /// Mean over updates of the mean KL(π_old‖π), and the largest per-sample value seen.
    public var meanKL: Double
    public var maxKL: Double
    /// Mean policy entropy over the updates in the last 10% of training.
    public var finalEntropy: Double
    public var evaluation: Evaluation
    public var timing: Timing

    /// The final agent's evaluation.
    public struct Evaluation: Codable, Sendable, Equatable {
        public var episodes: Int
        public var deterministic: Bool
        public var returns: [Double]
        public var mean: Double
        public var standardDeviation: Double
    }

    /// Wall-clock facts (excluded from determinism).
    public struct Timing: Codable, Sendable, Equatable {
        /// Seconds spent in this run's training updates and rollouts, summed over attempts.
        public var trainingSeconds: Double
        public var finishedAt: String
    }

    /// Reads a summary; nil when the file is missing or not a summary.
    public static func read(_ url: URL) -> RunSummary? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder.nonFinite.decode(RunSummary.self, from: data)
    }
}

/// A CSV file read into columns by header name (numbers; non-numbers are NaN).
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[Double]]

    public init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        header = lines.first.map { $0.split(separator: ",").map(String.init) } ?? []
        rows = lines.dropFirst().map { line in line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan } }
    }

    public init?(contentsOf url: URL) {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        self.init(String(decoding: data, as: UTF8.self))
    }

    /// The values of column `name` (empty when there is no such column).
    public func column(_ name: String) -> [Double] {
        guard let index = header.firstIndex(of: name) else { return [] }
        return rows.map { index < $0.count ? $0[index] : .nan }
    }
}
