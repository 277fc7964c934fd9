import CMuJoCo
import MuJoCo

/// Which camera a rendering looks through.
public enum CameraChoice: Sendable, Equatable {
    /// MuJoCo's tracking camera set up as Gymnasium v4's `DEFAULT_CAMERA_CONFIG` for the task:
    /// it follows the centre of mass of the tracked body's subtree (see ``TrackingCamera``).
    case tracking
    /// MuJoCo's free camera at the model's default view (`mjv_defaultFreeCamera`); does not move.
    case free
    /// A camera defined in the MJCF file, by name (every task's model has `track`).
    case named(String)

    /// Parses `tracking`, `free` or an MJCF camera name.
    public init(argument: String) {
        switch argument {
        case "tracking": self = .tracking
        case "free": self = .free
        default: self = .named(argument)
        }
    }
}

extension CameraChoice {
    /// Sets `camera` up for this choice on `model` (of task `task`); throws for an unknown name.
    func configure(_ camera: UnsafeMutablePointer<mjvCamera>, model: MuJoCoModel, task: String) throws {
        mjv_defaultFreeCamera(model.pointer, camera)
        switch self {
        case .free:
            break
        case .tracking:
            let setting = TrackingCamera.gymnasiumDefault(for: task)
            camera.pointee.type = Int32(mjCAMERA_TRACKING.rawValue)
            camera.pointee.trackbodyid = Int32(setting.bodyIndex)
            camera.pointee.distance = setting.distance
            camera.pointee.lookat = (setting.lookat.x, setting.lookat.y, setting.lookat.z)
            if let elevation = setting.elevation { camera.pointee.elevation = elevation }
        case let .named(name):
            let index = mj_name2id(model.pointer, Int32(mjOBJ_CAMERA.rawValue), name)
            guard index >= 0 else {
                throw RenderingError.unknownCamera(
                    name: name, task: task, valid: ["tracking", "free"] + Self.cameraNames(model))
            }
            camera.pointee.type = Int32(mjCAMERA_FIXED.rawValue)
            camera.pointee.fixedcamid = index
        }
    }

    /// Names of the model's MJCF cameras (unnamed ones left out).
    static func cameraNames(_ model: MuJoCoModel) -> [String] {
        (0..<Int(model.pointer.pointee.ncam)).compactMap { index in
            mj_id2name(model.pointer, Int32(mjOBJ_CAMERA.rawValue), Int32(index)).map { String(cString: $0) }
        }
    }
}
