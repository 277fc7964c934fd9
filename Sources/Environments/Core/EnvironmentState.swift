import MuJoCo

/// A saved environment: task id, physics state and episode clock.
public struct EnvironmentState: Codable, Equatable, Sendable {
    public var task: String
    public var physics: PhysicsState
    public var episode: EpisodeClock
}
