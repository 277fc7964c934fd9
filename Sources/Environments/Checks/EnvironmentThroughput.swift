/// Measured throughput of one task, in environment steps per second of wall time.
public struct EnvironmentThroughput: Codable, Sendable {
    /// Registry id of the task.
    public var task: String
    /// The bare MuJoCo loop on one core: set ctrl, `mj_step` × frame skip; same actions, same resets.
    public var rawStepsPerSecond: Double
    /// The full task step on one core: the raw loop plus checks, reward, observation, info.
    public var environmentStepsPerSecond: Double
    /// `environmentStepsPerSecond / rawStepsPerSecond`.
    public var ratio: Double
    /// A ``VectorEnvironment`` of `vectorEnvironments` environments on `vectorWorkers` workers.
    public var vectorStepsPerSecond: Double
    /// `vectorStepsPerSecond / rawStepsPerSecond`: the parallel speed-up over the single-core raw loop.
    public var vectorOverRaw: Double
    public var vectorEnvironments: Int
    public var vectorWorkers: Int
    /// Environment steps timed per single-core measurement.
    public var steps: Int
    /// The MuJoCo library measured: `mj_versionString()` and the loaded file (``MuJoCoLibrary``).
    public var mujocoVersion: String
    public var mujocoLibrary: String?

    enum CodingKeys: String, CodingKey {
        case task, ratio, steps
        case mujocoVersion = "mujoco_version"
        case mujocoLibrary = "mujoco_library"
        case rawStepsPerSecond = "raw_steps_per_sec"
        case environmentStepsPerSecond = "env_steps_per_sec"
        case vectorStepsPerSecond = "vector_steps_per_sec"
        case vectorOverRaw = "vector_over_raw"
        case vectorEnvironments = "vector_envs"
        case vectorWorkers = "vector_workers"
    }
}
