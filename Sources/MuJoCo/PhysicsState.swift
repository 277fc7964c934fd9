/// Everything that determines how a ``Simulation`` continues, as plain numbers.
///
/// Restoring a state into a simulation of the same model makes its next steps
/// bit-identical to those of the simulation it was captured from. It holds the
/// inputs of `mj_step` (time, qpos, qvel, act, ctrl, the solver warm start,
/// applied forces, mocap poses, user data) and the body and centre-of-mass
/// positions (`xpos`, `xipos`) as left by the last step, which environments read
/// before their next step. Units as in ``Simulation``.
public struct PhysicsState: Codable, Equatable, Sendable {
    public var time: Double
    public var qpos: [Double]
    public var qvel: [Double]
    public var act: [Double]
    public var ctrl: [Double]
    public var qaccWarmstart: [Double]
    public var qfrcApplied: [Double]
    public var xfrcApplied: [Double]
    public var mocapPos: [Double]
    public var mocapQuat: [Double]
    public var userdata: [Double]
    public var xpos: [Double]
    public var xipos: [Double]
}

extension Simulation {
    /// The current complete physics state.
    public func captureState() -> PhysicsState {
        PhysicsState(
            time: time, qpos: Array(qpos), qvel: Array(qvel), act: Array(act), ctrl: Array(ctrl),
            qaccWarmstart: Array(qaccWarmstart), qfrcApplied: Array(qfrcApplied), xfrcApplied: Array(xfrcApplied),
            mocapPos: Array(mocapPos), mocapQuat: Array(mocapQuat), userdata: Array(userdata),
            xpos: Array(xpos), xipos: Array(xipos)
        )
    }

    /// Restores a state captured from a simulation of the same model. Checks every
    /// length first and changes nothing when one does not fit.
    public func restore(_ state: PhysicsState) throws {
        let fields: [(String, [Double], UnsafeMutableBufferPointer<Double>)] = [
            ("qpos", state.qpos, qpos), ("qvel", state.qvel, qvel), ("act", state.act, act),
            ("ctrl", state.ctrl, ctrl), ("qaccWarmstart", state.qaccWarmstart, qaccWarmstart),
            ("qfrcApplied", state.qfrcApplied, qfrcApplied), ("xfrcApplied", state.xfrcApplied, xfrcApplied),
            ("mocapPos", state.mocapPos, mocapPos), ("mocapQuat", state.mocapQuat, mocapQuat),
            ("userdata", state.userdata, userdata), ("xpos", state.xpos, xpos), ("xipos", state.xipos, xipos),
        ]
        for (name, values, target) in fields where values.count != target.count {
            throw MuJoCoError.stateMismatch(field: name, expected: target.count, found: values.count)
        }
        resetData()
        time = state.time
        for (_, values, target) in fields where !values.isEmpty {
            _ = target.update(fromContentsOf: values)
        }
    }
}
