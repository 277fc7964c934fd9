import Environments
import Foundation
import Testing

@testable import Learning

@Suite("Training")
struct TrainerTests {
    @Test("GAE matches a hand computation with a termination and a truncation inside the rollout")
    func gae() {
        // Steps 0..4; the episode ends after step 1 (terminated) and after step 3 (truncated).
        let rewards = [1.0, 2.0, 3.0, 4.0, 5.0]
        let values = [0.5, 0.4, 0.3, 0.2, 0.1]
        let ended = [false, true, false, true, false]
        let bootstrap = 0.7, gamma = 0.9, lambda = 0.8
        let result = generalizedAdvantages(
            rewards: rewards, values: values, episodeEnded: ended, bootstrapValue: bootstrap, gamma: gamma,
            lambda: lambda)
        // By hand, backwards:
        let d4 = 5.0 + 0.9 * 0.7 - 0.1  // bootstraps from the value after the rollout
        let a4 = d4
        let d3 = 4.0 - 0.2  // truncation cuts the bootstrap, as in the authors' script
        let a3 = d3
        let d2 = 3.0 + 0.9 * 0.2 - 0.3
        let a2 = d2 + 0.9 * 0.8 * a3
        let d1 = 2.0 - 0.4  // terminated
        let a1 = d1
        let d0 = 1.0 + 0.9 * 0.4 - 0.5
        let a0 = d0 + 0.9 * 0.8 * a1
        let expected = [a0, a1, a2, a3, a4]
        for i in 0..<5 {
            #expect(abs(result.advantages[i] - expected[i]) < 1e-12)
            #expect(abs(result.returns[i] - (expected[i] + values[i])) < 1e-12)
        }
    }

    @Test("learning-rate decay and gradient clipping follow the stated formulas")
    func schedules() {
        #expect(linearlyDecayedLearningRate(3e-4, update: 1, updates: 10) == 3e-4)
        #expect(abs(linearlyDecayedLearningRate(3e-4, update: 10, updates: 10) - 3e-5) < 1e-18)
        var gradient: [Double] = [3, 4]
        #expect(clipGradientNorm(&gradient, maxNorm: 0.5) == 5)
        #expect(abs((gradient[0] * gradient[0] + gradient[1] * gradient[1]).squareRoot() - 0.5) < 1e-6)
        var small: [Double] = [0.1, 0.1]
        clipGradientNorm(&small, maxNorm: 0.5)
        #expect(small == [0.1, 0.1])
    }

    static func smallConfiguration(workers: Int, algorithm: String = "spo") -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.task = "Hopper-v4"
        c.algorithm = algorithm
        c.environments = 4
        c.horizon = 64
        c.minibatches = 4
        c.epochs = 3
        c.totalSteps = 4 * 64 * 3
        c.workers = workers
        c.seed = 5
        return c
    }

    static func run(_ configuration: TrainingConfiguration) throws -> (
        updates: [String], episodes: [String], trainer: Trainer
    ) {
        let trainer = try Trainer(configuration: configuration)
        var updates: [String] = [], episodes: [String] = []
        while !trainer.isFinished {
            let metrics = try trainer.step { episodes.append($0.csvRow) }
            // Timing columns (the last three) are excluded from determinism.
            updates.append(metrics.csvRow.split(separator: ",").dropLast(3).joined(separator: ","))
        }
        return (updates, episodes, trainer)
    }

    @Test(
        "same seed and settings give identical metrics and episodes whatever the number of workers",
        arguments: ["spo", "ppo-earlystop", "ppo-penalty", "trpo", "reinforce"])
    func determinism(algorithm: String) throws {
        let one = try Self.run(Self.smallConfiguration(workers: 1, algorithm: algorithm))
        let two = try Self.run(Self.smallConfiguration(workers: 2, algorithm: algorithm))
        #expect(one.updates.count == 3)
        #expect(!one.episodes.isEmpty)
        #expect(one.updates == two.updates)
        #expect(one.episodes == two.episodes)
        #expect(one.trainer.agent.parameters == two.trainer.agent.parameters)
    }

    @Test(
        "a checkpoint taken between updates, written and read back, continues bit-identically",
        arguments: ["spo", "ppo-penalty", "trpo", "npg", "a2c"])
    func resumeFromCheckpoint(algorithm: String) throws {
        try Self.expectBitIdenticalResume(Self.smallConfiguration(workers: 2, algorithm: algorithm))
    }

    /// Trains `configuration` straight through, and again with a checkpoint after the first update
    /// written, read back and resumed on one worker; both must agree bit for bit.
    static func expectBitIdenticalResume(_ configuration: TrainingConfiguration) throws {
        let uninterrupted = try Self.run(configuration)

        let first = try Trainer(configuration: configuration)
        var updates: [String] = [], episodes: [String] = []
        func record(_ metrics: UpdateMetrics) {
            updates.append(metrics.csvRow.split(separator: ",").dropLast(3).joined(separator: ","))
        }
        record(try first.step { episodes.append($0.csvRow) })
        let encoded = try JSONEncoder().encode(first.checkpoint())
        let resumed = try Trainer(checkpoint: JSONDecoder().decode(TrainerCheckpoint.self, from: encoded), workers: 1)
        #expect(resumed.update == 1 && resumed.globalStep == first.globalStep)
        while !resumed.isFinished { record(try resumed.step { episodes.append($0.csvRow) }) }

        #expect(updates == uninterrupted.updates)
        #expect(episodes == uninterrupted.episodes)
        let sameParameters = resumed.agent.parameters == uninterrupted.trainer.agent.parameters
        #expect(sameParameters)
        #expect(resumed.wrappers == uninterrupted.trainer.wrappers)
    }

    @Test("a checkpoint whose sizes do not fit its configuration is rejected")
    func mismatchedCheckpoint() throws {
        let trainer = try Trainer(configuration: Self.smallConfiguration(workers: 1))
        var checkpoint = trainer.checkpoint()
        checkpoint.configuration.actorHidden = [32]
        #expect(throws: TrainingError.self) { try Trainer(checkpoint: checkpoint) }
    }

    @Test("a saved agent reads back, and its evaluation is deterministic")
    func savedAgent() throws {
        let (_, _, trainer) = try Self.run(Self.smallConfiguration(workers: 1))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try trainer.savedAgent().write(to: url)
        let saved = try SavedAgent.read(from: url)
        #expect(saved.parameters == trainer.agent.parameters)
        #expect(saved.wrappers == trainer.wrappers)
        #expect(saved.configuration == trainer.configuration)
        let first = try saved.evaluate(episodes: 2, seed: 9)
        let second = try saved.evaluate(episodes: 2, seed: 9)
        #expect(first.returns == second.returns && first.returns.count == 2)
        #expect(saved.wrappers[0] == trainer.wrappers[0], "evaluation must not change the saved statistics")

        try Data("{\"format\": \"other\"}".utf8).write(to: url)
        #expect(throws: AgentFileError.self) { try SavedAgent.read(from: url) }
    }

    @Test("invalid settings are rejected with the field and value")
    func invalidSettings() {
        var c = TrainingConfiguration()
        c.minibatches = 3
        c.algorithm = "ppo2"
        c.gamma = 1.5
        let problems = c.problems()
        #expect(problems.contains { $0.contains("ppo2") })
        #expect(problems.contains { $0.contains("not divisible by minibatches 3") })
        #expect(problems.contains { $0.contains("gamma") && $0.contains("1.5") })
        #expect(throws: TrainingError.self) { try Trainer(configuration: c) }
    }
}
