/// Every algorithm by name, each built from a training configuration and the agent it trains:
/// the first-order ones from their ``PolicyObjectives``, then the classic baselines.
public enum Algorithms {
    /// Builds an algorithm's rule from the configuration and the agent it will train.
    public typealias Constructor = @Sendable (TrainingConfiguration, ActorCritic<Float>) -> any UpdateRule
    public static let constructors: [(name: String, make: Constructor)] =
        PolicyObjectives.constructors.map(firstOrder) + baselines
    private static let baselines: [(name: String, make: Constructor)] = [
        ("trpo", { TRPOUpdate(configuration: $0, agent: $1) }),
        ("npg", { NaturalPolicyGradientUpdate(configuration: $0, agent: $1) }),
        ("a2c", { ActorCriticUpdate(agent: $1) }),
        ("reinforce", { REINFORCEUpdate(agent: $1) }),
    ]
    private static func firstOrder(
        _ entry: (name: String, make: @Sendable (TrainingConfiguration) -> any PolicyObjective)
    ) -> (name: String, make: Constructor) {
        let make = entry.make
        return (
            entry.name,
            { configuration, agent in
                FirstOrderUpdate(
                    objective: make(configuration), parameterCount: agent.parameters.count,
                    adaptiveLearningRate: configuration.adaptsLearningRate ? configuration.learningRate : nil)
            }
        )
    }
    public static var names: [String] { constructors.map(\.name) }
    /// The rule `name` for `agent` with `configuration`'s hyperparameters, or nil if unknown.
    public static func make(_ name: String, configuration: TrainingConfiguration, agent: ActorCritic<Float>) -> (
        any UpdateRule
    )? {
        constructors.first { $0.name == name }?.make(configuration, agent)
    }
}
