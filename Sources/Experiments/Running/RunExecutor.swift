import Dispatch
import Foundation
import Learning

/// Runs one run of an experiment to completion in its results directory: resumes from its
/// checkpoint when there is one, appends metrics to the CSV and TensorBoard files, checkpoints
/// every `checkpointEvery` updates and when a stop is requested, then saves the agent,
/// evaluates it and writes the summary, last and atomically.
///
/// The caller holds the run's ``RunLock``.
public struct RunExecutor {
    public let run: RunSpecification
    public let files: RunFiles
    /// Workers stepping the environments (results do not depend on it).
    public var workers: Int?

    public init(run: RunSpecification, files: RunFiles, workers: Int? = nil) {
        self.run = run
        self.files = files
        self.workers = workers
    }

    public enum Outcome: Equatable { case finished, interrupted }

    /// Runs or resumes the run; `shouldStop` is polled between updates.
    public func execute(shouldStop: () -> Bool = { StopSignal.requested != nil }, report: (RunEvent) -> Void) throws
        -> Outcome
    {
        let manager = FileManager.default
        try manager.createDirectory(at: files.directory, withIntermediateDirectories: true)
        try? manager.removeItem(at: files.failure)
        try AtomicFile.write(JSONEncoder.pretty.encode(run), to: files.specification)

        // Resume from the checkpoint, or start afresh (cutting any files an attempt left behind).
        var checkpoint: RunCheckpoint?
        if manager.fileExists(atPath: files.checkpoint.path) {
            let data: Data
            do { data = try SavedFile.contents(of: files.checkpoint, limit: Limits.checkpointBytes) } catch {
                throw ExperimentError.io(path: files.checkpoint.path, reason: "\(error); delete it to restart the run")
            }
            checkpoint = try RunCheckpoint.decode(data, path: files.checkpoint.path)
        }
        let trainer: Trainer
        if let checkpoint {
            guard
                checkpoint.trainer.configuration == run.training.with(workers: checkpoint.trainer.configuration.workers)
            else {
                throw ExperimentError.io(
                    path: files.checkpoint.path,
                    reason: "the checkpoint's settings differ from the run's; delete the run directory to restart it")
            }
            do { trainer = try Trainer(checkpoint: checkpoint.trainer, workers: workers) } catch let error
                as TrainingError
            {
                throw ExperimentError.io(path: files.checkpoint.path, reason: "\(error); delete it to restart the run")
            }
        } else {
            trainer = try Trainer(configuration: workers.map { run.training.with(workers: $0) } ?? run.training)
        }
        let sizes = checkpoint?.fileSizes
        let updates = try AppendLog(files.updates, truncatingTo: sizes?["updates.csv"])
        let episodes = try AppendLog(files.episodes, truncatingTo: sizes?["episodes.csv"])
        let events = try AppendLog(files.events, truncatingTo: sizes?["events"])
        if checkpoint == nil {
            try updates.append(line: UpdateMetrics.csvHeader)
            try episodes.append(line: EpisodeRecord.csvHeader)
            try events.append(TensorBoardEvents.fileVersionRecord(wallTime: Date().timeIntervalSince1970))
        }
        var trainingSeconds = checkpoint?.trainer.trainingSeconds ?? 0

        func writeCheckpoint() throws {
            for log in [updates, episodes, events] { log.synchronize() }
            var state = trainer.checkpoint()
            state.trainingSeconds = trainingSeconds
            let record = RunCheckpoint(
                trainer: state,
                fileSizes: ["updates.csv": updates.size, "episodes.csv": episodes.size, "events": events.size])
            try AtomicFile.write(JSONEncoder.sorted.encode(record), to: files.checkpoint)
        }

        report(.started(id: run.id, fromUpdate: trainer.update, updates: run.training.updates))
        while !trainer.isFinished {
            var episodeError: Error?
            let metrics: UpdateMetrics
            do {
                metrics = try trainer.step { record in
                    do { try episodes.append(line: record.csvRow) } catch { episodeError = error }
                }
            } catch let divergence as Divergence {
                if let episodeError { throw episodeError }
                return try finishDiverged(
                    divergence, trainer: trainer, logs: [updates, episodes, events], trainingSeconds: trainingSeconds,
                    report: report)
            }
            if let episodeError { throw episodeError }
            trainingSeconds += metrics.rolloutSeconds + metrics.updateSeconds
            try updates.append(line: metrics.csvRow)
            try events.append(
                TensorBoardEvents.scalarsRecord(
                    step: Int64(metrics.globalStep), wallTime: Date().timeIntervalSince1970,
                    scalars: metrics.scalars))
            report(
                .progress(
                    id: run.id, update: metrics.update, updates: run.training.updates, globalStep: metrics.globalStep,
                    episodicReturn: metrics.episodicReturn, stepsPerSecond: metrics.stepsPerSecond,
                    ratioDeviation: metrics.ratioDeviation, kl: metrics.meanKL))
            let stopping = shouldStop()
            if stopping || trainer.isFinished || metrics.update % run.checkpointEvery == 0 { try writeCheckpoint() }
            if stopping && !trainer.isFinished {
                report(.interrupted(id: run.id, update: metrics.update))
                return .interrupted
            }
        }

        // Finished: the agent, its evaluation, then the summary that marks the run done.
        let agent = savedAgent(of: trainer)
        try AtomicFile.write(JSONEncoder.sorted.encode(agent), to: files.agent)
        let evaluation = try agent.evaluate(
            episodes: run.evaluation.episodes, seed: run.evaluation.seed, deterministic: run.evaluation.deterministic)
        if let video = run.evaluation.video {
            do {
                try EvaluationVideo.record(
                    agent: agent, episodes: video.episodes, seed: run.evaluation.seed,
                    deterministic: run.evaluation.deterministic,
                    to: files.video(video.format), width: video.width, height: video.height, quality: video.quality)
            } catch {
                throw ExperimentError.io(path: files.video(video.format).path, reason: "evaluation video: \(error)")
            }
        }
        let summary = try summarize(trainingSeconds: trainingSeconds, evaluation: evaluation)
        try AtomicFile.write(JSONEncoder.pretty.encode(summary), to: files.summary)
        report(.finished(id: run.id, finalReturn: summary.finalReturn, evaluationReturn: summary.evaluation.mean))
        return .finished
    }

