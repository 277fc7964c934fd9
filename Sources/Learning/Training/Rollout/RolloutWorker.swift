import Environments

/// What one worker's group of environments produced: its finished episodes by row, in row
/// order, and the row of the first step it could not take with that step's error.
struct RolloutGroupResult {
    var episodes: [(row: Int, statistics: TrainingWrappers.EpisodeStatistics)] = []
    var failure: (row: Int, error: Error)?
}

/// One worker's part of a rollout: its group of environments driven through the steps on its
/// own (policy, sampling, clipping, the environments' steps with auto-reset, the wrappers), each
/// environment exactly as the step-by-step loop over all environments drove it, into the same rows.
struct RolloutWorker {
    let vector: VectorEnvironment
    let policy: RolloutPolicy
    let buffers: RolloutBuffers
    /// The trainer's wrappers and current observations; the worker touches its environments' only.
    let wrappers: UnsafeMutableBufferPointer<TrainingWrappers>
    let observations: UnsafeMutableBufferPointer<Double>
    let observationSize: Int
    let actionSize: Int

    init(
        vector: VectorEnvironment, policy: RolloutPolicy, buffers: RolloutBuffers,
        wrappers: UnsafeMutableBufferPointer<TrainingWrappers>, observations: UnsafeMutableBufferPointer<Double>
    ) {
        self.vector = vector
        self.policy = policy
        self.buffers = buffers
        self.wrappers = wrappers
        self.observations = observations
        observationSize = vector.spec.observationSize
        actionSize = vector.spec.actionSize
    }

    /// Runs `steps` steps of the environments `group`; stops at the first step whose actions
    /// the environments reject, before any of the group's environments take it (as
    /// ``VectorEnvironment/step(_:)`` checks every action first).
    func run(_ group: Range<Int>, steps: Int) -> RolloutGroupResult {
        let n = vector.count, m = group.count, first = group.lowerBound
        let obsSize = observationSize, actSize = actionSize
        var input = [Float](repeating: 0, count: m * obsSize)
        var means = [Float](repeating: 0, count: m * actSize)
        var values = [Float](repeating: 0, count: m)
        var clipped = [Float](repeating: 0, count: m * actSize)
        var sample = [Float](repeating: 0, count: actSize)
        var actorWorkspace = policy.actor.makeWorkspace(batch: m)
        var criticWorkspace = policy.critic.makeWorkspace(batch: m)
        var result = RolloutGroupResult()
        let observed = buffers.observations.pointer, actions = buffers.actions.pointer
        let meanRows = buffers.means.pointer, logProbabilities = buffers.logProbabilities.pointer
        for t in 0..<steps {
            let firstRow = t * n + first
            for k in 0..<(m * obsSize) {
                let x = Float(observations[first * obsSize + k])
                input[k] = x
                observed[firstRow * obsSize + k] = x
            }
            input.withUnsafeBufferPointer { x in
                means.withUnsafeMutableBufferPointer {
                    policy.actor.forward(x.baseAddress!, batch: m, into: $0.baseAddress!, workspace: &actorWorkspace)
                }
                values.withUnsafeMutableBufferPointer {
                    policy.critic.forward(x.baseAddress!, batch: m, into: $0.baseAddress!, workspace: &criticWorkspace)
                }
            }
            for r in 0..<m {
                let row = firstRow + r
                var logProbability = 0.0
                for j in 0..<actSize {
                    let mean = means[r * actSize + j]
                    let action = mean + policy.std[j] * policy.noise[row * actSize + j]
                    sample[j] = action
                    actions[row * actSize + j] = Double(action)
                    meanRows[row * actSize + j] = Double(mean)
                    logProbability += DiagonalGaussian.logDensity(
                        deviation: Double(action) - Double(mean), variance: policy.variance[j],
                        logStd: policy.logStd[j])
                }
                logProbabilities[row] = logProbability
                buffers.values.pointer[row] = Double(values[r])
                sample.withUnsafeBufferPointer { s in
                    clipped.withUnsafeMutableBufferPointer { out in
                        TrainingWrappers.clip(
                            action: s, space: policy.actionSpace,
                            into: UnsafeMutableBufferPointer(rebasing: out[(r * actSize)..<((r + 1) * actSize)]))
                    }
                }
            }
            let failure: (row: Int, error: Error)? = clipped.withUnsafeBufferPointer { clipped in
                for r in 0..<m {
                    let action = UnsafeBufferPointer(rebasing: clipped[(r * actSize)..<((r + 1) * actSize)])
                    do { try vector.validate(environment: first + r, action: action) } catch {
                        return (firstRow + r, error)
                    }
                }
                for r in 0..<m {
                    let action = UnsafeBufferPointer(rebasing: clipped[(r * actSize)..<((r + 1) * actSize)])
                    // Only a step before the first reset could throw here, which a trainer never takes.
                    do {
                        try advance(environment: first + r, row: firstRow + r, action: action, result: &result)
                    } catch {
                        return (firstRow + r, error)
                    }
                }
                return nil
            }
            if let failure {
                result.failure = failure
                return result
            }
        }
        return result
    }

    /// Environment `i`'s step with `action` and its wrappers: the reward and episode end at `row`,
    /// the next observation into ``observations``, a finished episode into `result`.
    private func advance(
        environment i: Int, row: Int, action: UnsafeBufferPointer<Float>, result: inout RolloutGroupResult
    ) throws {
        let slot = UnsafeMutableBufferPointer(
            rebasing: observations[(i * observationSize)..<((i + 1) * observationSize)])
        let (transition, finalObservation) = try vector.step(environment: i, action: action, observation: slot)
        let ended = transition.terminated || transition.truncated
        let outcome: (reward: Double, unclippedReward: Double, episode: TrainingWrappers.EpisodeStatistics?)
        if ended, var final = finalObservation {
            // The final step passes through the wrappers, then the auto-reset's observation does.
            outcome = final.withUnsafeMutableBufferPointer {
                wrappers[i].step(
                    observation: $0, reward: transition.reward, terminated: transition.terminated,
                    truncated: transition.truncated)
            }
            wrappers[i].reset(observation: slot)
        } else {
            outcome = wrappers[i].step(
                observation: slot, reward: transition.reward, terminated: transition.terminated,
                truncated: transition.truncated)
        }
        buffers.rewards.pointer[row] = Double(Float(outcome.reward))  // the authors store rewards as float32
        buffers.ended.pointer[row] = ended
        if let episode = outcome.episode { result.episodes.append((row, episode)) }
    }
}
