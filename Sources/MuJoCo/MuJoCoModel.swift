import CMuJoCo
import Foundation

/// A compiled MuJoCo model (`mjModel`), loaded from an MJCF file and freed exactly once.
///
/// The model is immutable after loading, so one instance may be shared by many
/// ``Simulation``s stepped on different threads. Lengths are in MuJoCo's units:
/// metres, radians, seconds, kilograms.
public final class MuJoCoModel: @unchecked Sendable {
    /// The underlying C model. Valid for the lifetime of this object; never free it.
    public let pointer: UnsafeMutablePointer<mjModel>
    /// The file the model was loaded from.
    public let path: String

    /// `mj_loadXML` is not documented as thread-safe; loads are serialised.
    private static let loadLock = NSLock()

    /// Loads and compiles an MJCF file. Throws ``MuJoCoError/loadFailed(path:message:)``
    /// carrying MuJoCo's own message when the file is missing or malformed.
    public init(contentsOf path: String) throws {
        MuJoCoRuntime.installHandlers()
        let capacity = 1000
        var errorText = [CChar](repeating: 0, count: capacity)
        let loaded: UnsafeMutablePointer<mjModel>? = Self.loadLock.withLock {
            mj_loadXML(path, nil, &errorText, Int32(capacity))
        }
        guard let loaded else {
            let message = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw MuJoCoError.loadFailed(path: path, message: message.isEmpty ? "unknown error" : message)
        }
        self.pointer = loaded
        self.path = path
    }

    deinit { mj_deleteModel(pointer) }

    /// Number of generalised coordinates (length of qpos).
    public var nq: Int { Int(pointer.pointee.nq) }
    /// Number of degrees of freedom (length of qvel).
    public var nv: Int { Int(pointer.pointee.nv) }
    /// Number of actuators (length of ctrl).
    public var nu: Int { Int(pointer.pointee.nu) }
    /// Number of actuator activations (length of act).
    public var na: Int { Int(pointer.pointee.na) }
    /// Number of bodies, the world body 0 included.
    public var nbody: Int { Int(pointer.pointee.nbody) }
    /// Number of mocap bodies.
    public var nmocap: Int { Int(pointer.pointee.nmocap) }
    /// Length of the user data array.
    public var nuserdata: Int { Int(pointer.pointee.nuserdata) }
    /// Physics timestep of one `mj_step`, in seconds.
    public var timestep: Double { pointer.pointee.opt.timestep }

    /// Default joint positions (`qpos0`), length nq.
    public var defaultPositions: [Double] { Array(UnsafeBufferPointer(start: pointer.pointee.qpos0, count: nq)) }

    /// Control range of every actuator as (low, high), in control units.
    public var controlRanges: [(low: Double, high: Double)] {
        let range = UnsafeBufferPointer(start: pointer.pointee.actuator_ctrlrange, count: 2 * nu)
        return (0..<nu).map { (range[2 * $0], range[2 * $0 + 1]) }
    }

    /// Mass of every body in kilograms, length nbody.
    public var bodyMasses: [Double] { Array(UnsafeBufferPointer(start: pointer.pointee.body_mass, count: nbody)) }

    /// Index of the body with the given name.
    public func bodyIndex(named name: String) throws -> Int {
        let index = mj_name2id(pointer, Int32(mjOBJ_BODY.rawValue), name)
        guard index >= 0 else { throw MuJoCoError.unknownName(kind: "body", name: name) }
        return Int(index)
    }

    /// The version of the linked MuJoCo library, e.g. 222 for 2.2.2.
    public static var libraryVersion: Int { Int(mj_version()) }
}
