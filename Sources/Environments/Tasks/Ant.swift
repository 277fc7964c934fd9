import MuJoCo

/// Ant-v4: a four-legged 3-D robot that must walk forward (Gymnasium v4, bit-exact).
///
/// - Model: `ant.xml`, RK4, timestep 0.01 s, frame skip 5 (dt = 0.05 s).
/// - Action (8, in [-1, 1]): hip and ankle torques in actuator order hip_4, ankle_4,
///   hip_1, ankle_1, hip_2, ankle_2, hip_3, ankle_3 (gear 150).
/// - Observation (27): qpos[2...14] (torso z m, torso quaternion w x y z, eight joint
///   angles rad), then qvel[0...13] (m/s, rad/s). With `excludeCurrentPositions = false`
///   the torso x, y come first (+2). With `useContactForces` the 14 × 6 `cfrc_ext`
///   entries clipped to `contactForceRange` follow (+84).
/// - Reward: `(vx + healthyReward) − (ctrlWeight·Σa² [+ contactWeight·Σclip(cfrc_ext)²])`
///   with `vx` from the torso body position `xpos` (m/s).
/// - Healthy: every qpos and qvel entry finite and `healthyZRange.0 ≤ qpos[2] ≤ healthyZRange.1`
///   (inclusive). Terminated when unhealthy (if `terminateWhenUnhealthy`); truncated at 1000 steps.
/// - Reset: qpos defaults (torso at 0.75 m) plus U(−s, s), qvel = s·N(0, 1), s = `resetNoiseScale`.
/// - Info: `reward_forward`, `reward_ctrl` (= −ctrl cost, or −contact cost when contact
///   forces are used, as Gymnasium v4 does), `reward_survive`, `x_position`, `y_position`,
///   `distance_from_origin` (m), `x_velocity`, `y_velocity` (m/s), `forward_reward`.
public final class Ant: Environment {
    /// Constructor options of Gymnasium's Ant-v4, with its defaults.
    public struct Options: Sendable {
        public var ctrlCostWeight = 0.5
        public var useContactForces = false
        public var contactCostWeight = 5e-4
        public var healthyReward = 1.0
        public var terminateWhenUnhealthy = true
        public var healthyZRange = (0.2, 1.0)
        public var contactForceRange = (-1.0, 1.0)
        public var resetNoiseScale = 0.1
        public var excludeCurrentPositionsFromObservation = true
        /// Gymnasium's `xml_file`: an MJCF file to use instead of `models/ant.xml`.
        public var modelPath: String? = nil
        public init() {}
    }

    public let spec: EnvironmentSpec
    public let simulation: Simulation
    public var episode = EpisodeClock()
    public var readsContactForces: Bool { options.useContactForces }
    public let options: Options
    private let torso: Int

    public init(options: Options = Options()) throws {
        try checkRange(options.healthyZRange, task: "Ant-v4", option: "healthyZRange")
        try checkRange(options.contactForceRange, task: "Ant-v4", option: "contactForceRange")
        let model = try loadTaskModel(defaultFile: "ant.xml", explicitPath: options.modelPath)
        self.options = options
        simulation = Simulation(model: model)
        torso = try model.bodyIndex(named: "torso")
        var size = 27
        if !options.excludeCurrentPositionsFromObservation { size += 2 }
        if options.useContactForces { size += 84 }
        spec = taskSpec(
            id: "Ant-v4", model: model, frameSkip: 5, observationSize: size,
            infoKeys: [
                "reward_forward", "reward_ctrl", "reward_survive", "x_position", "y_position",
                "distance_from_origin", "x_velocity", "y_velocity", "forward_reward",
            ]
        )
    }

    public func initialState(using random: inout RandomGenerator) -> (qpos: [Double], qvel: [Double]) {
        uniformPositionNormalVelocityState(model: simulation.model, scale: options.resetNoiseScale, random: &random)
    }

    public func positionBeforeStep() -> SIMD2<Double> {
        SIMD2(simulation.xpos[3 * torso], simulation.xpos[3 * torso + 1])
    }

    var isHealthy: Bool {
        let qpos = simulation.qpos
        let finite = qpos.allSatisfy(\.isFinite) && simulation.qvel.allSatisfy(\.isFinite)
        return finite && options.healthyZRange.0 <= qpos[2] && qpos[2] <= options.healthyZRange.1
    }

    private func clippedContactForce(_ index: Int) -> Double {
        clip(simulation.cfrcExt[index], options.contactForceRange.0, options.contactForceRange.1)
    }

    public func evaluate<A: ActionScalar>(action: UnsafeBufferPointer<A>, positionBefore: SIMD2<Double>) -> (
        reward: Double, terminated: Bool, info: [Double]
    ) {
        let after = positionBeforeStep()
        let xVelocity = (after.x - positionBefore.x) / spec.dt
        let yVelocity = (after.y - positionBefore.y) / spec.dt
        let healthy = isHealthy
        let healthyReward = (healthy || options.terminateWhenUnhealthy ? 1.0 : 0.0) * options.healthyReward
        let rewards = xVelocity + healthyReward
        let ctrlCost = numpySumOfSquaresCost(weight: options.ctrlCostWeight, action)
        var costs = ctrlCost
        var reportedCtrl = -ctrlCost
        if options.useContactForces {
            let count = simulation.cfrcExt.count
            let contactCost =
                options.contactCostWeight
                * numpyPairwiseSum(count) { self.clippedContactForce($0) * self.clippedContactForce($0) }
            costs = ctrlCost + contactCost
            reportedCtrl = -contactCost
        }
        let distance = (after.x * after.x + after.y * after.y).squareRoot()
        let info = [
            xVelocity, reportedCtrl, healthyReward, after.x, after.y, distance, xVelocity, yVelocity, xVelocity,
        ]
        return (rewards - costs, options.terminateWhenUnhealthy && !healthy, info)
    }

    public func writeObservation(into observation: UnsafeMutableBufferPointer<Double>) {
        let first = options.excludeCurrentPositionsFromObservation ? 2 : 0
        var k = writePositionsAndVelocities(simulation, firstPosition: first, clipVelocity: false, into: observation)
        if options.useContactForces {
            for i in 0..<simulation.cfrcExt.count { observation[k] = clippedContactForce(i); k += 1 }
        }
    }
}

extension Ant {
    /// Gymnasium's keyword options of Ant-v4, in its constructor's order (`xml_file` is
    /// ``Options/modelPath``, not settable from experiment files).
    public static let taskOptions: [TaskOption<Options>] = [
        .number("ctrl_cost_weight", \.ctrlCostWeight),
        .flag("use_contact_forces", \.useContactForces),
        .number("contact_cost_weight", \.contactCostWeight),
        .number("healthy_reward", \.healthyReward),
        .flag("terminate_when_unhealthy", \.terminateWhenUnhealthy),
        .range("healthy_z_range", \.healthyZRange),
        .range("contact_force_range", \.contactForceRange),
        .number("reset_noise_scale", \.resetNoiseScale, minimum: 0),
        .flag("exclude_current_positions_from_observation", \.excludeCurrentPositionsFromObservation),
    ]
}
