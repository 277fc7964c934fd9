import Environments
import Foundation
import Testing

@testable import Learning

@Suite("Over-optimisation")
struct OveroptimizationTests {
    /// Hopper, 2 × 64-step batches, one warm-up update, 4 epochs of 2 minibatches.
    static func smallSettings() -> OveroptimizationSettings {
        var settings = OveroptimizationSettings()
        settings.warmup.environments = 2
        settings.warmup.horizon = 64
        settings.warmup.seed = 5
        settings.warmupUpdates = 1
        settings.epochs = 4
        settings.minibatches = 2
        return settings
    }

    @Test(
        "the frozen batch is the warmed-up agent's own rollout: r = 1 and KL = 0 on every sample before the first step")
    func frozenBatchBelongsToTheAgent() throws {
        let experiment = try Overoptimization(settings: Self.smallSettings()) { _ in }
        #expect(experiment.batch.size == 128)
        let advantages = normalizedAdvantages(experiment.batch.advantages)
        let start = experiment.agent.overoptimizationPoint(
            epoch: 0, batch: experiment.batch, advantages: advantages,
            objective: SPOObjective(), pool: WorkerPool(workers: 2))
        #expect(
            start.meanKL == 0 && start.ratioDeviation == 0 && start.maxRatioDeviation == 0 && start.triggerFraction == 0
        )
        #expect(abs(start.surrogate) < 1e-12)  // the mean of the normalised advantages
    }

    @Test("collecting a rollout advances the environments but neither the agent nor the update count")
    func rolloutWithoutUpdate() throws {
        var configuration = Self.smallSettings().warmup
        configuration.totalSteps = 1280
        let trainer = try Trainer(configuration: configuration)
        _ = try trainer.step { _ in }
        let parameters = trainer.agent.parameters
        let batch = try trainer.collectRollout()
        #expect(batch.size == 128 && batch.advantages.count == 128 && batch.oldMeans.count == 128 * 3)
        #expect(trainer.agent.parameters == parameters)
        #expect(trainer.update == 1 && trainer.globalStep == 256)
    }

    @Test(
        """
        every run starts from the same agent and shuffles: a run repeated gives the same points, \
        and spo and ppo measure after every epoch
        """
    )
    func runsAreIndependentAndComplete() throws {
        let experiment = try Overoptimization(settings: Self.smallSettings()) { _ in }
        let spo = experiment.run(algorithm: "spo", epsilon: 0.2) { _ in }
        let ppo = experiment.run(algorithm: "ppo", epsilon: 0.2) { _ in }
        #expect(experiment.run(algorithm: "spo", epsilon: 0.2) { _ in } == spo)
        #expect(spo.points.map(\.epoch) == [1, 2, 3, 4] && ppo.points.map(\.epoch) == [1, 2, 3, 4])
        #expect(spo.points != ppo.points)
        for point in spo.points + ppo.points {
            #expect(point.meanKL > 0 && point.meanKL.isFinite && point.maxRatioDeviation >= point.ratioDeviation)
        }
    }

    @Test("a run ends early only when its objective stops the update (ppo-earlystop above its KL threshold)")
    func objectiveStop() throws {
        var settings = Self.smallSettings()
        settings.warmup.klLimit = 1e-9
        let experiment = try Overoptimization(settings: settings) { _ in }
        let stopped = experiment.run(algorithm: "ppo-earlystop", epsilon: 0.2) { _ in }
        // Epoch 1's first step starts at π_old (KL 0); the second minibatch's KL exceeds 1e-9.
        #expect(stopped.points.map(\.epoch) == [1])
        #expect(stopped.points[0].meanKL > 1e-9)
        #expect(experiment.run(algorithm: "ppo", epsilon: 0.2) { _ in }.points.count == 4)
    }

    @Test("settings name every problem, and only first-order objectives may run")
    func settingsProblems() {
        var settings = OveroptimizationSettings()
        settings.warmup.task = "Hoper-v4"
        settings.algorithms = ["spo", "trpo", "sop"]
        settings.epsilons = [0.2, -0.1]
        settings.epochs = 0
        settings.minibatches = 3
        let valid = "valid algorithms (the first-order objectives): " + PolicyObjectives.names.joined(separator: ", ")
        #expect(
            settings.problems() == [
                "unknown task 'Hoper-v4'; valid tasks: " + EnvironmentRegistry.ids.joined(separator: ", "),
                "'trpo' is not a first-order objective; " + valid,
                "unknown algorithm 'sop'; " + valid,
                "epsilon must be positive, got -0.1",
                "epochs must be at least 1, got 0",
                "batch size 2048 (environments × horizon) is not divisible by minibatches 3",
            ])
        #expect(OveroptimizationSettings().problems().isEmpty)
    }
}