    /// Ends a run that diverged: the agent with the parameters from before the diverging
    /// update, its evaluation when its actions are finite (else none), and the summary with the
    /// divergence, whose last finite values come from `updates.csv` (the same after a resume).
    private func finishDiverged(
        _ divergence: Divergence, trainer: Trainer, logs: [AppendLog], trainingSeconds: Double,
        report: (RunEvent) -> Void
    ) throws -> Outcome {
        for log in logs { log.synchronize() }
        let agent = savedAgent(of: trainer)
        try AtomicFile.write(JSONEncoder.sorted.encode(agent), to: files.agent)
        let evaluation =
            (try? agent.evaluate(
                episodes: run.evaluation.episodes, seed: run.evaluation.seed,
                deterministic: run.evaluation.deterministic))
            ?? EvaluationResult(returns: [], lengths: [])
        let history = CSVTable(contentsOf: files.updates)?.column(divergence.quantity) ?? []
        let recorded = divergence.withHistory(history)
        let summary = try summarize(
            trainingSeconds: trainingSeconds, evaluation: evaluation, divergence: recorded,
            stepsTrained: trainer.globalStep)
        try AtomicFile.write(JSONEncoder.pretty.encode(summary), to: files.summary)
        report(.diverged(id: run.id, message: recorded.description))
        return .finished
    }

    /// The summary, computed from the files on disk (so a resumed run summarises every update).
    /// A diverged run counts the `stepsTrained` steps and the updates before `divergence`.
    func summarize(
        trainingSeconds: Double, evaluation: EvaluationResult, divergence: Divergence? = nil, stepsTrained: Int? = nil
    ) throws -> RunSummary {
        guard let updates = CSVTable(contentsOf: files.updates), let episodes = CSVTable(contentsOf: files.episodes)
        else {
            throw ExperimentError.io(path: files.directory.path, reason: "cannot read the run's CSV files")
        }
        let steps = stepsTrained ?? run.training.updates * run.training.batchSize
        let threshold = 0.9 * Double(steps)
        let late = zip(episodes.column("global_step"), episodes.column("return")).filter { $0.0 > threshold }.map(\.1)
        let lateUpdates = zip(updates.column("global_step"), updates.column("entropy")).filter { $0.0 > threshold }.map(
            \.1)
        return RunSummary(
            id: run.id, task: run.task, algorithm: run.algorithm, network: run.network, seed: run.seed,
            steps: steps, updates: divergence.map { $0.update - 1 } ?? run.training.updates,
            finalReturn: AggregateStatistics.mean(late), finalEpisodes: late.count,
            ratioDeviation: AggregateStatistics.mean(updates.column("ratio_deviation")),
            ratioDeviationMax: updates.column("ratio_deviation_max").max() ?? .nan,
            meanKL: AggregateStatistics.mean(updates.column("kl")), maxKL: updates.column("kl_max").max() ?? .nan,
            finalEntropy: AggregateStatistics.mean(lateUpdates),
            evaluation: .init(
                episodes: evaluation.returns.count, deterministic: run.evaluation.deterministic,
                returns: evaluation.returns,
                mean: evaluation.mean, standardDeviation: evaluation.standardDeviation),
            timing: .init(trainingSeconds: trainingSeconds, finishedAt: ISO8601DateFormatter().string(from: Date())),
            divergence: divergence
        )
    }
}

extension RunExecutor {
    /// The trainer's agent with the run's own `workers` setting in its configuration, so that
    /// `agent.json` is the same bytes whatever workers trained it.
    func savedAgent(of trainer: Trainer) -> SavedAgent {
        var agent = trainer.savedAgent()
        agent.configuration.workers = run.training.workers
        return agent
    }
}

extension TrainingConfiguration {
    func with(workers: Int) -> TrainingConfiguration {
        var copy = self
        copy.workers = workers
        return copy
    }
}

extension UpdateMetrics {
    /// The update's metrics as TensorBoard scalars, tagged by their CSV column names (update
    /// and step are the event's step; NaN values, such as β of objectives without one, are left out).
    var scalars: [(String, Float)] {
        columns.dropFirst(2).filter { !$0.value.isNaN }.map { ($0.name, Float($0.value)) }
    }
}
