import Dispatch
import Environments
import Foundation
import Learning

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

/// A kind of run: task × algorithm × network. Seeds of a kind share one measurement.
public struct RunKind: Hashable, Codable, Sendable, CustomStringConvertible {
    public var task: String
    public var algorithm: String
    public var network: String

    public init(_ run: RunSpecification) {
        task = run.task
        algorithm = run.algorithm
        network = run.network
    }

    public var description: String { "\(task) \(algorithm) \(network)" }
}

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

/// When `jobs` processes take the runs of `durations` in order, each taking the next one as
/// soon as it is free (as `spo run --jobs` does): the seconds until the last one ends.
public func listScheduleSeconds(_ durations: [Double], jobs: Int) -> Double {
    var free = [Double](repeating: 0, count: Swift.max(1, jobs))
    for duration in durations {
        let next = free.indices.min { free[$0] < free[$1] }!
        free[next] += duration
    }
    return free.max()!
}

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
    /// Evaluation episodes are counted at this many steps (the tasks' cap; 0 when nothing was
    /// measured): an upper bound.
    public var evaluationEpisodeSteps: Int
    /// Whether runs record evaluation videos, which the estimate leaves out.
    public var videosExcluded: Bool
    /// Seconds the measurement took.
    public var measuringSeconds: Double
    public var cells: [Cell]
}

/// Times a short slice of each kind of unfinished run of an experiment (the real trainer and
/// environments with the run's settings, in a temporary directory) and projects the wall time
/// of everything not yet finished with `jobs` parallel jobs of `workers` workers each.
public struct WallTimeEstimator {
    public var configuration: ExperimentConfiguration
    public var root: URL
    public var jobs: Int
    /// Workers per run, at most (as `spo run --workers`).
    public var workers: Int
    /// Seconds of timed updates per kind of run, after one warm-up update.
    public var secondsPerCell = 2.0
    /// Timed updates per copy at least, whatever the time.
    public var minimumUpdates = 2

    public init(configuration: ExperimentConfiguration, root: URL, jobs: Int, workers: Int) {
        self.configuration = configuration
        self.root = root
        self.jobs = jobs
        self.workers = workers
    }

    /// Measures every kind with runs left (`progress` gets a line per kind) and projects.
    public func estimate(progress: (String) -> Void = { _ in }) throws -> WallTimeEstimate {
        let started = DispatchTime.now().uptimeNanoseconds
        let loadBefore = Self.loadAverage()
        let remaining = configuration.runs.map { RemainingRun.of($0, root: root) }
        let unfinished = remaining.filter { !$0.isFinished }
        var kinds: [RunKind] = []
        for run in configuration.runs where !kinds.contains(RunKind(run)) { kinds.append(RunKind(run)) }
        let copies = Swift.max(1, Swift.min(jobs, unfinished.count))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "spo-estimate-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }

        var timings: [RunKind: SliceTiming] = [:]
        let measured = kinds.filter { kind in unfinished.contains { RunKind($0.run) == kind } }
        for (index, kind) in measured.enumerated() {
            let representative = unfinished.first { RunKind($0.run) == kind }!.run
            let timing = try Self.measure(
                representative, copies: copies, workers: Swift.min(workers, representative.training.workers),
                seconds: secondsPerCell, minimumUpdates: minimumUpdates,
                directory: scratch.appendingPathComponent("\(index)"))
            timings[kind] = timing
            progress(
                String(
                    format: "%d/%d %@: %d timed updates × %d at once, %.0f steps/s per run, %.3f s per update",
                    index + 1, measured.count, kind.description, timing.updateSeconds.count, copies,
                    timing.stepsPerSecond, timing.meanUpdateSeconds))
        }

        func duration(_ run: RemainingRun, _ pick: (SliceTiming) -> Double) -> Double {
            guard let timing = timings[RunKind(run.run)] else { return 0 }
            return timing.seconds(run, updateSeconds: pick(timing))
        }
        let mean = remaining.map { duration($0, \.meanUpdateSeconds) }
        let low = remaining.map { duration($0) { $0.updateSeconds.min()! } }
        let high = remaining.map { duration($0) { $0.updateSeconds.max()! } }

        var cells: [WallTimeEstimate.Cell] = []
        for kind in kinds {
            let members = remaining.indices.filter { RunKind(remaining[$0].run) == kind }
            let left = members.filter { !remaining[$0].isFinished }
            let updates = left.reduce(0) { $0 + remaining[$1].updates }
            let batch = remaining[members[0]].run.training.batchSize
            let timing = timings[kind]
            cells.append(
                WallTimeEstimate.Cell(
                    task: kind.task, algorithm: kind.algorithm, network: kind.network, runs: left.count,
                    finishedRuns: members.count - left.count,
                    remainingSteps: updates * batch, remainingUpdates: updates,
                    stepsPerSecond: timing?.stepsPerSecond, secondsPerUpdate: timing?.meanUpdateSeconds,
                    secondsPerUpdateMin: timing?.updateSeconds.min(), secondsPerUpdateMax: timing?.updateSeconds.max(),
                    timedUpdates: timing?.updateSeconds.count ?? 0, meanEpisodeLength: timing?.meanEpisodeLength,
                    rolloutShare: timing?.rolloutShare ?? 0, resetShare: timing?.resetShare ?? 0,
                    overheadSecondsPerRun: timing?.overheadSeconds(
                        evaluationEpisodes: remaining[members[0]].run.evaluation.episodes) ?? 0,
                    checkpointSeconds: timing?.checkpointSeconds ?? 0,
                    seconds: members.reduce(0) { $0 + mean[$1] }, secondsLow: members.reduce(0) { $0 + low[$1] },
                    secondsHigh: members.reduce(0) { $0 + high[$1] }
                ))
        }
        let work = cells.reduce(0) { $0 + $1.seconds }
        let pending = remaining.indices.filter { !remaining[$0].isFinished }
        return WallTimeEstimate(
            experiment: configuration.name, jobs: jobs, workers: workers,
            cores: ProcessInfo.processInfo.activeProcessorCount,
            loadAverage: [loadBefore, Self.loadAverage()], runs: remaining.count,
            finishedRuns: remaining.count - unfinished.count,
            runningElsewhere: unfinished.filter(\.isRunningElsewhere).count,
            remainingSteps: cells.reduce(0) { $0 + $1.remainingSteps },
            totalSeconds: listScheduleSeconds(pending.map { mean[$0] }, jobs: jobs),
            totalSecondsLow: listScheduleSeconds(pending.map { low[$0] }, jobs: jobs),
            totalSecondsHigh: listScheduleSeconds(pending.map { high[$0] }, jobs: jobs),
            rolloutShare: work > 0 ? cells.reduce(0) { $0 + $1.rolloutShare * $1.seconds } / work : 0,
            resetShare: work > 0 ? cells.reduce(0) { $0 + $1.resetShare * $1.seconds } / work : 0,
            evaluationEpisodeSteps: timings.values.map(\.maxEpisodeSteps).max() ?? 0,
            videosExcluded: configuration.evaluation.video != nil,
            measuringSeconds: Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9, cells: cells
        )
    }

