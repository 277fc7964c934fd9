import MuJoCo

/// A box of values with elementwise bounds, like Gymnasium's `Box` space.
public struct BoxSpace<Scalar: BinaryFloatingPoint & Sendable>: Sendable, Equatable {
    /// Lower bound of each element.
    public let low: [Scalar]
    /// Upper bound of each element.
    public let high: [Scalar]
    /// Number of elements.
    public var count: Int { low.count }

    public init(low: [Scalar], high: [Scalar]) {
        precondition(low.count == high.count, "bounds of different lengths")
        self.low = low
        self.high = high
    }

    /// A box of `count` elements without bounds.
    public static func unbounded(_ count: Int) -> BoxSpace {
        BoxSpace(low: Array(repeating: -.infinity, count: count), high: Array(repeating: .infinity, count: count))
    }
}

/// The fixed description of an environment: its id, spaces, timing and info keys.
public struct EnvironmentSpec: Sendable, Equatable {
    /// Registry id, e.g. `Hopper-v4`.
    public let id: String
    /// Bounds of the action, float as in Gymnasium (`actuator_ctrlrange` rounded to Float).
    public let actionSpace: BoxSpace<Float>
    /// Observation space (unbounded doubles).
    public let observationSpace: BoxSpace<Double>
    /// `mj_step` calls per environment step.
    public let frameSkip: Int
    /// Duration of one environment step in seconds (`timestep * frameSkip`).
    public let dt: Double
    /// Steps after which an episode is truncated (Gymnasium's TimeLimit).
    public let maxEpisodeSteps: Int
    /// Keys of the per-step info values, in Gymnasium's order.
    public let infoKeys: [String]

    /// Length of an action.
    public var actionSize: Int { actionSpace.count }
    /// Length of an observation.
    public var observationSize: Int { observationSpace.count }
}

/// Named extra values of one step (Gymnasium's `info` dictionary), in ``EnvironmentSpec/infoKeys`` order.
public struct StepInfo: Sendable, Equatable {
    /// The keys, shared with the spec.
    public let keys: [String]
    /// One value per key.
    public var values: [Double]

    /// The value of `key`, or nil when this environment does not report it.
    public subscript(key: String) -> Double? {
        keys.firstIndex(of: key).map { values[$0] }
    }
}

/// The scalar outcome of one step; the observation is written to a caller's buffer.
public struct Transition: Sendable, Equatable {
    /// The step's reward.
    public var reward: Double
    /// The task reached a terminal state (fell over, left the healthy range).
    public var terminated: Bool
    /// The episode reached ``EnvironmentSpec/maxEpisodeSteps`` (independent of `terminated`).
    public var truncated: Bool
    /// The step's info values.
    public var info: StepInfo
    /// MuJoCo warnings raised during the step. `PhysicsWarnings.stateReset` members mean
    /// MuJoCo found the physics diverging and reset the state inside the step, as in
    /// Gymnasium; the step is otherwise reported as Gymnasium would.
    public var warnings: PhysicsWarnings
}

/// The full outcome of one step, with the observation as an array.
public struct StepResult: Sendable, Equatable {
    public var observation: [Double]
    public var reward: Double
    public var terminated: Bool
    public var truncated: Bool
    public var info: StepInfo
    public var warnings: PhysicsWarnings
}

/// Errors of environment construction and use. Each names the value that was wrong.
public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
    case unknownTask(id: String, valid: [String])
    case actionLength(task: String, expected: Int, found: Int)
    case nonFiniteAction(task: String, index: Int, value: Double)
    case badVectorAction(environment: Int, EnvironmentErrorBox)
    case stepBeforeReset(task: String)
    case modelNotFound(file: String, searched: [String])
    case invalidOption(task: String, option: String, value: String, reason: String)
    case stateMismatch(task: String, field: String, expected: Int, found: Int)

    public var description: String {
        switch self {
        case let .unknownTask(id, valid):
            return "unknown task '\(id)'; valid tasks: \(valid.joined(separator: ", "))"
        case let .actionLength(task, expected, found):
            return "\(task): action has \(found) values, expected \(expected)"
        case let .nonFiniteAction(task, index, value):
            return "\(task): action[\(index)] is \(value); actions must be finite"
        case let .badVectorAction(environment, error):
            return "environment \(environment) of the vector: \(error.error)"
        case let .stepBeforeReset(task):
            return "\(task): step called before the first reset"
        case let .modelNotFound(file, searched):
            return
                "model file '\(file)' not found; looked in: \(searched.joined(separator: ", ")) "
                + "(set SPO_MODELS_DIR to the models/ folder)"
        case let .invalidOption(task, option, value, reason):
            return "\(task): option \(option) = \(value) is invalid: \(reason)"
        case let .stateMismatch(task, field, expected, found):
            return "\(task): state field '\(field)' has \(found) values, expected \(expected)"
        }
    }
}

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

/// Per-episode bookkeeping of an environment: its random generator and step counter.
public struct EpisodeClock: Codable, Equatable, Sendable {
    /// The generator for reset noise; reseeded by `reset(seed:)`, continued otherwise.
    public var random: RandomGenerator
    /// Steps taken since the last reset.
    public var elapsedSteps: Int
    /// Whether `reset` was called since construction.
    public var hasReset: Bool

    public init(seed: UInt64 = 0) {
        random = RandomGenerator(seed: seed)
        elapsedSteps = 0
        hasReset = false
    }
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

/// A saved environment: task id, physics state and episode clock.
public struct EnvironmentState: Codable, Equatable, Sendable {
    public var task: String
    public var physics: PhysicsState
    public var episode: EpisodeClock
}

/// An ``EnvironmentError`` nested in another (for errors of one environment of a vector).
public final class EnvironmentErrorBox: Equatable, Sendable {
    public let error: EnvironmentError
    public init(_ error: EnvironmentError) { self.error = error }
    public static func == (lhs: EnvironmentErrorBox, rhs: EnvironmentErrorBox) -> Bool { lhs.error == rhs.error }
}
