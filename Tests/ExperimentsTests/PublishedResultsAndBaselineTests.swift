import Foundation
import Testing

@testable import Experiments

@Suite struct PublishedResultsTests {
    @Test func icmlLookupsMatchTheTable() throws {
        #expect(PublishedResults.icmlTable.count == 24)
        let hopper = try #require(PublishedResults.icml(task: "Hopper-v4", algorithm: "spo", actorLayers: 3))
        #expect(hopper.averageReturn == 1480.3 && hopper.ratioDeviation == 0.067)
        let ant = try #require(PublishedResults.icml(task: "Ant-v4", algorithm: "ppo", actorLayers: 7))
        #expect(ant.averageReturn == 1002.8 && ant.ratioDeviation == 548.060)
        #expect(
            PublishedResults.icml(task: "HumanoidStandup-v4", algorithm: "spo", actorLayers: 7)?.averageReturn
                == 176928.9)
        #expect(
            PublishedResults.icml(task: "Humanoid-v4", algorithm: "ppo", actorLayers: 3)?.ratioDeviation == 3689.957)
        #expect(PublishedResults.icml(task: "Hopper-v4", algorithm: "spo", actorLayers: 5) == nil)
        #expect(PublishedResults.icml(task: "Hopper-v4", algorithm: "spo-kl", actorLayers: 3) == nil)
    }

    @Test func arxivLookupsMatchTheTable() {
        #expect(PublishedResults.arxivTable.count == 48)
        #expect(
            PublishedResults.arxiv(task: "Walker2d-v4", algorithm: "spo-kl", klLimit: 0.02, actorLayers: 7)?
                .averageReturn == 3800.0)
        #expect(
            PublishedResults.arxiv(task: "Ant-v4", algorithm: "ppo", klLimit: nil, actorLayers: 3)?.averageReturn
                == 5216.4)
        #expect(
            PublishedResults.arxiv(task: "Hopper-v4", algorithm: "spo-kl", klLimit: 0.03, actorLayers: 3)?.averageReturn
                == 1632.6)
        #expect(
            PublishedResults.arxiv(task: "HumanoidStandup-v4", algorithm: "ppo", klLimit: nil, actorLayers: 7)?
                .averageReturn == 136717.4)
        #expect(
            PublishedResults.arxiv(task: "Humanoid-v4", algorithm: "spo-kl", klLimit: 0.01 + 0.02, actorLayers: 7)?
                .averageReturn == 3285.8)
        #expect(PublishedResults.arxiv(task: "Ant-v4", algorithm: "ppo", klLimit: 0.01, actorLayers: 3) == nil)
        #expect(PublishedResults.arxiv(task: "Ant-v4", algorithm: "spo-kl", klLimit: 0.05, actorLayers: 3) == nil)
    }

    @Test func bestReturnIsTheMaximumOverBothTables() {
        let expected = [
            "Ant-v4": 5323.2, "HalfCheetah-v4": 5307.3, "Hopper-v4": 1632.6,
            "Humanoid-v4": 4769.9, "HumanoidStandup-v4": 176928.9, "Walker2d-v4": 3800.0,
        ]
        for (task, best) in expected { #expect(PublishedResults.bestReturn(task: task) == best, "\(task)") }
        #expect(PublishedResults.bestReturn(task: "CartPole-v1") == nil)
    }
}

