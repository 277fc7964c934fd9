import MuJoCo

/// The scalar outcome of one step; the observation is written to a caller's buffer.
public struct Transition: Sendable, Equatable {
    /// The step's reward.
    public var reward: Double
    /// The task reached a terminal state (fell over, left the healthy range).
    public var terminated: Bool
    /// The episode reached ``EnvironmentSpec/maxEpisodeSteps`` (independent of `terminated`).
    public var truncated: Bool
    /// The step's info values.
    public var info: StepInfo
    /// MuJoCo warnings raised during the step. `PhysicsWarnings.stateReset` members mean
    /// MuJoCo found the physics diverging and reset the state inside the step, as in
    /// Gymnasium; the step is otherwise reported as Gymnasium would.
    public var warnings: PhysicsWarnings
}