    /// The 1-minute load average (NaN where unavailable).
    static func loadAverage() -> Double {
        var loads = [Double](repeating: .nan, count: 1)
        return getloadavg(&loads, 1) == 1 ? loads[0] : .nan
    }

    /// Times a slice of `run`: `copies` trainers at once, each in its own thread and directory,
    /// with the run's settings and `workers` workers; then, on copy 0, a checkpoint, the agent's
    /// save and evaluation steps.
    static func measure(
        _ run: RunSpecification, copies: Int, workers: Int, seconds: Double, minimumUpdates: Int,
        directory: URL
    ) throws -> SliceTiming {
        let settings = run.training.with(workers: workers)
        let warmUp = settings.updates > 1 ? 1 : 0
        let timedLimit = Swift.max(1, settings.updates - warmUp)
        let slices = SliceResults(copies: copies)
        let timedDone = DispatchGroup()
        let finished = DispatchGroup()
        for copy in 0..<copies {
            timedDone.enter()
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                slices.record(copy) {
                    try Self.trainSlice(
                        run, settings: settings, copy: copy, warmUp: warmUp, timedLimit: timedLimit, seconds: seconds,
                        minimumUpdates: minimumUpdates, directory: directory.appendingPathComponent("copy-\(copy)"),
                        timedDone: timedDone)
                }
            }
            thread.stackSize = 8 << 20  // the main thread's, where runs train
            thread.start()
        }
        finished.wait()
        let results = try slices.results()

