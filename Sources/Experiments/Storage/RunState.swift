import Foundation
import Learning

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
