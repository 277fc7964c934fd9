import Foundation
import Testing

@testable import Learning

@Suite("Adaptive learning rate")
struct AdaptiveLearningRateTests {
    @Test("the rate falls above twice the target, rises below half of it, and stays within its bounds")
    func rule() {
        let target = 0.01
        #expect(AdaptiveLearningRate.next(1e-3, meanKL: 0.03, desiredKL: target) == 1e-3 / 1.5)
        #expect(AdaptiveLearningRate.next(1e-3, meanKL: 0.004, desiredKL: target) == 1e-3 * 1.5)
        // The thresholds themselves and everything between leave the rate alone.
        for kl in [0.005, 0.01, 0.02] {
            #expect(AdaptiveLearningRate.next(1e-3, meanKL: kl, desiredKL: target) == 1e-3)
        }
        #expect(AdaptiveLearningRate.next(1.2e-5, meanKL: 1, desiredKL: target) == 1e-5)
        #expect(AdaptiveLearningRate.next(1e-5, meanKL: 1, desiredKL: target) == 1e-5)
        #expect(AdaptiveLearningRate.next(9e-3, meanKL: 0, desiredKL: target) == 1e-2)
        #expect(AdaptiveLearningRate.next(1e-3, meanKL: .nan, desiredKL: target) == 1e-3)
    }

    static func configuration() -> TrainingConfiguration {
        var c = TrainerTests.smallConfiguration(workers: 2, algorithm: "ppo")
        c.adaptiveLearningRate = true
        c.desiredKL = 0.002
        return c
    }

    @Test("training adapts the logged rate instead of decaying it, within the bounds")
    func training() throws {
        let run = try TrainerTests.run(Self.configuration())
        let header = UpdateMetrics.csvHeader.split(separator: ",")
        let column = try #require(header.firstIndex(of: "learning_rate"))
        let rates = run.updates.map { Double($0.split(separator: ",")[column])! }
        #expect(rates.allSatisfy { AdaptiveLearningRate.bounds.contains($0) })
        #expect(rates[0] != 3e-4, "the first update's minibatches adapted the rate: \(rates)")
        #expect(Set(rates).count > 1, "the rate moves with the KL: \(rates)")
        let decayed = try TrainerTests.run(TrainerTests.smallConfiguration(workers: 2, algorithm: "ppo"))
        #expect(decayed.updates != run.updates)
    }

    @Test("resume from a checkpoint is bit-identical with the rate adapting")
    func resume() throws {
        try TrainerTests.expectBitIdenticalResume(Self.configuration())
    }

    @Test("it is refused for algorithms without minibatches, and a target must be positive")
    func validation() {
        var c = Self.configuration()
        c.algorithm = "trpo"
        #expect(c.problems().contains { $0.contains("adaptiveLearningRate") && $0.contains("trpo") })
        c.algorithm = "spo"
        c.desiredKL = 0
        #expect(c.problems() == ["desiredKL must be positive, got 0.0"])
    }

    @Test("a run that does not use it keeps its id: the setting is absent from the encoded settings")
    func absentWhenOff() throws {
        let encoded = try String(decoding: JSONEncoder().encode(TrainingConfiguration()), as: UTF8.self)
        #expect(!encoded.contains("adaptiveLearningRate") && !encoded.contains("desiredKL"))
    }
}
