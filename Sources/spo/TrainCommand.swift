import ArgumentParser
import Environments
import Experiments
import Foundation
import Learning

/// `spo train`: trains one agent and writes its run files under `--out`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: """
            Train a Gaussian actor-critic with SPO, PPO, a variant or a classic baseline \
            (TRPO, NPG, A2C, REINFORCE) on one task.
            """,
        discussion: """
            Writes to --out what each run of `spo run` writes: run.json (every setting), updates.csv \
            (one row per update: every metric of the papers' tables), episodes.csv (one row per finished \
            episode: global step, raw return, length), a TensorBoard event file, checkpoint.json, \
            agent.json (the trained agent, format spo-agent version 1) and summary.json (the final return \
            and the evaluation of the mean policy). Defaults are the papers' MuJoCo hyperparameters. When a \
            loss, the KL, the entropy or a parameter becomes NaN or infinite, the update is discarded, \
            agent.json gets the parameters from before it, summary.json records the divergence and the exit \
            status is 3. Ctrl-C stops at a checkpoint; --resume continues it bit-identically.


            """ + TrainingFlags.help
    )

    @OptionGroup var taskOptions: TaskOptionArguments
    @Option(name: .long, help: "Output directory.")
    var out = "results/train"
    @Flag(name: .long, help: "Continue the run checkpointed in --out (same settings) instead of starting afresh.")
    var resume = false
    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp("Training settings, --NAME VALUE each (listed below).", valueName: "settings"))
    var settings: [String] = []

    func makeConfiguration() throws -> TrainingConfiguration {
        var configuration = try TrainingFlags.configuration(from: settings)
        guard EnvironmentRegistry.ids.contains(configuration.task) else {
            throw ValidationError(
                "unknown task '\(configuration.task)'; valid tasks: \(EnvironmentRegistry.ids.joined(separator: ", "))"
                    + NameSuggestion.didYouMean(configuration.task, among: EnvironmentRegistry.ids))
        }
        configuration.taskOptions = try taskOptions.options(for: configuration.task).nilIfEmpty
        return configuration
    }

    func validate() throws { _ = try makeConfiguration() }

    func run() throws {
        let run = RunSpecification(training: try makeConfiguration())
        let files = RunFiles(directory: URL(fileURLWithPath: out))
        try FileManager.default.createDirectory(at: files.directory, withIntermediateDirectories: true)
        guard let lock = try RunLock.acquire(files.directory) else {
            printError("error: \(out) is in use by \(RunLock.holder(files.directory) ?? "another process")")
            throw ExitCode(1)
        }
        defer { withExtendedLifetime(lock) {} }
        if resume && files.isFinished {
            printError("[train] \(out) holds a finished run; nothing to resume")
            return
        }
        if !resume || !FileManager.default.fileExists(atPath: files.checkpoint.path) { try files.removeRunFiles() }
        StopSignal.install()
        let training = run.training
        printError(
            "[train] \(training.task) \(training.algorithm), \(training.updates) updates of \(training.batchSize) "
                + "steps, seed \(training.seed) → \(files.directory.path)")
        var exitStatus: Int32 = 0
        _ = try RunExecutor(run: run, files: files).execute { event in
            switch event {
            case let .started(_, from, updates) where from > 0:
                printError("[train] resuming from update \(from)/\(updates)")
            case let .progress(_, update, updates, step, episodicReturn, stepsPerSecond, ratioDeviation, kl):
                printError(
                    "[train] update \(update)/\(updates)  step \(step)  "
                        + "SPS \(ReadableNumber.format(stepsPerSecond, decimals: 0))  "
                        + "return \(episodicReturn.isNaN ? "-" : ReadableNumber.format(episodicReturn, decimals: 1))  "
                        + "ratio dev \(ReadableNumber.format(ratioDeviation, decimals: 4))  "
                        + "KL \(ReadableNumber.format(kl, decimals: 5))")
            case let .finished(_, finalReturn, evaluationReturn):
                printError(
                    "[train] finished: return (last 10% of steps) "
                        + "\(ReadableNumber.format(finalReturn, decimals: 1)), evaluation "
                        + "\(ReadableNumber.format(evaluationReturn, decimals: 1)); saved \(files.agent.path)"
                )
            case let .interrupted(_, update):
                printError("[train] stopped at update \(update) with a checkpoint; --resume continues it")
                exitStatus = 128 + (StopSignal.requested ?? SIGINT)
            case let .diverged(_, message):
                printError(
                    "[train] \(message); updates.csv has the updates before it, agent.json their parameters")
                exitStatus = Divergence.exitStatus
            default: break
            }
        }
        if exitStatus != 0 { throw ExitCode(exitStatus) }
    }
}
