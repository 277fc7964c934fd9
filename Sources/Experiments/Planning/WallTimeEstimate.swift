import Foundation

/// The projected wall time of an experiment's unfinished runs on this machine (seconds).
public struct WallTimeEstimate: Codable, Sendable {
    /// One kind of run: what is left of it and how fast it trains here.
    public struct Cell: Codable, Sendable {
        public var task: String
        public var algorithm: String
        public var network: String
        /// Runs left to train (resumed ones included) and runs finished.
        public var runs: Int
        public var finishedRuns: Int
        /// Environment steps and updates left over its runs.
        public var remainingSteps: Int
        public var remainingUpdates: Int
        /// Training steps per second of one run (mean timed update), and the spread of the timed
        /// updates (seconds); nil when every run of the kind is finished (nothing measured).
        public var stepsPerSecond: Double?
        public var secondsPerUpdate: Double?
        public var secondsPerUpdateMin: Double?
        public var secondsPerUpdateMax: Double?
        public var timedUpdates: Int
        /// Mean episode length in the slice (nil: none ended), and the shares of an update spent
        /// in the rollout and in resetting environments.
        public var meanEpisodeLength: Double?
        public var rolloutShare: Double
        public var resetShare: Double
        /// The share of the slice's core time (wall seconds × workers) spent inside MuJoCo: the
        /// physics, which only a faster MuJoCo or more cores can shorten.
        public var physicsShare: Double
        /// Per run: start, agent save and evaluation (at full-length episodes); one checkpoint.
        public var overheadSecondsPerRun: Double
        public var checkpointSeconds: Double
        /// Its runs one after another, and with the fastest and slowest timed update.
        public var seconds: Double
        public var secondsLow: Double
        public var secondsHigh: Double
    }

    public var experiment: String
    public var jobs: Int
    /// Workers each run gets (at most; a run's own setting may ask for fewer).
    public var workers: Int
    public var cores: Int
    /// The 1-minute load average before and after measuring: other processes' load is in the timings.
    public var loadAverage: [Double]
    public var runs: Int
    public var finishedRuns: Int
    public var runningElsewhere: Int
    public var remainingSteps: Int
    /// Wall seconds for the unfinished runs with `jobs` jobs, and the same if every update took
    /// as long as its kind's fastest or slowest timed update.
    public var totalSeconds: Double
    public var totalSecondsLow: Double
    public var totalSecondsHigh: Double
    /// The rollout and reset shares of the slices, weighted by each kind's seconds: the slices'
    /// rollouts run a run's first, short episodes, and the resets are what late updates (long
    /// episodes, few resets) can save at most on that account.
    public var rolloutShare: Double
    public var resetShare: Double
    /// The cells' physics shares, weighted the same way: `physicsShare × totalSeconds` is about
    /// what the physics alone would take on this machine with these jobs.
    public var physicsShare: Double
    /// Evaluation episodes are counted at this many steps (the tasks' cap; 0 when nothing was
    /// measured): an upper bound.
    public var evaluationEpisodeSteps: Int
    /// Whether runs record evaluation videos, which the estimate leaves out.
    public var videosExcluded: Bool
    /// Seconds the measurement took.
    public var measuringSeconds: Double
    public var cells: [Cell]
}
