import CMuJoCo

/// The MuJoCo warnings raised during some stretch of simulation (read from `mjData.warning`).
///
/// `badPosition`, `badVelocity` and `badAcceleration` mean MuJoCo found a NaN or a
/// value beyond 1e10 and reset the state to the model defaults inside `mj_step`;
/// `badControl` means a non-finite control was replaced by zero for that step.
public struct PhysicsWarnings: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let inertia = PhysicsWarnings(rawValue: 1 << mjWARN_INERTIA.rawValue)
    public static let contactBufferFull = PhysicsWarnings(rawValue: 1 << mjWARN_CONTACTFULL.rawValue)
    public static let constraintBufferFull = PhysicsWarnings(rawValue: 1 << mjWARN_CNSTRFULL.rawValue)
    public static let visualGeometryFull = PhysicsWarnings(rawValue: 1 << mjWARN_VGEOMFULL.rawValue)
    public static let badPosition = PhysicsWarnings(rawValue: 1 << mjWARN_BADQPOS.rawValue)
    public static let badVelocity = PhysicsWarnings(rawValue: 1 << mjWARN_BADQVEL.rawValue)
    public static let badAcceleration = PhysicsWarnings(rawValue: 1 << mjWARN_BADQACC.rawValue)
    public static let badControl = PhysicsWarnings(rawValue: 1 << mjWARN_BADCTRL.rawValue)

    /// Warnings after which MuJoCo silently reset the simulation state.
    public static let stateReset: PhysicsWarnings = [.badPosition, .badVelocity, .badAcceleration]

    private static let names: [(PhysicsWarnings, String)] = [
        (.inertia, "inertia"), (.contactBufferFull, "contact buffer full"),
        (.constraintBufferFull, "constraint buffer full"), (.visualGeometryFull, "visual geometry buffer full"),
        (.badPosition, "bad qpos (state reset)"), (.badVelocity, "bad qvel (state reset)"),
        (.badAcceleration, "bad qacc (state reset)"), (.badControl, "bad ctrl (zeroed)"),
    ]

    public var description: String {
        let present = Self.names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "none" : present.joined(separator: ", ")
    }
}
