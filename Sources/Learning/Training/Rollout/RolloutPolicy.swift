import Environments

/// The policy of one rollout, shared read-only by its workers: the networks packed once
/// (``PackedMLP``), the Gaussian's log-std, and every standard normal the rollout samples with,
/// drawn before it in the order the step-by-step loop drew them: step t, environment i, action
/// element j at index (t·N + i)·actionSize + j.
struct RolloutPolicy {
    let actor: PackedMLP<Float>
    let critic: PackedMLP<Float>
    let logStd: [Double]
    /// σ as float (the action is `mean + σ·ε` in float) and σ², from `logStd`.
    let std: [Float]
    let variance: [Double]
    let noise: [Float]
    let actionSpace: BoxSpace<Float>

    init(agent: ActorCritic<Float>, noise: [Float], actionSpace: BoxSpace<Float>) {
        (actor, critic) = agent.packedNetworks()
        logStd = agent.logStd
        std = logStd.map { Float(PortableMath.exp($0)) }
        variance = logStd.map { PortableMath.exp(2 * $0) }
        self.noise = noise
        self.actionSpace = actionSpace
    }
}
