import MuJoCo

/// A Gymnasium-v4 MuJoCo task, with the TimeLimit wrapper built in.
///
/// A task supplies its physics hooks (initial-state noise, what it records before a
/// step, the reward and termination after it, the observation); the shared `reset`
/// and `step` in the extension below run them in Gymnasium's exact order
/// (docs/environments.md#reset, #step). Adding a task is one file conforming to this protocol plus one
/// line in ``EnvironmentRegistry``.
public protocol Environment: AnyObject {
    /// Id, spaces, timing and info keys.
    var spec: EnvironmentSpec { get }
    /// The simulation this environment steps.
    var simulation: Simulation { get }
    /// Random generator and step counter of the current episode.
    var episode: EpisodeClock { get set }
    /// Whether the observation or reward reads `cfrc_ext`, which needs `mj_rnePostConstraint`
    /// after the step. Gymnasium calls it for every task, but it changes no state, so tasks
    /// that never read its output skip it.
    var readsContactForces: Bool { get }

    /// The initial qpos and qvel of a new episode: model defaults plus noise drawn from
    /// `random`, all nq position values first, then all nv velocity values.
    func initialState(using random: inout RandomGenerator) -> (qpos: [Double], qvel: [Double])
    /// The position the reward's velocity is measured from, read before the step (x, y).
    func positionBeforeStep() -> SIMD2<Double>
    /// Reward, termination and info values after the physics has run.
    func evaluate<A: ActionScalar>(action: UnsafeBufferPointer<A>, positionBefore: SIMD2<Double>) -> (
        reward: Double, terminated: Bool, info: [Double]
    )
    /// Writes the observation (``EnvironmentSpec/observationSize`` values) from the current data.
    func writeObservation(into observation: UnsafeMutableBufferPointer<Double>)
}

extension Environment {
    /// Starts a new episode: `mj_resetData`, model defaults plus noise, `mj_forward`.
    /// A seed restarts the random generator; without one it continues.
    public func reset(seed: UInt64? = nil, observation: UnsafeMutableBufferPointer<Double>) {
        if let seed { episode.random = RandomGenerator(seed: seed) }
        let start = initialState(using: &episode.random)
        load(qpos: start.qpos, qvel: start.qvel, observation: observation)
    }

    /// Starts an episode from a given state (qpos before quaternion normalisation, qvel),
    /// in the order the conformance cases require: `mj_resetData`, set, `mj_forward`.
    public func reset(qpos: [Double], qvel: [Double], observation: UnsafeMutableBufferPointer<Double>) throws {
        let model = simulation.model
        guard qpos.count == model.nq else {
            throw EnvironmentError.stateMismatch(task: spec.id, field: "qpos", expected: model.nq, found: qpos.count)
        }
        guard qvel.count == model.nv else {
            throw EnvironmentError.stateMismatch(task: spec.id, field: "qvel", expected: model.nv, found: qvel.count)
        }
        load(qpos: qpos, qvel: qvel, observation: observation)
    }

    private func load(qpos: [Double], qvel: [Double], observation: UnsafeMutableBufferPointer<Double>) {
        simulation.resetData()
        _ = simulation.qpos.update(fromContentsOf: qpos)
        _ = simulation.qvel.update(fromContentsOf: qvel)
        simulation.forward()
        episode.elapsedSteps = 0
        episode.hasReset = true
        writeObservation(into: observation)
    }

    /// Advances one step with `action` (Float, or Double for the double-precision control
    /// cost path). The action is checked first (length, finiteness) and nothing changes
    /// when it is rejected. Actions outside the bounds are passed on unclipped, as in
    /// Gymnasium: MuJoCo clamps them for the physics, the control cost sees them raw.
    public func step<A: ActionScalar>(action: UnsafeBufferPointer<A>, observation: UnsafeMutableBufferPointer<Double>)
        throws -> Transition
    {
        guard episode.hasReset else { throw EnvironmentError.stepBeforeReset(task: spec.id) }
        try validate(action: action)
        let before = positionBeforeStep()
        let ctrl = simulation.ctrl
        for i in 0..<ctrl.count { ctrl[i] = Double(action[i]) }
        let warningsBefore = simulation.warningCounts
        simulation.step(count: spec.frameSkip)
        if readsContactForces { simulation.rnePostConstraint() }
        episode.elapsedSteps += 1
        let outcome = evaluate(action: action, positionBefore: before)
        writeObservation(into: observation)
        return Transition(
            reward: outcome.reward,
            terminated: outcome.terminated,
            truncated: episode.elapsedSteps >= spec.maxEpisodeSteps,
            info: StepInfo(keys: spec.infoKeys, values: outcome.info),
            warnings: simulation.warnings(since: warningsBefore)
        )
    }

    /// Throws unless `action` has the right length and only finite values.
    public func validate<A: ActionScalar>(action: UnsafeBufferPointer<A>) throws {
        guard action.count == spec.actionSize else {
            throw EnvironmentError.actionLength(task: spec.id, expected: spec.actionSize, found: action.count)
        }
        for (index, value) in action.enumerated() where !value.isFinite {
            throw EnvironmentError.nonFiniteAction(task: spec.id, index: index, value: Double(value))
        }
    }

    /// Starts a new episode and returns its first observation.
    @discardableResult
    public func reset(seed: UInt64? = nil) -> [Double] {
        var observation = [Double](repeating: 0, count: spec.observationSize)
        observation.withUnsafeMutableBufferPointer { reset(seed: seed, observation: $0) }
        return observation
    }

    /// Advances one step and returns the observation as an array.
    public func step<A: ActionScalar>(_ action: [A]) throws -> StepResult {
        var observation = [Double](repeating: 0, count: spec.observationSize)
        let transition = try action.withUnsafeBufferPointer { action in
            try observation.withUnsafeMutableBufferPointer { try step(action: action, observation: $0) }
        }
        return StepResult(
            observation: observation, reward: transition.reward, terminated: transition.terminated,
            truncated: transition.truncated, info: transition.info, warnings: transition.warnings
        )
    }

    /// The current observation, recomputed from the simulation's data without stepping.
    public func currentObservation() -> [Double] {
        var observation = [Double](repeating: 0, count: spec.observationSize)
        observation.withUnsafeMutableBufferPointer { writeObservation(into: $0) }
        return observation
    }

    /// Everything needed to continue this environment bit-identically: physics and episode clock.
    public func captureState() -> EnvironmentState {
        EnvironmentState(task: spec.id, physics: simulation.captureState(), episode: episode)
    }

    /// Restores a state captured from an environment of the same task.
    public func restore(_ state: EnvironmentState) throws {
        guard state.task == spec.id else {
            throw EnvironmentError.invalidOption(
                task: spec.id, option: "state.task", value: state.task, reason: "state was captured from another task")
        }
        do {
            try simulation.restore(state.physics)
        } catch let MuJoCoError.stateMismatch(field, expected, found) {
            throw EnvironmentError.stateMismatch(task: spec.id, field: field, expected: expected, found: found)
        }
        episode = state.episode
    }
}
