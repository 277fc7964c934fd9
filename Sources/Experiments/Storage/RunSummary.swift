import Foundation
import Learning

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
