import MuJoCo

/// Humanoid-v4: a 3-D bipedal robot that must walk forward without falling (Gymnasium v4, bit-exact).
///
/// - Model: `humanoid.xml`, RK4, timestep 0.003 s, PGS solver, frame skip 5 (dt = 0.015 s).
/// - Action (17, in [-0.4, 0.4] as Float, so ±0.4000000059604645): abdomen, hip, knee,
///   shoulder and elbow torques in the model's actuator order.
/// - Observation (376): qpos[2...23] (torso z m, quaternion, 17 joint angles rad),
///   qvel (23), `cinert` (14 × 10), `cvel` (14 × 6), `qfrc_actuator` (23), `cfrc_ext`
///   (14 × 6), all as MuJoCo left them after the step. With
///   `excludeCurrentPositions = false` the torso x, y come first (378 values).
/// - Reward: `(forwardWeight·vx + healthyReward) − ctrlWeight·Σctrl²`, `vx` from the
///   mass-weighted centre of the bodies' `xipos` (m/s); control cost in double over `mjData.ctrl`.
/// - Healthy: `healthyZRange.0 < qpos[2] < healthyZRange.1` (strict). Terminated when
///   unhealthy (if `terminateWhenUnhealthy`); truncated at 1000 steps.
/// - Reset: model defaults plus U(−s, s) on qpos (quaternion included) and qvel.
/// - Info: `reward_linvel`, `reward_quadctrl` (= −cost), `reward_alive`, `x_position`,
///   `y_position`, `distance_from_origin` (m), `x_velocity`, `y_velocity` (m/s), `forward_reward`.
public final class Humanoid: Environment {
    /// Constructor options of Gymnasium's Humanoid-v4, with its defaults.
    public struct Options: Sendable {
        public var forwardRewardWeight = 1.25
        public var ctrlCostWeight = 0.1
        public var healthyReward = 5.0
        public var terminateWhenUnhealthy = true
        public var healthyZRange = (1.0, 2.0)
        public var resetNoiseScale = 1e-2
        public var excludeCurrentPositionsFromObservation = true
        /// An MJCF file to use instead of `models/humanoid.xml`.
        public var modelPath: String? = nil
        public init() {}
    }

    public let spec: EnvironmentSpec
    public let simulation: Simulation
    public var episode = EpisodeClock()
    public let readsContactForces = true
    public let options: Options
    private let massCentre: MassCentre

    public init(options: Options = Options()) throws {
        try checkRange(options.healthyZRange, task: "Humanoid-v4", option: "healthyZRange")
        let model = try loadTaskModel(defaultFile: "humanoid.xml", explicitPath: options.modelPath)
        self.options = options
        simulation = Simulation(model: model)
        massCentre = MassCentre(model: model)
        spec = taskSpec(
            id: "Humanoid-v4", model: model, frameSkip: 5,
            observationSize: humanoidObservationSize(model) + (options.excludeCurrentPositionsFromObservation ? 0 : 2),
            infoKeys: [
                "reward_linvel", "reward_quadctrl", "reward_alive", "x_position", "y_position",
                "distance_from_origin", "x_velocity", "y_velocity", "forward_reward",
            ]
        )
    }

    public func initialState(using random: inout RandomGenerator) -> (qpos: [Double], qvel: [Double]) {
        uniformNoiseState(model: simulation.model, scale: options.resetNoiseScale, random: &random)
    }

    public func positionBeforeStep() -> SIMD2<Double> { massCentre.position(in: simulation) }

    public func evaluate<A: ActionScalar>(action: UnsafeBufferPointer<A>, positionBefore: SIMD2<Double>) -> (
        reward: Double, terminated: Bool, info: [Double]
    ) {
        let after = massCentre.position(in: simulation)
        let xVelocity = (after.x - positionBefore.x) / spec.dt
        let yVelocity = (after.y - positionBefore.y) / spec.dt
        let ctrl = UnsafeBufferPointer(simulation.ctrl)
        let ctrlCost = numpySumOfSquaresCost(weight: options.ctrlCostWeight, ctrl)
        let forwardReward = options.forwardRewardWeight * xVelocity
        let z = simulation.qpos[2]
        let healthy = options.healthyZRange.0 < z && z < options.healthyZRange.1
        let healthyReward = (healthy || options.terminateWhenUnhealthy ? 1.0 : 0.0) * options.healthyReward
        let reward = (forwardReward + healthyReward) - ctrlCost
        let distance = (after.x * after.x + after.y * after.y).squareRoot()
        let info = [
            forwardReward, -ctrlCost, healthyReward, after.x, after.y, distance, xVelocity, yVelocity, forwardReward,
        ]
        return (reward, options.terminateWhenUnhealthy && !healthy, info)
    }

    public func writeObservation(into observation: UnsafeMutableBufferPointer<Double>) {
        writeHumanoidObservation(
            simulation, skippingPositions: options.excludeCurrentPositionsFromObservation ? 2 : 0, into: observation)
    }
}

/// The mass-weighted centre (x, y) of all bodies' `xipos`, summed in Gymnasium's order
/// (products accumulated body by body, divided by the pairwise-summed total mass).
struct MassCentre {
    let masses: [Double]
    let totalMass: Double

    init(model: MuJoCoModel) {
        masses = model.bodyMasses
        let masses = masses
        totalMass = numpyPairwiseSum(masses.count) { masses[$0] }
    }

    func position(in simulation: Simulation) -> SIMD2<Double> {
        let xipos = simulation.xipos
        var x = 0.0, y = 0.0
        for body in masses.indices {
            x = x + masses[body] * xipos[3 * body]
            y = y + masses[body] * xipos[3 * body + 1]
        }
        return SIMD2(x / totalMass, y / totalMass)
    }
}

/// Observation length of the humanoid layout without the x, y position: qpos[2...], qvel,
/// cinert, cvel, qfrc_actuator, cfrc_ext.
func humanoidObservationSize(_ model: MuJoCoModel) -> Int {
    (model.nq - 2) + model.nv + 10 * model.nbody + 6 * model.nbody + model.nv + 6 * model.nbody
}

/// Writes the humanoid observation layout, starting qpos at index `skippingPositions`.
func writeHumanoidObservation(
    _ simulation: Simulation, skippingPositions: Int, into observation: UnsafeMutableBufferPointer<Double>
) {
    var k = 0
    func append(_ values: UnsafeMutableBufferPointer<Double>, from start: Int = 0) {
        for i in start..<values.count { observation[k] = values[i]; k += 1 }
    }
    append(simulation.qpos, from: skippingPositions)
    append(simulation.qvel)
    append(simulation.cinert)
    append(simulation.cvel)
    append(simulation.qfrcActuator)
    append(simulation.cfrcExt)
}

extension Humanoid {
    /// Gymnasium's keyword options of Humanoid-v4, in its constructor's order (`xml_file` is
    /// ``Options/modelPath``, not settable from experiment files).
    public static let taskOptions: [TaskOption<Options>] = [
        .number("forward_reward_weight", \.forwardRewardWeight),
        .number("ctrl_cost_weight", \.ctrlCostWeight),
        .number("healthy_reward", \.healthyReward),
        .flag("terminate_when_unhealthy", \.terminateWhenUnhealthy),
        .range("healthy_z_range", \.healthyZRange),
        .number("reset_noise_scale", \.resetNoiseScale, minimum: 0),
        .flag("exclude_current_positions_from_observation", \.excludeCurrentPositionsFromObservation),
    ]
}
