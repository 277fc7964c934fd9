import MuJoCo

/// HumanoidStandup-v4: the humanoid starts lying down and must stand up (Gymnasium v4, bit-exact).
///
/// - Model: `humanoidstandup.xml` (Humanoid's bodies, torso starting at 0.105 m), RK4,
///   timestep 0.003 s, frame skip 5 (dt = 0.015 s).
/// - Action (17, in [-0.4, 0.4] as Float): as Humanoid.
/// - Observation (376): the Humanoid layout (qpos[2...], qvel, cinert, cvel,
///   qfrc_actuator, cfrc_ext). Gymnasium v4 offers no constructor options here.
/// - Reward: `((uph − quadCtrl) − quadImpact) + 1` with `uph = qpos[2] / timestep`
///   (torso height divided by the 0.003 s physics timestep, not by dt),
///   `quadCtrl = 0.1·Σctrl²` and `quadImpact = min(0.5e-6·Σcfrc_ext², 10)`.
/// - Never terminates; truncated at 1000 steps.
/// - Reset: model defaults plus U(−0.01, 0.01) on qpos and qvel.
/// - Info: `reward_linup`, `reward_quadctrl` (= −quadCtrl), `reward_impact` (= −quadImpact).
public final class HumanoidStandup: Environment {
    /// Gymnasium's HumanoidStandup-v4 has no options; only the model file can be replaced.
    public struct Options: Sendable {
        /// An MJCF file to use instead of `models/humanoidstandup.xml`.
        public var modelPath: String? = nil
        public init() {}
    }

    public let spec: EnvironmentSpec
    public let simulation: Simulation
    public var episode = EpisodeClock()
    public let readsContactForces = true
    public let options: Options

    public init(options: Options = Options()) throws {
        let model = try loadTaskModel(defaultFile: "humanoidstandup.xml", explicitPath: options.modelPath)
        self.options = options
        simulation = Simulation(model: model)
        spec = taskSpec(
            id: "HumanoidStandup-v4", model: model, frameSkip: 5,
            observationSize: humanoidObservationSize(model),
            infoKeys: ["reward_linup", "reward_quadctrl", "reward_impact"]
        )
    }

    public func initialState(using random: inout RandomGenerator) -> (qpos: [Double], qvel: [Double]) {
        uniformNoiseState(model: simulation.model, scale: 0.01, random: &random)
    }

    public func positionBeforeStep() -> SIMD2<Double> { .zero }

    public func evaluate<A: ActionScalar>(action: UnsafeBufferPointer<A>, positionBefore: SIMD2<Double>) -> (
        reward: Double, terminated: Bool, info: [Double]
    ) {
        let uph = (simulation.qpos[2] - 0) / simulation.model.timestep
        let quadCtrl = numpySumOfSquaresCost(weight: 0.1, UnsafeBufferPointer(simulation.ctrl))
        var quadImpact = numpySumOfSquaresCost(weight: 0.5e-6, UnsafeBufferPointer(simulation.cfrcExt))
        if 10 < quadImpact { quadImpact = 10 }  // Python's min(quadImpact, 10); NaN passes through
        let reward = ((uph - quadCtrl) - quadImpact) + 1
        return (reward, false, [uph, -quadCtrl, -quadImpact])
    }

    public func writeObservation(into observation: UnsafeMutableBufferPointer<Double>) {
        writeHumanoidObservation(simulation, skippingPositions: 2, into: observation)
    }
}
