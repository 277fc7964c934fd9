import Environments

/// The complete state of a ``Trainer`` between two updates: networks, the update rule's state
/// (``UpdateRuleState``: its optimiser and its objective's adaptive state), the trainer's random
/// generator, every environment's wrapper statistics, physics state, episode clock and reset
/// generator, and the current (wrapped) observations. Restoring it continues the run
/// bit-identically.
public struct TrainerCheckpoint: Codable, Sendable {
    public var configuration: TrainingConfiguration
    /// Updates completed and environment steps taken (across all environments).
    public var update: Int
    public var globalStep: Int
    /// Float32 parameters, laid out as in ``SavedAgent``.
    public var parameters: PackedArray<Float>
    /// The update rule's state (``UpdateRuleState``): its Adam optimiser and objective state.
    public var optimizer: Adam<Float>
    public var objectiveState: [Double]
    /// The learning rate adapted to the KL so far (nil when it does not adapt).
    public var adaptiveLearningRate: Double?
    public var random: RandomGenerator
    public var wrappers: [TrainingWrappers]
    public var environments: [EnvironmentState]
    /// The wrapped observations the next rollout starts from, environment by environment.
    public var observations: [Double]
    /// Wall-clock seconds spent training so far (bookkeeping for the caller; not restored).
    public var trainingSeconds: Double = 0
}
