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

/// The rollout's workers: each drives its own group of environments through the whole horizon,
/// and every number must be the one the step-by-step loop over all environments gave.
extension TrainerTests {
    /// Sign, exponent and significand bits of every element, so that −0 and +0, and NaNs, compare.
    static func bits<Scalar: BinaryFloatingPoint>(_ values: [Scalar]) -> [String] {
        values.map { "\($0.sign) \($0.exponentBitPattern) \($0.significandBitPattern)" }
    }

    /// `network`'s packed forward of the rows `rows` of `input` (row-major, `batch` rows).
    static func packedOutput(
        _ network: PackedMLP<Float>, input: [Float], rows: Range<Int>, workspaceRows: Int
    ) -> [Float] {
        let width = network.inputSize
        let part = Array(input[(rows.lowerBound * width)..<(rows.upperBound * width)])
        var output = [Float](repeating: .nan, count: rows.count * network.outputSize)
        var workspace = network.makeWorkspace(batch: workspaceRows)
        part.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer {
                network.forward(x.baseAddress!, batch: rows.count, into: $0.baseAddress!, workspace: &workspace)
            }
        }
        return output
    }

    @Test(
        "a packed network gives every row the bits of the batched forward, whatever rows share its batch",
        arguments: [[11, 64, 64, 3], [11, 64, 64, 1], [376, 256, 256, 128, 128, 64, 64, 17], [5, 3]])
    func packedForward(sizes: [Int]) {
        var random = RandomGenerator(seed: 21)
        let network = MLP<Float>(sizes: sizes)
        // Parameters at a trained scale, so that the hidden units use both branches of tanh.
        let parameters = network.initialParameters(hiddenGain: 3, outputGain: 1, random: &random).map {
            $0 + Float(0.1 * random.standardNormal())
        }
        let batch = 11
        let input = (0..<(batch * sizes[0])).map { _ in Float(3 * random.standardNormal()) }
        let reference = network.forward(parameters, input: input, batch: batch).output
        let packed = network.packed(parameters)
        let outputSize = sizes[sizes.count - 1]
        let splits: [[Range<Int>]] = [
            [0..<11], (0..<11).map { $0..<($0 + 1) }, [0..<4, 4..<11], [0..<1, 1..<5, 5..<9, 9..<11],
            [0..<3, 3..<6, 6..<8, 8..<11],
        ]
        for split in splits {
            var output: [Float] = []
            for rows in split { output += Self.packedOutput(packed, input: input, rows: rows, workspaceRows: batch) }
            #expect(Self.bits(output) == Self.bits(reference), "\(sizes), rows \(split)")
        }
        // A row alone in a workspace of one row, the last row of the batch.
        let last = Self.packedOutput(packed, input: input, rows: 10..<11, workspaceRows: 1)
        #expect(Self.bits(last) == Self.bits(Array(reference[(10 * outputSize)...])))
    }

    @Test("an agent's packed networks give the bits of its means and values")
    func packedAgent() {
        var random = RandomGenerator(seed: 22)
        let agent = ActorCritic<Float>(
            observationSize: 17, actionSize: 6, actorHidden: [256, 256, 128, 128, 64, 64], criticHidden: [64, 64],
            random: &random)
        let (actor, critic) = agent.packedNetworks()
        let input = (0..<(9 * 17)).map { _ in Float(random.standardNormal()) }
        let means = agent.means(input, batch: 9), values = agent.values(input, batch: 9)
        for rows in [0..<9, 0..<2, 2..<9, 4..<5] {
            let actorRows = Self.packedOutput(actor, input: input, rows: rows, workspaceRows: 9)
            let criticRows = Self.packedOutput(critic, input: input, rows: rows, workspaceRows: 9)
            #expect(Self.bits(actorRows) == Self.bits(Array(means[(rows.lowerBound * 6)..<(rows.upperBound * 6)])))
            #expect(Self.bits(criticRows) == Self.bits(Array(values[rows])))
        }
    }

    /// A trainer whose rollouts run on `workers` groups of environments (more than cores if need be).
    static func trainer(_ configuration: TrainingConfiguration, groups workers: Int) throws -> Trainer {
        var configuration = configuration
        configuration.workers = workers
        let trainer = try Trainer(configuration: configuration, capWorkersAtCores: false)
        #expect(trainer.rolloutGroups.count == workers)
        return trainer
    }

    /// Everything a trainer carries from one rollout to the next, as bytes: generator, wrappers,
    /// environments, observations, global step.
    static func state(_ trainer: Trainer) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var checkpoint = trainer.checkpoint()
        checkpoint.configuration.workers = 0  // the one setting that may differ
        return try encoder.encode(checkpoint)
    }

    static func expectSameBits(_ a: Minibatch<Float>, _ b: Minibatch<Float>, _ label: String) {
        #expect(a.size == b.size, "\(label)")
        #expect(bits(a.observations) == bits(b.observations), "\(label): observations")
        #expect(bits(a.actions) == bits(b.actions), "\(label): actions")
        #expect(bits(a.oldLogProbabilities) == bits(b.oldLogProbabilities), "\(label): log-probabilities")
        #expect(bits(a.oldMeans) == bits(b.oldMeans), "\(label): means")
        #expect(bits(a.oldLogStd) == bits(b.oldLogStd), "\(label): log-std")
        #expect(bits(a.advantages) == bits(b.advantages), "\(label): advantages")
        #expect(bits(a.returns) == bits(b.returns), "\(label): returns")
        #expect(bits(a.oldValues) == bits(b.oldValues), "\(label): values")
    }

    @Test("rollouts on 1, 2, 3 and 5 groups of environments give the same minibatches bit for bit")
    func rolloutGroups() throws {
        var configuration = Self.smallConfiguration(workers: 1)
        configuration.environments = 5  // groups of unequal sizes
        configuration.horizon = 96  // episodes end inside the rollouts
        configuration.totalSteps = 5 * 96 * 3
        var reference: (batches: [Minibatch<Float>], episodes: [String], metrics: String, state: Data)?
        for groups in [1, 2, 3, 5] {
            let trainer = try Self.trainer(configuration, groups: groups)
            var batches = [try trainer.collectRollout()]
            var episodes: [String] = []
            let metrics = try trainer.step { episodes.append($0.csvRow) }
            batches.append(try trainer.collectRollout())
            let run = (
                batches: batches, episodes: episodes,
                metrics: metrics.csvRow.split(separator: ",").dropLast(3).joined(separator: ","),
                state: try Self.state(trainer)
            )
            guard let reference else {
                #expect(!episodes.isEmpty)
                reference = run
                continue
            }
            for (k, batch) in run.batches.enumerated() {
                Self.expectSameBits(batch, reference.batches[k], "\(groups) groups, rollout \(k)")
            }
            #expect(run.episodes == reference.episodes, "\(groups) groups")
            #expect(run.metrics == reference.metrics, "\(groups) groups")
            #expect(run.state == reference.state, "\(groups) groups: the state after the rollouts")
        }
    }

    @Test("a rollout stopped by a non-finite action leaves the same state on 1, 2, 3 and 4 groups")
    func rejectedRollout() throws {
        var configuration = Self.smallConfiguration(workers: 1)
        configuration.environments = 4
        configuration.horizon = 128
        let fresh = try Trainer(configuration: configuration)
        let start = fresh.checkpoint()
        // σ₀ = e¹⁰⁰⁰ is ∞, so the first action element is ±∞, clipped to a bound, while its mean
        // is finite, and NaN (∞ − ∞) when the mean overflows against the noise's sign: the mean
        // gets two of the largest weights, and overflows when those hidden units' sum exceeds 1.
        // Find units for which that first happens a few steps into the rollout.
        let output = fresh.agent.actor.weightOffsets[2], width = configuration.actorHidden[1]
        func rejecting(_ p1: Int, _ p2: Int) -> TrainerCheckpoint {
            var checkpoint = start
            checkpoint.parameters.values[output + p1] = .greatestFiniteMagnitude
            checkpoint.parameters.values[output + p2] = .greatestFiniteMagnitude
            checkpoint.parameters.values[fresh.agent.logStdOffset] = 1000
            return checkpoint
        }
        func run(_ checkpoint: TrainerCheckpoint, groups: Int) throws -> (
            divergence: Divergence?, episodes: [String], state: Data, globalStep: Int
        ) {
            let trainer = try Trainer(checkpoint: checkpoint, workers: groups, capWorkersAtCores: false)
            #expect(trainer.rolloutGroups.count == groups)
            var episodes: [String] = []
            let outcome = Result { try trainer.step { episodes.append($0.csvRow) } }
            var divergence: Divergence?
            if case let .failure(error) = outcome { divergence = error as? Divergence }
            return (divergence, episodes, try Self.state(trainer), trainer.globalStep)
        }
        var found: (checkpoint: TrainerCheckpoint, step: Int)?
        search: for k1 in 0..<width {
            for k2 in (k1 + 1)..<width {
                let trainer = try Trainer(checkpoint: rejecting(k1, k2), workers: 1)
                guard (try? trainer.collectRollout()) == nil else { continue }
                let step = trainer.globalStep / configuration.environments
                if step >= 8 && step < configuration.horizon - 8 {
                    found = (rejecting(k1, k2), step)
                    break search
                }
            }
        }
        let (checkpoint, step) = try #require(found)
        let reference = try run(checkpoint, groups: 1)
        #expect(reference.divergence?.quantity == "action" && reference.divergence?.value.hasSuffix("nan") == true)
        #expect(reference.globalStep == step * configuration.environments)
        for groups in [2, 3, 4] {
            let other = try run(checkpoint, groups: groups)
            #expect(other.divergence == reference.divergence, "\(groups) groups")
            #expect(other.episodes == reference.episodes, "\(groups) groups")
            #expect(other.globalStep == reference.globalStep, "\(groups) groups")
            // Generator, wrappers, environments and observations as the rejected step found them.
            #expect(other.state == reference.state, "\(groups) groups: the state after the rejected step")
        }
    }
}
