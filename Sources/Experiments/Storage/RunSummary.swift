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
    public func video(_ format: VideoSettings.Format) -> URL {
        directory.appendingPathComponent("video.\(format.rawValue)")
    }
    /// Written last: its presence marks the run finished.
    public var summary: URL { directory.appendingPathComponent("summary.json") }
    /// The error of the last attempt, when it failed.
    public var failure: URL { directory.appendingPathComponent("failure.json") }

    public var isFinished: Bool { FileManager.default.fileExists(atPath: summary.path) }

    /// The run's summary, nil when it has none; a summary that is unreadable, malformed or of
    /// another run (its `id` is not this directory's name) is an error naming the file and field.
    public func readSummary() throws -> RunSummary? {
        guard FileManager.default.fileExists(atPath: summary.path) else { return nil }
        let data: Data
        do { data = try SavedFile.contents(of: summary, limit: Limits.smallFileBytes) } catch {
            throw ExperimentError.io(path: summary.path, reason: "\(error)")
        }
        return try RunSummary.decode(data, path: summary.path, id: directory.lastPathComponent)
    }
}

/// The state of a run in the results tree.
public enum RunState: Equatable, Sendable {
    case finished
    /// Another process holds the run's lock ("host pid").
    case running(holder: String)
    /// The last attempt failed with this message.
    case failed(String)
    /// Finished as diverged (the ``Divergence``'s description).
    case diverged(String)
    /// Not started, or stopped with a checkpoint at this update (nil: none yet).
    case pending(checkpointUpdate: Int?)

    public static func of(_ files: RunFiles) -> RunState {
        if files.isFinished {
            // The summary's presence marks the run finished; a readable one may say it diverged.
            return ((try? files.readSummary())??.divergence).map { .diverged($0.description) } ?? .finished
        }
        if let holder = RunLock.holder(files.directory) { return .running(holder: holder) }
        if let data = try? SavedFile.contents(of: files.failure, limit: Limits.smallFileBytes),
            let failure = try? JSONDecoder().decode(RunFailure.self, from: data)
        {
            return .failed(failure.message)
        }
        if let data = try? SavedFile.contents(of: files.checkpoint, limit: Limits.checkpointBytes),
            let checkpoint = try? JSONDecoder().decode(RunCheckpoint.Header.self, from: data)
        {
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

    /// Decodes and checks a checkpoint's bytes; `path` names it in errors. Its configuration is
    /// checked (within ``Limits``) before the task is built to learn its sizes, then every field
    /// against the others (``TrainerCheckpoint/problems(observationSize:actionSize:)``) and the
    /// recorded file sizes.
    public static func decode(_ data: Data, path: String) throws -> RunCheckpoint {
        let checkpoint: RunCheckpoint
        do { checkpoint = try JSONDecoder.nonFinite.decode(RunCheckpoint.self, from: data) } catch {
            throw ExperimentError.io(
                path: path, reason: "unreadable checkpoint: \(SavedFile.describe(error)); delete it to restart the run")
        }
        var problems: [String] = []
        if checkpoint.format != "spo-run-checkpoint" || checkpoint.version != 1 {
            problems.append(
                "format \(checkpoint.format) version \(checkpoint.version) is not spo-run-checkpoint version 1")
        }
        problems += checkpoint.trainer.configuration.problems().map { "trainer.configuration: \($0)" }
        for name in ["updates.csv", "episodes.csv", "events"] {
            let size = checkpoint.fileSizes[name]
            if !(0...Limits.csvBytes).contains(size ?? -1) {
                problems.append(
                    "fileSizes.\(name): must be in [0, \(Limits.csvBytes)], got \(size.map(String.init) ?? "nothing")")
            }
        }
        if problems.isEmpty {
            do {
                let sizes = try checkpoint.trainer.configuration.taskSizes()
                problems += checkpoint.trainer.problems(
                    observationSize: sizes.observationSize, actionSize: sizes.actionSize
                ).map { "trainer.\($0)" }
            } catch {
                problems.append("trainer.configuration.task: \(error)")
            }
        }
        if let problem = problems.first {
            throw ExperimentError.io(path: path, reason: "invalid checkpoint: \(problem); delete it to restart the run")
        }
        return checkpoint
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
    /// Set when the run diverged: training stopped there, `steps` and `updates` count what ran
    /// before it, and the return is that of the last 10% of those steps (absent otherwise).
    public var divergence: Divergence?

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

    /// Reads a summary; nil when the file is missing, too large or not a summary.
    public static func read(_ url: URL) -> RunSummary? {
        guard let data = try? SavedFile.contents(of: url, limit: Limits.smallFileBytes) else { return nil }
        return try? decode(data, path: url.path)
    }

    /// Decodes and checks a summary's bytes: the format, and `id` when given (the run it must
    /// belong to); `path` names the file in errors.
    public static func decode(_ data: Data, path: String, id: String? = nil) throws -> RunSummary {
        let summary: RunSummary
        do { summary = try JSONDecoder.nonFinite.decode(RunSummary.self, from: data) } catch {
            throw ExperimentError.io(path: path, reason: "not a run summary: \(SavedFile.describe(error))")
        }
        guard summary.format == "spo-run-summary", summary.version == 1 else {
            throw ExperimentError.io(
                path: path,
                reason: "format \(summary.format) version \(summary.version) is not spo-run-summary version 1")
        }
        if let id, summary.id != id {
            throw ExperimentError.io(path: path, reason: "id: must be this run's, \(id), got \(summary.id)")
        }
        guard summary.steps >= 0, summary.updates >= 0, summary.finalEpisodes >= 0, summary.evaluation.episodes >= 0
        else {
            throw ExperimentError.io(
                path: path,
                reason:
                    "steps, updates, finalEpisodes and evaluation.episodes must not be negative, "
                    + "got \(summary.steps), \(summary.updates), "
                    + "\(summary.finalEpisodes), \(summary.evaluation.episodes)"
            )
        }
        return summary
    }
}

/// A CSV file read into columns by header name (numbers; non-numbers are NaN).
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[Double]]

    public init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        header = lines.first.map { $0.split(separator: ",").map(String.init) } ?? []
        rows = lines.dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
        }
    }

    /// Reads the file at `url`; nil when it is missing, unreadable or over ``Limits/csvBytes``.
    public init?(contentsOf url: URL) {
        guard let data = try? SavedFile.contents(of: url, limit: Limits.csvBytes) else { return nil }
        self.init(String(decoding: data, as: UTF8.self))
    }

    /// The values of column `name` (empty when there is no such column).
    public func column(_ name: String) -> [Double] {
        guard let index = header.firstIndex(of: name) else { return [] }
        return rows.map { index < $0.count ? $0[index] : .nan }
    }
}
