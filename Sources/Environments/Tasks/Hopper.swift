import MuJoCo

/// Hopper-v4: a one-legged planar robot that must hop forward (Gymnasium v4, bit-exact).
///
/// - Model: `hopper.xml`, RK4, timestep 0.002 s, frame skip 4 (dt = 0.008 s).
/// - Action (3, in [-1, 1]): torques of the thigh, leg and foot hinges (gear 200).
/// - Observation (11): qpos[1...5] (torso height m, torso angle rad, three joint
///   angles rad), then qvel[0...5] clipped to ±10 (m/s, rad/s). With
///   `excludeCurrentPositions = false` qpos[0] (x, m) comes first (12 values).
/// - Reward: `(forwardWeight·vx + healthyReward) − ctrlWeight·Σa²`, with
///   `vx = (x_after − x_before) / dt` from qpos[0] (m/s); the control cost in the
///   action's precision.
/// - Healthy: qpos[2...] and the unclipped qvel strictly inside `healthyStateRange`,
///   height strictly inside `healthyZRange`, angle strictly inside `healthyAngleRange`.
/// - Terminated when unhealthy (if `terminateWhenUnhealthy`); truncated at 1000 steps.
/// - Reset: model defaults plus U(−s, s) on qpos and qvel, s = `resetNoiseScale`.
/// - Info: `x_position` (m), `x_velocity` (m/s).
public final class Hopper: Environment {
    /// Constructor options of Gymnasium's Hopper-v4, with its defaults.
    public struct Options: Sendable {
        public var forwardRewardWeight = 1.0
        public var ctrlCostWeight = 1e-3
        public var healthyReward = 1.0
        public var terminateWhenUnhealthy = true
        public var healthyStateRange = (-100.0, 100.0)
        public var healthyZRange = (0.7, Double.infinity)
        public var healthyAngleRange = (-0.2, 0.2)
        public var resetNoiseScale = 5e-3
        public var excludeCurrentPositionsFromObservation = true
        /// An MJCF file to use instead of `models/hopper.xml`.
        public var modelPath: String? = nil
        public init() {}
    }

    public let spec: EnvironmentSpec
    public let simulation: Simulation
    public var episode = EpisodeClock()
    public let readsContactForces = false
    public let options: Options

    public init(options: Options = Options()) throws {
        try checkRange(options.healthyStateRange, task: "Hopper-v4", option: "healthyStateRange")
        try checkRange(options.healthyZRange, task: "Hopper-v4", option: "healthyZRange")
        try checkRange(options.healthyAngleRange, task: "Hopper-v4", option: "healthyAngleRange")
        let model = try loadTaskModel(defaultFile: "hopper.xml", explicitPath: options.modelPath)
        self.options = options
        simulation = Simulation(model: model)
        spec = taskSpec(
            id: "Hopper-v4", model: model, frameSkip: 4,
            observationSize: options.excludeCurrentPositionsFromObservation ? 11 : 12,
            infoKeys: ["x_position", "x_velocity"]
        )
    }

    public func initialState(using random: inout RandomGenerator) -> (qpos: [Double], qvel: [Double]) {
        uniformNoiseState(model: simulation.model, scale: options.resetNoiseScale, random: &random)
    }

    public func positionBeforeStep() -> SIMD2<Double> { SIMD2(simulation.qpos[0], 0) }

    var isHealthy: Bool {
        let qpos = simulation.qpos, qvel = simulation.qvel
        let (minState, maxState) = options.healthyStateRange
        let stateHealthy =
            qpos[2...].allSatisfy { minState < $0 && $0 < maxState }
            && qvel.allSatisfy { minState < $0 && $0 < maxState }
        let z = qpos[1], angle = qpos[2]
        return stateHealthy
            && options.healthyZRange.0 < z && z < options.healthyZRange.1
            && options.healthyAngleRange.0 < angle && angle < options.healthyAngleRange.1
    }

    public func evaluate<A: ActionScalar>(action: UnsafeBufferPointer<A>, positionBefore: SIMD2<Double>) -> (
        reward: Double, terminated: Bool, info: [Double]
    ) {
        planarWalkerOutcome(
            simulation: simulation, action: action, xBefore: positionBefore.x, dt: spec.dt, healthy: isHealthy,
            forwardRewardWeight: options.forwardRewardWeight, ctrlCostWeight: options.ctrlCostWeight,
            healthyReward: options.healthyReward, terminateWhenUnhealthy: options.terminateWhenUnhealthy
        )
    }

    public func writeObservation(into observation: UnsafeMutableBufferPointer<Double>) {
        let first = options.excludeCurrentPositionsFromObservation ? 1 : 0
        writePositionsAndVelocities(simulation, firstPosition: first, clipVelocity: true, into: observation)
    }
}

extension Hopper {
    /// Gymnasium's keyword options of Hopper-v4, in its constructor's order (`xml_file` is
    /// ``Options/modelPath``, not settable from experiment files).
    public static let taskOptions: [TaskOption<Options>] = [
        .number("forward_reward_weight", \.forwardRewardWeight),
        .number("ctrl_cost_weight", \.ctrlCostWeight),
        .number("healthy_reward", \.healthyReward),
        .flag("terminate_when_unhealthy", \.terminateWhenUnhealthy),
        .range("healthy_state_range", \.healthyStateRange),
        .range("healthy_z_range", \.healthyZRange),
        .range("healthy_angle_range", \.healthyAngleRange),
        .number("reset_noise_scale", \.resetNoiseScale, minimum: 0),
        .flag("exclude_current_positions_from_observation", \.excludeCurrentPositionsFromObservation),
    ]
}
