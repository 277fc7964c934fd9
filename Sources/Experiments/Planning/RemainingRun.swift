import Foundation

/// What is left of one run of an experiment in a results tree.
public struct RemainingRun: Sendable {
    public var run: RunSpecification
    /// Updates still to train: all of them, those after its checkpoint, or 0 when finished.
    public var updates: Int
    /// Whether `summary.json` exists (the run costs nothing).
    public var isFinished: Bool
    /// Whether it resumes from a checkpoint.
    public var resumes: Bool
    /// Whether another process holds its lock now (it is counted as left to run all the same).
    public var isRunningElsewhere: Bool

    /// The state of `run` under the results root `root`.
    public static func of(_ run: RunSpecification, root: URL) -> RemainingRun {
        let files = RunFiles(root: root, run: run)
        if files.isFinished {
            return RemainingRun(run: run, updates: 0, isFinished: true, resumes: false, isRunningElsewhere: false)
        }
        var done = 0
        if let data = FileManager.default.contents(atPath: files.checkpoint.path),
            let header = try? JSONDecoder.nonFinite.decode(RunCheckpoint.Header.self, from: data)
        {
            done = Swift.min(header.trainer.update, run.training.updates)
        }
        return RemainingRun(
            run: run, updates: run.training.updates - done, isFinished: false, resumes: done > 0,
            isRunningElsewhere: RunLock.holder(files.directory) != nil)
    }

    /// Checkpoints the runner writes while training the remaining updates: every
    /// `checkpointEvery` updates and after the last one.
    public var checkpoints: Int {
        let total = run.training.updates, start = total - updates, every = run.checkpointEvery
        return total / every - start / every + (total % every == 0 ? 0 : 1)
    }
}
