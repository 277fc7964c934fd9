import MuJoCo

/// HalfCheetah-v4: a planar two-legged cat that must run forward (Gymnasium v4, bit-exact).
///
/// - Model: `half_cheetah.xml`, Euler, timestep 0.01 s, frame skip 5 (dt = 0.05 s).
/// - Action (6, in [-1, 1]): torques of bthigh, bshin, bfoot, fthigh, fshin, ffoot
///   (gears 120, 90, 60, 120, 60, 30).
/// - Observation (17): qpos[1...8] (height m, angle rad, six joint angles rad), then
///   qvel[0...8] (m/s, rad/s), unclipped. With `excludeCurrentPositions = false`
///   qpos[0] (x, m) comes first (18 values).
/// - Reward: `forwardWeight·vx − ctrlWeight·Σa²`, `vx` from qpos[0] (m/s).
/// - Never terminates; truncated at 1000 steps.
/// - Reset: qpos defaults plus U(−s, s), qvel = s·N(0, 1), s = `resetNoiseScale`.
/// - Info: `x_position` (m), `x_velocity` (m/s), `reward_run`, `reward_ctrl` (= −cost).
public final class HalfCheetah: Environment {
    /// Constructor options of Gymnasium's HalfCheetah-v4, with its defaults.
    public struct Options: Sendable {
        public var forwardRewardWeight = 1.0
        public var ctrlCostWeight = 0.1
        public var resetNoiseScale = 0.1
        public var excludeCurrentPositionsFromObservation = true
        /// An MJCF file to use instead of `models/half_cheetah.xml`.
        public var modelPath: String? = nil
        public init() {}
    }

    public let spec: EnvironmentSpec
    public let simulation: Simulation
    public var episode = EpisodeClock()
    public let readsContactForces = false
    public let options: Options

    public init(options: Options = Options()) throws {
        let model = try loadTaskModel(defaultFile: "half_cheetah.xml", explicitPath: options.modelPath)
        self.options = options
        simulation = Simulation(model: model)
        spec = taskSpec(
            id: "HalfCheetah-v4", model: model, frameSkip: 5,
            observationSize: options.excludeCurrentPositionsFromObservation ? 17 : 18,
            infoKeys: ["x_position", "x_velocity", "reward_run", "reward_ctrl"]
        )
    }

    public func initialState(using random: inout RandomGenerator) -> (qpos: [Double], qvel: [Double]) {
        uniformPositionNormalVelocityState(model: simulation.model, scale: options.resetNoiseScale, random: &random)
    }

    public func positionBeforeStep() -> SIMD2<Double> { SIMD2(simulation.qpos[0], 0) }

    public func evaluate<A: ActionScalar>(action: UnsafeBufferPointer<A>, positionBefore: SIMD2<Double>) -> (
        reward: Double, terminated: Bool, info: [Double]
    ) {
        let xAfter = simulation.qpos[0]
        let xVelocity = (xAfter - positionBefore.x) / spec.dt
        let ctrlCost = numpySumOfSquaresCost(weight: options.ctrlCostWeight, action)
        let forwardReward = options.forwardRewardWeight * xVelocity
        let reward = forwardReward - ctrlCost
        return (reward, false, [xAfter, xVelocity, forwardReward, -ctrlCost])
    }

    public func writeObservation(into observation: UnsafeMutableBufferPointer<Double>) {
        let first = options.excludeCurrentPositionsFromObservation ? 1 : 0
        writePositionsAndVelocities(simulation, firstPosition: first, clipVelocity: false, into: observation)
    }
}

extension HalfCheetah {
    /// Gymnasium's keyword options of HalfCheetah-v4, in its constructor's order (`xml_file` is
    /// ``Options/modelPath``, not settable from experiment files).
    public static let taskOptions: [TaskOption<Options>] = [
        .number("forward_reward_weight", \.forwardRewardWeight),
        .number("ctrl_cost_weight", \.ctrlCostWeight),
        .number("reset_noise_scale", \.resetNoiseScale, minimum: 0),
        .flag("exclude_current_positions_from_observation", \.excludeCurrentPositionsFromObservation),
    ]
}
