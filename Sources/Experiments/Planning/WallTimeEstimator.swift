import Dispatch
import Environments
import Foundation
import Learning

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
                    physicsShare: timing?.physicsShare ?? 0,
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
            physicsShare: work > 0 ? cells.reduce(0) { $0 + $1.physicsShare * $1.seconds } / work : 0,
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
        let warmedUp = DispatchGroup(), timedDone = DispatchGroup()
        let finished = DispatchGroup()
        for copy in 0..<copies {
            warmedUp.enter()
            timedDone.enter()
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                slices.record(copy) {
                    try Self.trainSlice(
                        run, settings: settings, copy: copy, warmUp: warmUp, timedLimit: timedLimit, seconds: seconds,
                        minimumUpdates: minimumUpdates, directory: directory.appendingPathComponent("copy-\(copy)"),
                        warmedUp: warmedUp, timedDone: timedDone)
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
        let updateSeconds = timed.map { $0.end - $0.start }
        let timedSeconds = updateSeconds.reduce(0, +)
        let first = results[0]
        return SliceTiming(
            copies: copies, workers: workers, stepsPerUpdate: settings.batchSize,
            updateSeconds: updateSeconds,
            startSeconds: first.startSeconds, checkpointSeconds: first.checkpointSeconds,
            agentSeconds: first.agentSeconds,
            evaluationStartSeconds: first.evaluationStartSeconds, evaluationStepSeconds: first.evaluationStepSeconds,
            episodesPerStep: Double(timed.reduce(0) { $0 + $1.episodes }) / steps,
            rolloutShare: timed.reduce(0) { $0 + $1.rollout } / timedSeconds,
            physicsShare: timed.reduce(0) { $0 + $1.physics } / (timedSeconds * Double(workers)),
            resetSeconds: first.resetSeconds,
            maxEpisodeSteps: first.maxEpisodeSteps)
    }

    /// One copy's slice: start, warm-up, timed updates (written to its logs as a run's are);
    /// copy 0 then waits for the others to stop and times a checkpoint, the agent's save,
    /// evaluation steps and resets.
    private static func trainSlice(
        _ run: RunSpecification, settings: TrainingConfiguration, copy: Int, warmUp: Int, timedLimit: Int,
        seconds: Double, minimumUpdates: Int, directory: URL, warmedUp: DispatchGroup, timedDone: DispatchGroup
    ) throws -> CopySlice {
        var copySettings = settings
        copySettings.seed = settings.seed &+ UInt64(copy)
        var slice = CopySlice()
        var clock = Self.now()
        var warming = true, timing = true
        func stopWarmUp() {
            if warming { warmedUp.leave() }
            warming = false
        }
        func stopTiming() {
            if timing { timedDone.leave() }
            timing = false
        }
        defer {  // a copy that fails must not hold the others up
            stopWarmUp()
            stopTiming()
        }
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
        // Every copy starts its timed updates once all are warm, so the window in which all of
        // them train holds at least `minimumUpdates` updates of the copy that stops first.
        slice.warmUpEnd = Self.now()
        stopWarmUp()
        warmedUp.wait()
        let deadline = Self.now() + seconds
        while slice.updates.count < timedLimit, slice.updates.count < minimumUpdates || Self.now() < deadline {
            let start = Self.now()
            let metrics = try update()
            slice.updates.append(
                .init(
                    start: start, end: Self.now(), episodes: metrics.episodesFinished, rollout: metrics.rolloutSeconds,
                    physics: metrics.physicsSeconds))
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

/// What one copy of a slice measured (seconds; times on the uptime clock).
struct CopySlice: Sendable {
    struct Update: Sendable {
        var start: Double
        var end: Double
        var episodes: Int
        var rollout: Double
        /// Seconds inside MuJoCo, summed over the copy's workers.
        var physics: Double
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
