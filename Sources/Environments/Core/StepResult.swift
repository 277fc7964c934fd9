import MuJoCo

/// The full outcome of one step, with the observation as an array.
public struct StepResult: Sendable, Equatable {
    public var observation: [Double]
    public var reward: Double
    public var terminated: Bool
    public var truncated: Bool
    public var info: StepInfo
    public var warnings: PhysicsWarnings
}
