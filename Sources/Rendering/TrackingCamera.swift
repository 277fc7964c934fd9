/// Gymnasium v4's default camera for a task: the body whose subtree the camera follows, the
/// distance from it (metres), the initial look-at point (metres, world frame; MuJoCo then moves
/// it with the body) and the elevation (degrees, negative looks down). Azimuth is MuJoCo's
/// default (the model's `visual/global/azimuth`, 90°: looking along +y, the x axis to the right).
public struct TrackingCamera: Sendable, Equatable {
    /// Body index in the model (0 is the world).
    public var bodyIndex: Int
    /// Distance from the look-at point, metres.
    public var distance: Double
    /// Initial look-at point, metres.
    public var lookat: SIMD3<Double>
    /// Elevation in degrees, or nil for MuJoCo's default (the model's `visual/global/elevation`).
    public var elevation: Double?

    /// The configuration Gymnasium v4 uses for `task`. Gymnasium's config for HalfCheetah and
    /// Ant gives only a distance; here they track the torso (body 1) so the robot stays in view.
    public static func gymnasiumDefault(for task: String) -> TrackingCamera {
        switch task {
        case "Hopper-v4": return TrackingCamera(bodyIndex: 2, distance: 3.0, lookat: [0, 0, 1.15], elevation: -20)
        case "Walker2d-v4": return TrackingCamera(bodyIndex: 2, distance: 4.0, lookat: [0, 0, 1.15], elevation: -20)
        case "Humanoid-v4": return TrackingCamera(bodyIndex: 1, distance: 4.0, lookat: [0, 0, 2.0], elevation: -20)
        case "HumanoidStandup-v4":
            return TrackingCamera(bodyIndex: 1, distance: 4.0, lookat: [0, 0, 0.8925], elevation: -20)
        default: return TrackingCamera(bodyIndex: 1, distance: 4.0, lookat: [0, 0, 0], elevation: nil)
        }
    }
}
