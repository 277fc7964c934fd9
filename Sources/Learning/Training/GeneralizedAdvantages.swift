/// Generalised advantage estimation over one environment's rollout of T steps.
///
/// `episodeEnded[t]` is true when the transition at t terminated or truncated the episode;
/// both cut the bootstrap, as in the authors' script. `bootstrapValue` is V of the observation
/// after the last step. Returns the advantages and the returns `advantage + value`.
public func generalizedAdvantages(
    rewards: [Double], values: [Double], episodeEnded: [Bool], bootstrapValue: Double, gamma: Double, lambda: Double
) -> (advantages: [Double], returns: [Double]) {
    let steps = rewards.count
    var advantages = [Double](repeating: 0, count: steps)
    var running = 0.0
    for t in stride(from: steps - 1, through: 0, by: -1) {
        let nextNonTerminal = episodeEnded[t] ? 0.0 : 1.0
        let nextValue = t == steps - 1 ? bootstrapValue : values[t + 1]
        let delta = rewards[t] + gamma * nextValue * nextNonTerminal - values[t]
        running = delta + gamma * lambda * nextNonTerminal * running
        advantages[t] = running
    }
    return (advantages, zip(advantages, values).map { $0 + $1 })
}
