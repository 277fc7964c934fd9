import Environments
import Foundation
import Testing

@testable import Learning

/// A recorded sequence of the authors' wrapper stack (schema in docs/environments.md#wrapper-recordings).
struct WrapperRecording: Decodable {
    struct Stats: Decodable {
        let obsMean: [Double], obsVar: [Double], obsCount: Double
        let retR: Double, retMean: Double, retVar: Double, retCount: Double
        let epReturn: Double, epLength: Int
    }
    struct EpisodeStats: Decodable { let r: Double, l: Int }
    struct Event: Decodable {
        let kind: String
        let initQpos: [Double]?, initQvel: [Double]?
        let action: [Double]?, clippedAction: [Double]?
        let rawObs: [Double]
        let rawReward: Double?
        let terminated: Bool?, truncated: Bool?
        let obsNorm: [Double], obs: [Double], obsClippedAt: [Int]
        let rewardNorm: Double?, reward: Double?
        let episodeStats: EpisodeStats?
        let stats: Stats
    }
    let envId: String
    let params: [String: Double]
    let events: [Event]

    static func load(_ name: String) throws -> WrapperRecording {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/wrappers/\(name).json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(WrapperRecording.self, from: Data(contentsOf: url))
    }
}

/// Bit-pattern equality of two double arrays.
func bitEqual(_ a: [Double], _ b: [Double]) -> Bool { a.map(\.bitPattern) == b.map(\.bitPattern) }

@Suite("Training wrappers, bit for bit against the authors' stack")
struct TrainingWrappersTests {
    @Test("physics and wrappers replay every recorded value exactly", arguments: ["Hopper", "HalfCheetah", "Humanoid"])
    func replay(name: String) throws {
        let recording = try WrapperRecording.load(name)
        let environment = try EnvironmentRegistry.make(recording.envId)
        var wrappers = TrainingWrappers(
            observationSize: environment.spec.observationSize, gamma: try #require(recording.params["gamma"]))
        var observation = [Double](repeating: 0, count: environment.spec.observationSize)
        var checkedSteps = 0, clippedRewards = 0, episodes = 0
        for (index, event) in recording.events.enumerated() {
            let label = "\(name) event \(index) (\(event.kind))"
            var reward: (reward: Double, unclippedReward: Double, episode: TrainingWrappers.EpisodeStatistics?)?
            if event.kind == "reset" {
                try observation.withUnsafeMutableBufferPointer {
                    try environment.reset(
                        qpos: try #require(event.initQpos), qvel: try #require(event.initQvel), observation: $0)
                }
                #expect(bitEqual(observation, event.rawObs), "\(label) raw obs")
                observation.withUnsafeMutableBufferPointer { wrappers.reset(observation: $0) }
            } else {
                let action = try #require(event.action).map { Float($0) }
                var clipped = [Float](repeating: 0, count: action.count)
                action.withUnsafeBufferPointer { action in
                    clipped.withUnsafeMutableBufferPointer {
                        TrainingWrappers.clip(action: action, space: environment.spec.actionSpace, into: $0)
                    }
                }
                #expect(
                    bitEqual(clipped.map(Double.init), try #require(event.clippedAction)), "\(label) clipped action")
                let step = try environment.step(clipped)
                #expect(bitEqual(step.observation, event.rawObs), "\(label) raw obs")
                #expect(step.reward.bitPattern == event.rawReward?.bitPattern, "\(label) raw reward")
                #expect(step.terminated == event.terminated && step.truncated == event.truncated, "\(label) flags")
                observation = step.observation
                reward = observation.withUnsafeMutableBufferPointer {
                    wrappers.step(
                        observation: $0, reward: step.reward, terminated: step.terminated, truncated: step.truncated)
                }
                checkedSteps += 1
            }
            // The observation: equal to the recorded normalised value where not clipped, ±10 where clipped.
            #expect(bitEqual(observation, event.obs), "\(label) obs")
            for i in event.obsNorm.indices where !event.obsClippedAt.contains(i) {
                #expect(observation[i].bitPattern == event.obsNorm[i].bitPattern, "\(label) obs_norm[\(i)]")
            }
            if let reward {
                #expect(reward.unclippedReward.bitPattern == event.rewardNorm?.bitPattern, "\(label) reward_norm")
                #expect(reward.reward.bitPattern == event.reward?.bitPattern, "\(label) reward")
                if reward.reward != reward.unclippedReward { clippedRewards += 1 }
                #expect((reward.episode == nil) == (event.episodeStats == nil), "\(label) episode end")
                if let recorded = event.episodeStats, let episode = reward.episode {
                    episodes += 1
                    #expect(
                        Double(episode.episodeReturn).bitPattern == recorded.r.bitPattern, "\(label) episode return")
                    #expect(Int(episode.length) == recorded.l, "\(label) episode length")
                }
            }
            let stats = event.stats
            #expect(bitEqual(wrappers.observationStatistics.mean, stats.obsMean), "\(label) obs mean")
            #expect(bitEqual(wrappers.observationStatistics.variance, stats.obsVar), "\(label) obs var")
            #expect(wrappers.observationStatistics.count.bitPattern == stats.obsCount.bitPattern, "\(label) obs count")
            #expect(wrappers.returnAccumulator.bitPattern == stats.retR.bitPattern, "\(label) R")
            #expect(wrappers.returnStatistics.mean[0].bitPattern == stats.retMean.bitPattern, "\(label) return mean")
            #expect(wrappers.returnStatistics.variance[0].bitPattern == stats.retVar.bitPattern, "\(label) return var")
            #expect(wrappers.returnStatistics.count.bitPattern == stats.retCount.bitPattern, "\(label) return count")
            #expect(
                Double(wrappers.episodeReturn).bitPattern == stats.epReturn.bitPattern,
                "\(label) running episode return")
            #expect(Int(wrappers.episodeLength) == stats.epLength, "\(label) running episode length")
        }
        #expect(checkedSteps > 0 && episodes > 0 && clippedRewards > 0)
    }

    @Test("frozen statistics normalise without changing")
    func frozen() {
        var wrappers = TrainingWrappers(observationSize: 2)
        var observation: [Double] = [1, 2]
        observation.withUnsafeMutableBufferPointer { wrappers.reset(observation: $0) }
        wrappers.updatesStatistics = false
        let before = wrappers
        var next: [Double] = [1.0001, 2]
        _ = next.withUnsafeMutableBufferPointer {
            wrappers.step(observation: $0, reward: 1, terminated: false, truncated: false)
        }
        #expect(wrappers.observationStatistics == before.observationStatistics)
        #expect(wrappers.returnStatistics == before.returnStatistics)
        let expected =
            (1.0001 - before.observationStatistics.mean[0])
            / (before.observationStatistics.variance[0] + 1e-8).squareRoot()
        #expect(abs(expected) < 10)
        #expect(next[0] == expected)
    }

    @Test("action clipping uses the float bounds, keeps -0.0 and passes NaN")
    func clipAction() throws {
        let space = try EnvironmentRegistry.make("Humanoid-v4").spec.actionSpace
        let action: [Float] = [1, -0.0, .nan, -3.4e38] + [Float](repeating: 0.1, count: 13)
        var clipped = [Float](repeating: 0, count: 17)
        action.withUnsafeBufferPointer { a in
            clipped.withUnsafeMutableBufferPointer { TrainingWrappers.clip(action: a, space: space, into: $0) }
        }
        #expect(clipped[0] == Float(0.4) && clipped[1].sign == .minus && clipped[2].isNaN && clipped[3] == -Float(0.4))
    }
}
