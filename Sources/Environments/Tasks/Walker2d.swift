import MuJoCo

/// Walker2d-v4: a two-legged planar walker that must walk forward (Gymnasium v4, bit-exact).
///
/// - Model: `walker2d.xml`, RK4, timestep 0.002 s, frame skip 4 (dt = 0.008 s).
/// - Action (6, in [-1, 1]): torques of the right thigh, leg, foot, then the left ones (gear 100).
/// - Observation (17): qpos[1...8] (torso height m, torso angle rad, six joint angles
///   rad), then qvel[0...8] clipped to ±10 (m/s, rad/s). With
///   `excludeCurrentPositions = false` qpos[0] (x, m) comes first (18 values).
/// - Reward: `(forwardWeight·vx + healthyReward) − ctrlWeight·Σa²`, `vx` from qpos[0] (m/s).
/// - Healthy: height strictly inside `healthyZRange` and angle strictly inside
///   `healthyAngleRange`. Terminated when unhealthy (if `terminateWhenUnhealthy`);
///   truncated at 1000 steps.
/// - Reset: model defaults plus U(−s, s) on qpos and qvel, s = `resetNoiseScale`.
/// - Info: `x_position` (m), `x_velocity` (m/s).
public final class Walker2d: Environment {
    /// Constructor options of Gymnasium's Walker2d-v4, with its defaults.
    public struct Options: Sendable {
        public var forwardRewardWeight = 1.0
        public var ctrlCostWeight = 1e-3
        public var healthyReward = 1.0
        public var terminateWhenUnhealthy = true
        public var healthyZRange = (0.8, 2.0)
        public var healthyAngleRange = (-1.0, 1.0)
        public var resetNoiseScale = 5e-3
        public var excludeCurrentPositionsFromObservation = true
        /// An MJCF file to use instead of `models/walker2d.xml`.
        public var modelPath: String? = nil
        public init() {}
    }

    public let spec: EnvironmentSpec
    public let simulation: Simulation
    public var episode = EpisodeClock()
    public let readsContactForces = false
    public let options: Options

    public init(options: Options = Options()) throws {
        try checkRange(options.healthyZRange, task: "Walker2d-v4", option: "healthyZRange")
        try checkRange(options.healthyAngleRange, task: "Walker2d-v4", option: "healthyAngleRange")
        let model = try loadTaskModel(defaultFile: "walker2d.xml", explicitPath: options.modelPath)
        self.options = options
        simulation = Simulation(model: model)
        spec = taskSpec(
            id: "Walker2d-v4", model: model, frameSkip: 4,
            observationSize: options.excludeCurrentPositionsFromObservation ? 17 : 18,
            infoKeys: ["x_position", "x_velocity"]
        )
    }

    public func initialState(using random: inout RandomGenerator) -> (qpos: [Double], qvel: [Double]) {
        uniformNoiseState(model: simulation.model, scale: options.resetNoiseScale, random: &random)
    }

    public func positionBeforeStep() -> SIMD2<Double> { SIMD2(simulation.qpos[0], 0) }

    var isHealthy: Bool {
        let z = simulation.qpos[1], angle = simulation.qpos[2]
        return options.healthyZRange.0 < z && z < options.healthyZRange.1
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

extension Walker2d {
    /// Gymnasium's keyword options of Walker2d-v4, in its constructor's order (`xml_file` is
    /// ``Options/modelPath``, not settable from experiment files).
    public static let taskOptions: [TaskOption<Options>] = [
        .number("forward_reward_weight", \.forwardRewardWeight),
        .number("ctrl_cost_weight", \.ctrlCostWeight),
        .number("healthy_reward", \.healthyReward),
        .flag("terminate_when_unhealthy", \.terminateWhenUnhealthy),
        .range("healthy_z_range", \.healthyZRange),
        .range("healthy_angle_range", \.healthyAngleRange),
        .number("reset_noise_scale", \.resetNoiseScale, minimum: 0),
        .flag("exclude_current_positions_from_observation", \.excludeCurrentPositionsFromObservation),
    ]
}