@Suite struct RandomPolicyBaselineTests {
    func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString)/random.json")
    }

    @Test func measuresAFiniteReturnOnHopper() throws {
        let measurement = try RandomPolicyBaseline.measure(task: "Hopper-v4", episodes: 3, seed: 1)
        #expect(measurement.returns.count == 3 && measurement.meanReturn.isFinite)
        #expect(measurement.meanLength >= 1 && measurement.meanLength < 1000)  // a random hopper falls
        #expect(abs(measurement.meanReturn - measurement.returns.reduce(0, +) / 3) < 1e-9)
        // The same seed measures the same; another seed differs.
        #expect(try RandomPolicyBaseline.measure(task: "Hopper-v4", episodes: 3, seed: 1) == measurement)
        #expect(
            try RandomPolicyBaseline.measure(task: "Hopper-v4", episodes: 3, seed: 2).meanReturn
                != measurement.meanReturn)
    }

    @Test func truncatesEpisodesAtAThousandSteps() throws {
        let measurement = try RandomPolicyBaseline.measure(task: "HalfCheetah-v4", episodes: 1, seed: 0)
        #expect(measurement.meanLength == 1000)
    }

    @Test func cachesMeasurementsByTaskEpisodesAndSeed() throws {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        var measured = 0
        let counting = { (task: String, episodes: Int, seed: UInt64) throws -> RandomPolicyBaseline.Measurement in
            measured += 1
            return try RandomPolicyBaseline.measure(task: task, episodes: episodes, seed: seed)
        }
        let first = try RandomPolicyBaseline.cached(
            task: "Hopper-v4", episodes: 2, seed: 5, cacheFile: file, measure: counting)
        #expect(measured == 1 && FileManager.default.fileExists(atPath: file.path))
        let written = try Data(contentsOf: file)
        let again = try RandomPolicyBaseline.cached(
            task: "Hopper-v4", episodes: 2, seed: 5, cacheFile: file, measure: counting)
        #expect(measured == 1 && again == first)
        #expect(try Data(contentsOf: file) == written)
        let other = try RandomPolicyBaseline.cached(
            task: "Hopper-v4", episodes: 2, seed: 6, cacheFile: file, measure: counting)
        #expect(measured == 2 && other.meanReturn != first.meanReturn)
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        #expect(json["format"] as? String == "spo-random-baselines" && json["version"] as? Int == 1)
        #expect((json["measurements"] as? [[String: Any]])?.compactMap { $0["seed"] as? Int } == [5, 6])
    }

    @Test func unreadableCacheIsAnErrorNamingTheFile() throws {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        try AtomicFile.write("not json", to: file)
        #expect(throws: ExperimentError.self) { try RandomPolicyBaseline.cached(task: "Hopper-v4", cacheFile: file) }
    }

    @Test func defaultBoundsUseTheRandomPolicyAndThePapersUnlessOverridden() throws {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let overrides = [
            "Walker2d-v4": NormalizationOverride(low: -10, high: 5000),
            "Custom-v0": NormalizationOverride(low: 0, high: 1),
        ]
        let bounds = try RandomPolicyBaseline.defaultBounds(
            tasks: ["Hopper-v4", "Walker2d-v4", "Custom-v0"], overrides: overrides, cacheFile: file, episodes: 2,
            seed: 3
        )
        let random = try RandomPolicyBaseline.measure(task: "Hopper-v4", episodes: 2, seed: 3)
        #expect(bounds["Hopper-v4"] == NormalizationBounds(low: random.meanReturn, high: 1632.6))
        #expect(bounds["Walker2d-v4"] == NormalizationBounds(low: -10, high: 5000))
        #expect(bounds["Custom-v0"] == NormalizationBounds(low: 0, high: 1))
        #expect(throws: StatisticsError.missingNormalization(tasks: ["Custom-v0"])) {
            try RandomPolicyBaseline.defaultBounds(
                tasks: ["Custom-v0"], overrides: ["Custom-v0": NormalizationOverride(low: 0)], cacheFile: file)
        }
    }

    @Test func normalizationOverridesLoadFromJSON() throws {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        try AtomicFile.write(#"{"Hopper-v4": {"low": 0, "high": 3000}, "Ant-v4": {"high": 6000}}"#, to: file)
        let overrides = try NormalizationOverride.load(from: file)
        #expect(
            overrides == [
                "Hopper-v4": NormalizationOverride(low: 0, high: 3000), "Ant-v4": NormalizationOverride(high: 6000),
            ])
        try AtomicFile.write(#"{"Hopper-v4": {"low": "zero"}}"#, to: file)
        #expect(throws: ExperimentError.self) { try NormalizationOverride.load(from: file) }
    }
}
