import Foundation

/// Replays recorded episodes through this project's environments and compares every value bit for bit.
///
/// Each episode follows docs/environments.md#replaying-a-case: `mj_resetData`, load the recorded
/// pre-normalisation qpos and qvel, `mj_forward`, then the recorded actions in their
/// recorded element type.
public enum ConformanceReplay {
    /// Replays every episode of `file` in a fresh environment of its task.
    public static func replay(_ file: ConformanceCaseFile) throws -> [EpisodeComparison] {
        let environment = try EnvironmentRegistry.make(file.envId)
        return try file.episodes.map { try replay($0, in: environment) }
    }

    /// Replays one episode in `environment`.
    public static func replay(_ episode: ConformanceCaseFile.Episode, in environment: any Environment) throws
        -> EpisodeComparison
    {
        let task = environment.spec.id
        var result = EpisodeComparison(task: task, episode: episode.name)
        let useDouble: Bool
        switch episode.actionDtype {
        case "float32": useDouble = false
        case "float64": useDouble = true
        default: throw ConformanceError.badActionType(episode: episode.name, dtype: episode.actionDtype)
        }

        var observation = [Double](repeating: 0, count: environment.spec.observationSize)
        try observation.withUnsafeMutableBufferPointer {
            try environment.reset(qpos: episode.initQpos, qvel: episode.initQvel, observation: $0)
        }
        compareVector(
            observation, episode.resetObs, label: "reset obs", into: &result, maximum: \.maxObservationDeviation)
        compareVector(
            Array(environment.simulation.qpos), episode.resetQpos, label: "reset qpos", into: &result,
            maximum: \.maxObservationDeviation)

        for (index, recorded) in episode.steps.enumerated() {
            let step =
                useDouble
                ? try environment.step(recorded.action) : try environment.step(recorded.action.map { Float($0) })
            let label = "step \(index + 1)"
            compareVector(
                step.observation, recorded.obs, label: "\(label) obs", into: &result, maximum: \.maxObservationDeviation
            )
            result.maxRewardDeviation = max(
                result.maxRewardDeviation, result.compare(step.reward, recorded.reward, what: "\(label) reward"))
            result.compareFlag(step.terminated, recorded.terminated, what: "\(label) terminated")
            result.compareFlag(step.truncated, recorded.truncated, what: "\(label) truncated")
            for (key, value) in recorded.info.sorted(by: { $0.key < $1.key }) {
                guard let ours = step.info[key] else {
                    result.mismatches += 1
                    if result.firstMismatch == nil { result.firstMismatch = "\(label) info: key '\(key)' missing" }
                    continue
                }
                result.maxInfoDeviation = max(
                    result.maxInfoDeviation, result.compare(ours, value, what: "\(label) info \(key)"))
            }
            result.stepsCompared += 1
        }
        return result
    }

    private static func compareVector(
        _ ours: [Double], _ recorded: [Double], label: String, into result: inout EpisodeComparison,
        maximum: WritableKeyPath<EpisodeComparison, Double>
    ) {
        guard ours.count == recorded.count else {
            result.mismatches += 1
            if result.firstMismatch == nil {
                result.firstMismatch = "\(label): \(ours.count) values, recorded \(recorded.count)"
            }
            return
        }
        for i in ours.indices {
            let deviation = result.compare(ours[i], recorded[i], what: "\(label)[\(i)]")
            if deviation > result[keyPath: maximum] { result[keyPath: maximum] = deviation }
        }
    }
}
