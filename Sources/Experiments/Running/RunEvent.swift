/// What a runner reports while it works, for the progress view or cluster logs.
public enum RunEvent: Codable, Sendable {
    /// A run started, from scratch (`fromUpdate` 0) or from a checkpoint.
    case started(id: String, fromUpdate: Int, updates: Int)
    /// An update finished: its number, the steps so far, the mean return of the episodes that
    /// ended in it (NaN if none), the training speed in steps per second, and its mean ratio
    /// deviation and KL.
    case progress(
        id: String, update: Int, updates: Int, globalStep: Int, episodicReturn: Double, stepsPerSecond: Double,
        ratioDeviation: Double, kl: Double)
    case finished(id: String, finalReturn: Double, evaluationReturn: Double)
    /// Stopped by a signal with a checkpoint at `update`.
    case interrupted(id: String, update: Int)
    case failed(id: String, message: String)
    /// The run diverged (``Divergence``) and is finished as such.
    case diverged(id: String, message: String)
    /// Another process holds the run.
    case skipped(id: String, holder: String)
}
