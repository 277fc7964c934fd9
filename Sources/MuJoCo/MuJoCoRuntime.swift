import CMuJoCo

/// Process-wide MuJoCo settings, installed once before the first model loads
/// (see `spo_mujoco_install_handlers` in the C shim): warnings are read per
/// simulation through ``PhysicsWarnings`` instead of being printed.
enum MuJoCoRuntime {
    private static let installed: Void = spo_mujoco_install_handlers()
    static func installHandlers() { _ = installed }
}
