import ArgumentParser
import Environments
import Experiments
import Foundation
import Learning

/// `spo train`: trains one agent and writes its metrics and the saved agent under `--out`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: """
            Train a Gaussian actor-critic with SPO, PPO, a variant or a classic baseline \
            (TRPO, NPG, A2C, REINFORCE) on one task.
            """,
        discussion: """
            Writes to --out: updates.csv (one row per update: every metric of the papers' tables), \
            episodes.csv (one row per finished episode: global step, raw return, length), \
            configuration.json and agent.json (the trained agent, format spo-agent version 1). \
            Defaults are the papers' MuJoCo hyperparameters. When a loss, the KL, the entropy or a \
            parameter becomes NaN or infinite, the update is discarded, agent.json gets the parameters \
            from before it and the exit status is 3 (diverged).
            """
    )

    @Option(name: .long, help: "Task id (\(EnvironmentRegistry.ids.joined(separator: ", "))).")
    var env = "Hopper-v4"
    @OptionGroup var taskOptions: TaskOptionArguments
    @Option(name: .long, help: "Algorithm (\(Algorithms.names.joined(separator: ", "))).")
    var algo = "spo"
    @Option(name: .long, help: "Total environment steps.")
    var steps = 10_000_000
    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Actor depth: 3 (64-64) or 7 (256-256-128-128-64-64).")
    var actorLayers = 3
    @Option(name: .long, help: "Output directory.")
    var out = "results/train"
    @Option(name: .long, help: "Parallel environments.") var envs = 8
    @Option(name: .long, help: "Rollout horizon per environment.") var horizon = 256
    @Option(
        name: .long,
        help: """
            Threads: workers stepping the environments (capped at the environments and the cores), \
            up to 2 of them also the update's.
            """
    ) var workers = 8
    @Option(name: .long, help: "Update epochs per rollout.") var epochs = 10
    @Option(name: .long, help: "Minibatches per epoch.") var minibatches = 4
    @Option(name: .long, help: "Initial learning rate.") var lr = 3e-4
    @Option(name: .long, help: "Discount γ.") var gamma = 0.99
    @Option(name: .long, help: "GAE λ.") var gaeLambda = 0.95
    @Option(name: .long, help: "ε of spo and the PPO clip.") var epsilon = 0.2
    @Option(name: .long, help: "d_max of spo-kl, KL target of ppo-penalty, threshold of ppo-earlystop.") var klLimit =
        0.02
    @Option(
        name: .long,
        help: """
            KL threshold δ of tr-ppo, tr-ppo-rb, truly-ppo (default: the authors' per-task value); \
            mean-KL bound of trpo (default 0.01).
            """
    ) var delta: Double?
    @Option(name: .long, help: "Damping λ added to the Fisher matrix of trpo and npg (default 0.1).")
    var fisherDamping: Double?
    @Option(name: .long, help: "Conjugate-gradient iterations of trpo and npg (default 10).") var cgIterations: Int?
    @Option(name: .long, help: "Tries of trpo's backtracking line search, halving the step each time (default 10).")
    var lineSearchTries: Int?
    @Option(name: .long, help: "Step size α of npg's step α·F⁻¹g (default 0.5).") var npgStepSize: Double?
    @Option(name: .long, help: "Rollback slope s of ppo-rb, tr-ppo-rb; KL slope of truly-ppo (default: per task).")
    var rollbackSlope: Double?
    @Option(name: .long, help: "Ratio scale k of truly-ppo (default: per task).") var trulyScale: Double?
    @Option(name: .long, help: "Value-loss coefficient c1.") var valueCoef = 0.5
    @Option(name: .long, help: "Entropy coefficient c2.") var entropyCoef = 0.0
    @Option(name: .long, help: "Global gradient-norm limit.") var maxGradNorm = 0.5
    @Flag(name: .long, help: "Keep the learning rate constant.") var noLrDecay = false
    @Flag(
        name: .long,
        help: """
            Adapt the learning rate to each minibatch's KL instead of decaying it: ÷1.5 above 2× --desired-kl, \
            ×1.5 below half of it, within [1e-5, 1e-2] (first-order algorithms).
            """
    )
    var adaptiveLr = false
    @Option(name: .long, help: "KL target of --adaptive-lr (default 0.01).") var desiredKl: Double?
    @Flag(name: .long, help: "Do not clip the value loss.") var noValueClip = false
    @Flag(name: .long, help: "Do not normalise advantages per minibatch.") var noAdvantageNorm = false

    func makeConfiguration() throws -> TrainingConfiguration {
        var c = TrainingConfiguration()
        guard EnvironmentRegistry.ids.contains(env) else {
            throw ValidationError(
                "unknown task '\(env)'; valid tasks: \(EnvironmentRegistry.ids.joined(separator: ", "))")
        }
        guard let hidden = TrainingConfiguration.actorHidden(layers: actorLayers) else {
            throw ValidationError("--actor-layers must be 3 or 7, got \(actorLayers)")
        }
        c.task = env; c.taskOptions = try taskOptions.options(for: env).nilIfEmpty; c.algorithm = algo;
        c.totalSteps = steps; c.seed = seed; c.actorHidden = hidden
        c.environments = envs; c.horizon = horizon; c.workers = workers; c.epochs = epochs; c.minibatches = minibatches
        c.learningRate = lr; c.decayLearningRate = !noLrDecay; c.adaptiveLearningRate = adaptiveLr ? true : nil;
        c.desiredKL = desiredKl; c.gamma = gamma; c.gaeLambda = gaeLambda
        c.epsilon = epsilon; c.klLimit = klLimit; c.maxGradientNorm = maxGradNorm
        c.fisherDamping = fisherDamping; c.conjugateGradientIterations = cgIterations;
        c.lineSearchTries = lineSearchTries
        c.naturalGradientStepSize = npgStepSize
        c.trustRegionDelta = delta; c.rollbackSlope = rollbackSlope; c.trulyRatioScale = trulyScale
        c.loss.valueCoefficient = valueCoef; c.loss.entropyCoefficient = entropyCoef
        c.loss.clipValueLoss = !noValueClip; c.loss.normalizeAdvantages = !noAdvantageNorm
        let problems = c.problems()
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
        return c
    }

    func validate() throws { _ = try makeConfiguration() }

    func run() throws {
        let configuration = try makeConfiguration()
        let directory = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(
            JSONEncoder.pretty.encode(configuration), to: directory.appendingPathComponent("configuration.json"))
        let updates = try AppendLog(directory.appendingPathComponent("updates.csv"), truncatingTo: nil)
        let episodes = try AppendLog(directory.appendingPathComponent("episodes.csv"), truncatingTo: nil)
        try updates.append(line: UpdateMetrics.csvHeader)
        try episodes.append(line: EpisodeRecord.csvHeader)

        let trainer = try Trainer(configuration: configuration)
        printError(
            "[train] \(configuration.task) \(configuration.algorithm), \(configuration.updates) updates "
                + "of \(configuration.batchSize) steps, seed \(configuration.seed) → \(directory.path)"
        )
        var recent: [Double] = []
        var history: [UpdateMetrics] = []
        while !trainer.isFinished {
            var episodeError: Error?
            let metrics: UpdateMetrics
            do {
                metrics = try trainer.step { episode in
                    do { try episodes.append(line: episode.csvRow) } catch { episodeError = error }
                    recent.append(Double(episode.episodeReturn))
                    if recent.count > 20 { recent.removeFirst() }
                }
            } catch let divergence as Divergence {
                if let episodeError { throw episodeError }
                let column = history.map { metrics in
                    metrics.columns.first { $0.name == divergence.quantity }?.value ?? .nan
                }
                try trainer.savedAgent().write(to: directory.appendingPathComponent("agent.json"))
                printError(
                    "[train] \(divergence.withHistory(column)); "
                        + "updates.csv has the \(divergence.update - 1) updates before it, "
                        + "agent.json their parameters")
                throw ExitCode(Divergence.exitStatus)
            }
            if let episodeError { throw episodeError }
            try updates.append(line: metrics.csvRow)
            history = Array((history + [metrics]).suffix(Divergence.lastFiniteCount))
            let recentReturn =
                recent.isEmpty ? "-" : ReadableNumber.format(recent.reduce(0, +) / Double(recent.count), decimals: 1)
            printError(
                "[train] update \(metrics.update)/\(configuration.updates)  step \(metrics.globalStep)  "
                    + "SPS \(ReadableNumber.format(metrics.stepsPerSecond, decimals: 0))  "
                    + "return(last 20) \(recentReturn)  "
                    + "ratio dev \(ReadableNumber.format(metrics.ratioDeviation, decimals: 4))  "
                    + "KL \(ReadableNumber.format(metrics.meanKL, decimals: 5))")
        }
        try trainer.savedAgent().write(to: directory.appendingPathComponent("agent.json"))
        printError("[train] saved \(directory.appendingPathComponent("agent.json").path)")
    }
}

/// `spo eval`: the deterministic (mean) policy of a saved agent.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a saved agent's mean policy with frozen observation statistics; prints mean ± std return."
    )
    @Argument(help: "An agent.json written by spo train.") var agent: String
    @Option(name: .long, help: "Episodes to run.") var episodes = 10
    @Option(name: .long, help: "Seed of the first episode (the next ones add 1).") var seed: UInt64 = 1_000_000

    func validate() throws {
        guard episodes > 0 else { throw ValidationError("--episodes must be at least 1, got \(episodes)") }
    }

    func run() throws {
        let saved: SavedAgent
        do { saved = try SavedAgent.read(from: URL(fileURLWithPath: agent)) } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        let result = try saved.evaluate(episodes: episodes, seed: seed) { episode, value in
            printError(String(format: "[eval] episode %d/%d return %.1f", episode, episodes, value))
        }
        print(
            String(
                format: "%@ %@: mean return %.1f ± %.1f over %d episodes (lengths %@)", saved.configuration.task,
                saved.configuration.algorithm,
                result.mean, result.standardDeviation, episodes, result.lengths.map(String.init).joined(separator: " "))
        )
    }
}
