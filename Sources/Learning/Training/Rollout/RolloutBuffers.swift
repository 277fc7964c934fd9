import Environments

/// The rollout's buffers, time-major: row t·N + i is environment i's sample at step t.
final class RolloutBuffers {
    let observations: SharedBuffer<Float>
    let actions: SharedBuffer<Double>
    let means: SharedBuffer<Double>
    let logProbabilities: SharedBuffer<Double>
    let rewards: SharedBuffer<Double>
    let values: SharedBuffer<Double>
    let ended: SharedBuffer<Bool>

    init(rows: Int, observationSize: Int, actionSize: Int) {
        observations = SharedBuffer(repeating: 0, count: rows * observationSize)
        actions = SharedBuffer(repeating: 0, count: rows * actionSize)
        means = SharedBuffer(repeating: 0, count: rows * actionSize)
        logProbabilities = SharedBuffer(repeating: 0, count: rows)
        rewards = SharedBuffer(repeating: 0, count: rows)
        values = SharedBuffer(repeating: 0, count: rows)
        ended = SharedBuffer(repeating: false, count: rows)
    }
}