        // Updates during which every copy was past its warm-up and still training (all of them
        // if the window holds none).
        let windowStart = results.map(\.warmUpEnd).max()!, windowEnd = results.map { $0.updates.last!.end }.min()!
        let all = results.flatMap(\.updates)
        let window = all.filter { $0.start >= windowStart && $0.end <= windowEnd }
        let timed = window.isEmpty ? all : window
        let steps = Double(timed.count * settings.batchSize)
        let first = results[0]
        return SliceTiming(
            copies: copies, workers: workers, stepsPerUpdate: settings.batchSize,
            updateSeconds: timed.map { $0.end - $0.start },
            startSeconds: first.startSeconds, checkpointSeconds: first.checkpointSeconds,
            agentSeconds: first.agentSeconds,
            evaluationStartSeconds: first.evaluationStartSeconds, evaluationStepSeconds: first.evaluationStepSeconds,
            episodesPerStep: Double(timed.reduce(0) { $0 + $1.episodes }) / steps,
            rolloutShare: timed.reduce(0) { $0 + $1.rollout } / timed.reduce(0) { $0 + $1.end - $1.start },
            resetSeconds: first.resetSeconds,
            maxEpisodeSteps: first.maxEpisodeSteps)
    }

    /// One copy's slice: start, warm-up, timed updates (written to its logs as a run's are);
    /// copy 0 then waits for the others to stop and times a checkpoint, the agent's save,
    /// evaluation steps and resets.
    private static func trainSlice(
        _ run: RunSpecification, settings: TrainingConfiguration, copy: Int, warmUp: Int, timedLimit: Int,
        seconds: Double, minimumUpdates: Int, directory: URL, timedDone: DispatchGroup
    ) throws -> CopySlice {
        var copySettings = settings
        copySettings.seed = settings.seed &+ UInt64(copy)
        var slice = CopySlice()
        var clock = Self.now()
        var timing = true
        func stopTiming() {
            if timing { timedDone.leave() }
            timing = false
        }
        defer { stopTiming() }  // a copy that fails must not hold copy 0 up
        let trainer = try Trainer(configuration: copySettings)
        slice.startSeconds = Self.now() - clock
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = RunFiles(directory: directory)
        let logs = try [files.updates, files.episodes, files.events].map { try AppendLog($0, truncatingTo: nil) }
        func update() throws -> UpdateMetrics {
            let metrics = try trainer.step { record in _ = try? logs[1].append(line: record.csvRow) }
            try logs[0].append(line: metrics.csvRow)
            try logs[2].append(
                TensorBoardEvents.scalarsRecord(
                    step: Int64(metrics.globalStep), wallTime: Date().timeIntervalSince1970, scalars: metrics.scalars))
            return metrics
        }
        for _ in 0..<warmUp { _ = try update() }
        slice.warmUpEnd = Self.now()
        let deadline = slice.warmUpEnd + seconds
        while slice.updates.count < timedLimit, slice.updates.count < minimumUpdates || Self.now() < deadline {
            let start = Self.now()
            let metrics = try update()
            slice.updates.append(
                .init(
                    start: start, end: Self.now(), episodes: metrics.episodesFinished, rollout: metrics.rolloutSeconds))
        }
        stopTiming()
        guard copy == 0 else { return slice }
        timedDone.wait()

        // The checkpoint as the runner writes it.
        clock = Self.now()
        for log in logs { log.synchronize() }
        let record = RunCheckpoint(
            trainer: trainer.checkpoint(),
            fileSizes: ["updates.csv": logs[0].size, "episodes.csv": logs[1].size, "events": logs[2].size])
        try AtomicFile.write(JSONEncoder.sorted.encode(record), to: files.checkpoint)
        slice.checkpointSeconds = Self.now() - clock

        clock = Self.now()
        let agent = trainer.savedAgent()
        try AtomicFile.write(JSONEncoder.sorted.encode(agent), to: files.agent)
        slice.agentSeconds = Self.now() - clock

        // Evaluation steps with the run's evaluation settings, up to a full episode's worth.
        clock = Self.now()
        let environment = try EnvironmentRegistry.make(settings.task, options: settings.taskOptions ?? [:])
        let policy = AgentPolicy(
            agent: agent, actionSpace: environment.spec.actionSpace, deterministic: run.evaluation.deterministic,
            seed: run.evaluation.seed)
        slice.evaluationStartSeconds = Self.now() - clock
        slice.maxEpisodeSteps = environment.spec.maxEpisodeSteps
        var observation = environment.reset(seed: run.evaluation.seed)
        var steps = 0, resets = 0, resetSeconds = 0.0
        clock = Self.now()
        while steps < environment.spec.maxEpisodeSteps && (steps < 100 || Self.now() - clock < 0.5) {
            let step = try environment.step(policy.action(for: observation))
            steps += 1
            observation = step.observation
            if step.terminated || step.truncated {
                let reset = Self.now()
                observation = environment.reset()
                resetSeconds += Self.now() - reset
                resets += 1
            }
        }
        slice.evaluationStepSeconds = (Self.now() - clock - resetSeconds) / Double(steps)
        // Resets: those the evaluation made, and at least 50.
        clock = Self.now()
        for _ in resets..<Swift.max(resets, 50) { _ = environment.reset() }
        slice.resetSeconds = (resetSeconds + Self.now() - clock) / Double(Swift.max(resets, 50))
        return slice
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
}

/// What one copy of a slice measured (seconds; times on the uptime clock).
struct CopySlice: Sendable {
    struct Update: Sendable {
        var start: Double
        var end: Double
        var episodes: Int
        var rollout: Double
    }
    var startSeconds = 0.0
    var warmUpEnd = 0.0
    var updates: [Update] = []
    var checkpointSeconds = 0.0
    var agentSeconds = 0.0
    var evaluationStartSeconds = 0.0
    var evaluationStepSeconds = 0.0
    var resetSeconds = 0.0
    var maxEpisodeSteps = 0
}

/// The copies' results, filled in by their threads.
private final class SliceResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slices: [Result<CopySlice, Error>?]

    init(copies: Int) { slices = Array(repeating: nil, count: copies) }

    func record(_ copy: Int, _ body: () throws -> CopySlice) {
        let result = Result { try body() }
        lock.withLock { slices[copy] = result }
    }

    /// Every copy's slice, or the first copy's error.
    func results() throws -> [CopySlice] {
        try lock.withLock { try slices.map { try $0!.get() } }
    }
}
