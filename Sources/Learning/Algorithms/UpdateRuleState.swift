/// What a rule carries from one update to the next, for checkpoints.
public struct UpdateRuleState: Codable, Sendable {
    /// The rule's Adam optimiser: over all parameters for the first-order rules, `a2c` and
    /// `reinforce`; over the critic's parameters only for `trpo` and `npg`.
    public var optimizer: Adam<Float>
    /// The objective's adaptive state (PPO-Penalty's β); empty for the others.
    public var objectiveState: [Double]
    /// The learning rate as adapted so far when it adapts to the KL; nil otherwise.
    public var adaptiveLearningRate: Double?

    public init(optimizer: Adam<Float>, objectiveState: [Double] = [], adaptiveLearningRate: Double? = nil) {
        self.optimizer = optimizer
        self.objectiveState = objectiveState
        self.adaptiveLearningRate = adaptiveLearningRate
    }
}
