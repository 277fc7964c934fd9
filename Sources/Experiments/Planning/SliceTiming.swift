import Foundation

/// A short slice of one kind of run timed on this machine: `copies` copies of the run trained at
/// once in this process (as many as `spo run --jobs` would train together), each with `workers`
/// workers, one warm-up update each, then updates until the time budget. Durations in seconds.
public struct SliceTiming: Codable, Sendable {
    public var copies: Int
    public var workers: Int
    /// Environment steps per update (N·T).
    public var stepsPerUpdate: Int
    /// Wall seconds of each timed update (rollout, learning, its log lines), over all copies,
    /// counting only updates during which every copy was past its warm-up and still training.
    public var updateSeconds: [Double]
    /// Creating the trainer: model files, environments, networks.
    public var startSeconds: Double
    /// One checkpoint: log files synced, the trainer's state as JSON, written atomically (fsync).
    public var checkpointSeconds: Double
    /// Saving the agent (`agent.json`).
    public var agentSeconds: Double
    /// Creating the evaluation environment, and one evaluation step (the policy's mean action
    /// and an environment step).
    public var evaluationStartSeconds: Double
    public var evaluationStepSeconds: Double
    /// Episodes that ended during the timed updates, per environment step.
    public var episodesPerStep: Double
    /// The share of the timed updates' seconds spent in rollouts (the rest is learning).
    public var rolloutShare: Double
    /// The share of the timed updates' core time (wall seconds × workers) spent inside MuJoCo.
    public var physicsShare: Double
    /// One environment reset (single-threaded).
    public var resetSeconds: Double
    /// The task's episode cap, at which evaluation episodes are counted.
    public var maxEpisodeSteps: Int

    public var meanUpdateSeconds: Double { updateSeconds.reduce(0, +) / Double(updateSeconds.count) }
    /// Training steps per second of one run.
    public var stepsPerSecond: Double { Double(stepsPerUpdate) / meanUpdateSeconds }
    /// Mean steps per episode in the slice (nil when none ended).
    public var meanEpisodeLength: Double? { episodesPerStep > 0 ? 1 / episodesPerStep : nil }

    /// The share of an update's time spent resetting environments in the slice (the resets of
    /// an update spread over the workers): the most a run's later updates, whose episodes are
    /// longer, can save on resets.
    public var resetShare: Double {
        let resets = episodesPerStep * Double(stepsPerUpdate)
        return Swift.min(1, resets * resetSeconds / Double(workers) / meanUpdateSeconds)
    }

    /// Seconds of a run's fixed costs: start, saving the agent and its evaluation, counted at
    /// `episodes` full-length (``maxEpisodeSteps``) episodes, an upper bound.
    public func overheadSeconds(evaluationEpisodes episodes: Int) -> Double {
        startSeconds + agentSeconds + evaluationStartSeconds + Double(episodes * maxEpisodeSteps)
            * evaluationStepSeconds
    }

    /// Seconds to finish `remaining` with updates of `updateSeconds` each: the fixed costs, the
    /// updates, the checkpoints, and reading the checkpoint back when it resumes (counted as one write).
    public func seconds(_ remaining: RemainingRun, updateSeconds: Double) -> Double {
        guard !remaining.isFinished else { return 0 }
        return overheadSeconds(evaluationEpisodes: remaining.run.evaluation.episodes)
            + Double(remaining.updates) * updateSeconds + Double(remaining.checkpoints + (remaining.resumes ? 1 : 0))
            * checkpointSeconds
    }
}
