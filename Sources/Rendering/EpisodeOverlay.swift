import Environments
import Foundation

/// The running state of an episode being shown: step, return so far and the last step's
/// reward and info values (the task's reward terms), formatted for MuJoCo's overlay.
struct EpisodeOverlay {
    var task: String
    var episode = 1
    var step = 0
    var episodeReturn = 0.0
    var lastReward = 0.0
    var info: StepInfo?

    /// Counts one environment step: step number, return so far, reward and info terms.
    mutating func record(_ transition: StepResult) {
        step += 1
        episodeReturn += transition.reward
        lastReward = transition.reward
        info = transition.info
    }

    /// Labels and values, one line each.
    var text: (labels: String, values: String) {
        var labels = ["task", "episode", "step", "return", "reward"]
        var values = [
            task, "\(episode)", "\(step)", String(format: "%.2f", episodeReturn), String(format: "%.3f", lastReward),
        ]
        if let info {
            labels += info.keys
            values += info.values.map { String(format: "%.3f", $0) }
        }
        return (labels.joined(separator: "\n"), values.joined(separator: "\n"))
    }
}
