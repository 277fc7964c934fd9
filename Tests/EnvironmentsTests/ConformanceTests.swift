import Foundation
import Testing

@testable import Environments

/// The recorded Gymnasium trajectories (docs/environments.md#recorded-cases).
enum Fixtures {
    static let casesDirectory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/cases")
    static let caseFiles = ["Ant", "HalfCheetah", "Hopper", "Humanoid", "HumanoidStandup", "Walker2d"]

    static func caseFile(_ name: String) throws -> ConformanceCaseFile {
        try ConformanceCaseFile.load(from: casesDirectory.appendingPathComponent("\(name).json"))
    }
}

@Suite("Conformance with Gymnasium v4, bit for bit")
struct ConformanceTests {
    @Test("every recorded episode replays exactly", arguments: Fixtures.caseFiles)
    func replay(task: String) throws {
        let file = try Fixtures.caseFile(task)
        #expect(!file.episodes.isEmpty)
        for comparison in try ConformanceReplay.replay(file) {
            #expect(comparison.stepsCompared == file.episodes.first { $0.name == comparison.episode }?.steps.count)
            #expect(
                comparison.isExact,
                """
                \(task) \(comparison.episode): \(comparison.mismatches) mismatches, \
                first: \(comparison.firstMismatch ?? "")
                """
            )
        }
    }

    @Test("a corrupted recording is reported as a mismatch")
    func detectsMismatch() throws {
        let file = try Fixtures.caseFile("Hopper")
        let environment = try EnvironmentRegistry.make("Hopper-v4")
        let episode = file.episodes[0]
        // Replay with a tampered action: the trajectory must then deviate from the recording.
        let json = try JSONEncoder().encode(TamperedEpisode(episode))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let tampered = try decoder.decode(ConformanceCaseFile.Episode.self, from: json)
        let comparison = try ConformanceReplay.replay(tampered, in: environment)
        #expect(!comparison.isExact)
        #expect(comparison.maxObservationDeviation > 0)
        #expect(comparison.firstMismatch?.hasPrefix("step 1 ") == true)
    }
}

/// An episode re-encoded with its first action changed slightly.
private struct TamperedEpisode: Encodable {
    let episode: ConformanceCaseFile.Episode
    init(_ episode: ConformanceCaseFile.Episode) { self.episode = episode }

    private struct Step: Encodable {
        let action: [Double], obs: [Double], reward: Double, terminated: Bool, truncated: Bool, info: [String: Double]
    }
    private enum Keys: String, CodingKey { case name, action_dtype, init_qpos, init_qvel, reset_qpos, reset_obs, steps }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(episode.name, forKey: .name)
        try container.encode(episode.actionDtype, forKey: .action_dtype)
        try container.encode(episode.initQpos, forKey: .init_qpos)
        try container.encode(episode.initQvel, forKey: .init_qvel)
        try container.encode(episode.resetQpos, forKey: .reset_qpos)
        try container.encode(episode.resetObs, forKey: .reset_obs)
        let steps = episode.steps.enumerated().map { index, step in
            Step(
                action: index == 0 ? step.action.map { $0 * 0.5 } : step.action, obs: step.obs, reward: step.reward,
                terminated: step.terminated, truncated: step.truncated, info: step.info)
        }
        try container.encode(steps, forKey: .steps)
    }
}
