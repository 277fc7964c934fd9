import CMuJoCo
import Dispatch

/// One simulation instance: an `mjData` bound to a shared ``MuJoCoModel``, freed exactly once.
///
/// Field views are typed buffers into MuJoCo's own memory: writing to them changes
/// the simulation, and they stay valid as long as this object lives. Matrices are
/// row-major, one row per body (`xpos`: nbody × 3, `cinert`: nbody × 10, `cvel` and
/// `cfrcExt`: nbody × 6). A simulation is not thread-safe; use one per thread.
public final class Simulation {
    /// The model this simulation steps.
    public let model: MuJoCoModel
    /// The underlying C data. Valid for the lifetime of this object; never free it.
    public let data: UnsafeMutablePointer<mjData>

    /// Creates simulation data in MuJoCo's default state (qpos0, zero velocity, time 0).
    public init(model: MuJoCoModel) {
        self.model = model
        self.data = mj_makeData(model.pointer)
    }

    deinit { mj_deleteData(data) }

    private var m: UnsafeMutablePointer<mjModel> { model.pointer }

    private func view(_ pointer: UnsafeMutablePointer<mjtNum>?, _ count: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: count == 0 ? nil : pointer, count: count)
    }

    // MARK: State and controls

    /// Joint positions (nq): metres for slide and free-joint translation, radians for hinges, unit quaternions
    /// (w, x, y, z) for free joints.
    public var qpos: UnsafeMutableBufferPointer<Double> { view(data.pointee.qpos, model.nq) }
    /// Joint velocities (nv): m/s and rad/s.
    public var qvel: UnsafeMutableBufferPointer<Double> { view(data.pointee.qvel, model.nv) }
    /// Actuator activations (na).
    public var act: UnsafeMutableBufferPointer<Double> { view(data.pointee.act, model.na) }
    /// Actuator controls (nu), as set by the caller; MuJoCo clamps a copy to the control range.
    public var ctrl: UnsafeMutableBufferPointer<Double> { view(data.pointee.ctrl, model.nu) }
    /// The constraint solver's warm start (nv), in generalised accelerations.
    public var qaccWarmstart: UnsafeMutableBufferPointer<Double> { view(data.pointee.qacc_warmstart, model.nv) }
    /// Applied generalised forces (nv).
    public var qfrcApplied: UnsafeMutableBufferPointer<Double> { view(data.pointee.qfrc_applied, model.nv) }
    /// Applied Cartesian force and torque per body (nbody × 6).
    public var xfrcApplied: UnsafeMutableBufferPointer<Double> { view(data.pointee.xfrc_applied, 6 * model.nbody) }
    /// Mocap body positions (nmocap × 3).
    public var mocapPos: UnsafeMutableBufferPointer<Double> { view(data.pointee.mocap_pos, 3 * model.nmocap) }
    /// Mocap body orientations (nmocap × 4).
    public var mocapQuat: UnsafeMutableBufferPointer<Double> { view(data.pointee.mocap_quat, 4 * model.nmocap) }
    /// User data (nuserdata), untouched by MuJoCo.
    public var userdata: UnsafeMutableBufferPointer<Double> { view(data.pointee.userdata, model.nuserdata) }
    /// Simulation time in seconds.
    public var time: Double {
        get { data.pointee.time }
        set { data.pointee.time = newValue }
    }

    // MARK: Computed quantities (as left by the last MuJoCo call)

    /// Body frame positions in world coordinates (nbody × 3), metres.
    public var xpos: UnsafeMutableBufferPointer<Double> { view(data.pointee.xpos, 3 * model.nbody) }
    /// Body centre-of-mass positions in world coordinates (nbody × 3), metres.
    public var xipos: UnsafeMutableBufferPointer<Double> { view(data.pointee.xipos, 3 * model.nbody) }
    /// Body inertia in the centre-of-mass frame (nbody × 10).
    public var cinert: UnsafeMutableBufferPointer<Double> { view(data.pointee.cinert, 10 * model.nbody) }
    /// Body velocities in the centre-of-mass frame (nbody × 6): angular then linear.
    public var cvel: UnsafeMutableBufferPointer<Double> { view(data.pointee.cvel, 6 * model.nbody) }
    /// Actuator forces in generalised coordinates (nv).
    public var qfrcActuator: UnsafeMutableBufferPointer<Double> { view(data.pointee.qfrc_actuator, model.nv) }
    /// External contact forces per body in the centre-of-mass frame (nbody × 6); filled by ``rnePostConstraint()``.
    public var cfrcExt: UnsafeMutableBufferPointer<Double> { view(data.pointee.cfrc_ext, 6 * model.nbody) }

    // MARK: Stepping

    /// `mj_resetData`: every field back to the model defaults, warm start and warnings cleared.
    public func resetData() { timed { mj_resetData(m, data) } }
    /// `mj_forward`: recomputes every derived quantity from the state, without integrating.
    public func forward() { timed { mj_forward(m, data) } }
    /// `mj_step`: advances by one physics timestep.
    public func step() { timed { mj_step(m, data) } }
    /// `mj_step` repeated `count` times.
    public func step(count: Int) { timed { for _ in 0..<count { mj_step(m, data) } } }
    /// `mj_rnePostConstraint`: fills `cacc`, `cfrc_int` and `cfrc_ext` without changing the state.
    public func rnePostConstraint() { timed { mj_rnePostConstraint(m, data) } }

    // MARK: Time spent in MuJoCo

    /// Wall seconds this simulation has spent inside the MuJoCo calls above since it was created:
    /// the physics' own cost, which no change outside MuJoCo can reduce.
    public var physicsSeconds: Double { Double(physicsNanoseconds) * 1e-9 }
    private var physicsNanoseconds: UInt64 = 0

    /// Runs `body` and adds its duration to ``physicsSeconds`` (two clock reads, tens of
    /// nanoseconds, against tens of microseconds per step).
    private func timed(_ body: () -> Void) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        physicsNanoseconds &+= DispatchTime.now().uptimeNanoseconds - start
    }

    // MARK: Warnings

    /// Per-warning occurrence counters, to be compared with ``warnings(since:)``.
    public struct WarningCounts: Equatable, Sendable {
        fileprivate var counts: [Int32]
    }

    /// The current warning counters (cleared by ``resetData()``).
    public var warningCounts: WarningCounts {
        withUnsafeBytes(of: data.pointee.warning) { raw in
            let stats = raw.bindMemory(to: mjWarningStat.self)
            return WarningCounts(counts: stats.map(\.number))
        }
    }

    /// The warnings raised since `earlier` was read.
    public func warnings(since earlier: WarningCounts) -> PhysicsWarnings {
        let now = warningCounts.counts
        var raised = PhysicsWarnings()
        for index in now.indices where now[index] != earlier.counts[index] {
            raised.insert(PhysicsWarnings(rawValue: 1 << UInt32(index)))
        }
        return raised
    }

    /// Whether a warning count is currently non-zero.
    public func hasWarned(_ warnings: PhysicsWarnings) -> Bool {
        warningCounts.counts.indices.contains { index in
            warnings.contains(PhysicsWarnings(rawValue: 1 << UInt32(index))) && warningCounts.counts[index] != 0
        }
    }
}
