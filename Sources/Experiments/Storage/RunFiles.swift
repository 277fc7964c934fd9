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

    /// Deletes the files a run writes (to start it afresh), keeping anything else in the directory.
    public func removeRunFiles() throws {
        let files =
            [specification, updates, episodes, events, checkpoint, agent, summary, failure]
            + VideoSettings.Format.allCases.map(video)
        for file in files where FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.removeItem(at: file)
        }
    }

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
