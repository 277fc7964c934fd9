import ArgumentParser
import Dispatch
import Environments
import Experiments
import Foundation
import Learning

/// `spo overoptimize`: the over-optimisation experiment of SPO (ICML) (docs/overoptimization.md).
struct Overoptimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: """
            Optimise one frozen batch for many epochs with each objective and ε; \
            measure the KL and the surrogate after every epoch.
            """,
        discussion: """
            Trains spo (the papers' defaults, --seed) for --warmup-updates updates, collects one rollout and freezes \
            it. Then, for every algorithm and ε, optimises a copy of that agent with a fresh Adam at a constant \
            --learning-rate for --epochs epochs of --minibatches shuffled minibatches (loss, gradient clipping and \
            objective as in training), and after each epoch measures on the whole batch: the mean KL(π_old ‖ π), \
            the mean and max |r − 1|, the surrogate mean r·Â (advantages normalised over the batch) and the \
            objective's trigger fraction. Writes --out/overoptimization.csv (one row per algorithm, ε and epoch), \
            kl.svg and surrogate.svg. The same command writes the same bytes.
            """
    )
    private static let defaults = OveroptimizationSettings()

    @Option(name: .long, help: "Task id (\(EnvironmentRegistry.ids.joined(separator: ", "))).")
    var env = defaults.warmup.task
    @Option(name: .long, help: "Comma-separated objectives (\(PolicyObjectives.names.joined(separator: ", "))).")
    var algorithms = defaults.algorithms.joined(separator: ",")
    @Option(
        name: .long, parsing: .unconditional,
        help: "Comma-separated ratio ε values; each algorithm runs with each (objectives without an ε ignore it).")
    var epsilons = defaults.epsilons.map { "\($0)" }.joined(separator: ",")
    @Option(name: .long, help: "spo updates trained before the batch is collected.")
    var warmupUpdates = defaults.warmupUpdates
    @Option(name: .long, help: "Epochs over the frozen batch per algorithm and ε.")
    var epochs = defaults.epochs
    @Option(name: .long, help: "Random seed of the warm-up (and so of the batch and the shuffles).")
    var seed = defaults.warmup.seed
    @Option(name: .long, help: "Actor depth: 3 (64-64) or 7 (256-256-128-128-64-64).")
    var actorLayers = 3
    @Option(name: .long, help: "Minibatches per epoch (1: full batch).")
    var minibatches = defaults.minibatches
    @Option(name: .long, help: "Adam's learning rate, constant during the over-optimisation.")
    var learningRate = defaults.learningRate
    @Option(name: .long, help: "Parallel environments N (batch N·T).")
    var envs = defaults.warmup.environments
    @Option(name: .long, help: "Rollout horizon T per environment.")
    var horizon = defaults.warmup.horizon
    @Option(name: .long, help: "Output directory.")
    var out: String

    /// The experiment's settings from the options, and every problem with them.
    func makeSettings() -> (settings: OveroptimizationSettings, problems: [String]) {
        var settings = OveroptimizationSettings()
        var problems: [String] = []
        settings.warmup.task = env
        settings.warmup.seed = seed
        settings.warmup.environments = envs
        settings.warmup.horizon = horizon
        if let hidden = TrainingConfiguration.actorHidden(layers: actorLayers) {
            settings.warmup.actorHidden = hidden
        } else {
            problems.append("--actor-layers must be 3 or 7, got \(actorLayers)")
        }
        settings.algorithms = algorithms.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        settings.epsilons = []
        for text in epsilons.split(separator: ",", omittingEmptySubsequences: false) {
            if let epsilon = Double(text.trimmingCharacters(in: .whitespaces)) {
                settings.epsilons.append(epsilon)
            } else {
                problems.append("--epsilons: '\(text)' is not a number")
            }
        }
        settings.warmupUpdates = warmupUpdates
        settings.epochs = epochs
        settings.minibatches = minibatches
        settings.learningRate = learningRate
        return (settings, problems + settings.problems())
    }

    func run() throws {
        let (settings, problems) = makeSettings()
        guard problems.isEmpty else {
            for problem in problems { printError("error: \(problem)") }
            throw ExitCode(2)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> String {
            String(format: "%.1f s", Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        let warmup = settings.warmup
        printError(
            "[overoptimize] \(warmup.task), \(actorLayers)-layer actor, seed \(warmup.seed): "
                + "warm-up of \(settings.warmupUpdates) spo updates of \(warmup.batchSize) steps"
        )
        let experiment = try Overoptimization(settings: settings) { metrics in
            printError(
                String(
                    format: "[overoptimize] warm-up update %d/%d  return %.1f  KL %.5f  (%@)",
                    metrics.update, settings.warmupUpdates, metrics.episodicReturn, metrics.meanKL, elapsed()))
        }
        printError(
            "[overoptimize] frozen batch of \(experiment.batch.size) samples; "
                + "\(settings.algorithms.count * settings.epsilons.count) runs of \(settings.epochs) epochs "
                + "of \(settings.minibatches) minibatches"
        )
        let reportEvery = max(1, settings.epochs / 10)
        var runs: [OveroptimizationRun] = []
        for algorithm in settings.algorithms {
            for epsilon in settings.epsilons {
                let run = experiment.run(algorithm: algorithm, epsilon: epsilon) { point in
                    guard point.epoch % reportEvery == 0 || point.epoch == 1 else { return }
                    printError(
                        String(
                            format:
                                "[overoptimize] %@ ε=%g epoch %d/%d  KL %.4g  ratio dev %.4g (max %.4g)  "
                                + "surrogate %.4f  trigger %.3f  (%@)",
                            algorithm, epsilon, point.epoch, settings.epochs, point.meanKL, point.ratioDeviation,
                            point.maxRatioDeviation, point.surrogate, point.triggerFraction, elapsed()))
                }
                if run.points.count < settings.epochs {
                    printError(
                        "[overoptimize] \(algorithm) ε=\(epsilon): "
                            + "the objective stopped the optimisation in epoch \(run.points.count)"
                    )
                }
                runs.append(run)
            }
        }
        let directory = URL(fileURLWithPath: out)
        try OveroptimizationReport.write(
            runs, subject: "\(warmup.task), \(actorLayers)-layer, seed \(warmup.seed)", to: directory)
        printError(
            "[overoptimize] wrote \(OveroptimizationReport.csvFile), \(OveroptimizationReport.klFigureFile) "
                + "and \(OveroptimizationReport.surrogateFigureFile) to \(directory.path) (\(elapsed()))"
        )
    }
}
