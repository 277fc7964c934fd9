/// The first-order algorithms' objectives by name, each built from a training configuration (its
/// hyperparameters, and per-task defaults where the authors give them). A new first-order
/// algorithm is one objective type plus one line here; ``Algorithms`` lists every algorithm.
public enum PolicyObjectives {
    public static let constructors: [(name: String, make: @Sendable (TrainingConfiguration) -> any PolicyObjective)] = [
        ("spo", { SPOObjective(epsilon: $0.epsilon) }),
        ("ppo", { PPOClipObjective(epsilon: $0.epsilon) }),
        ("ppo-penalty", { PPOPenaltyObjective(klTarget: $0.klLimit) }),
        ("ppo-earlystop", { PPOEarlyStopObjective(epsilon: $0.epsilon, klThreshold: $0.klLimit) }),
        ("spo-kl", { SPOKLObjective(maxKL: $0.klLimit) }),
        ("ppo-rb", { PPORollbackObjective(configuration: $0) }),
        ("tr-ppo", { TRPPOObjective(configuration: $0) }),
        ("tr-ppo-rb", { TRPPORollbackObjective(configuration: $0) }),
        ("truly-ppo", { TrulyPPOObjective(configuration: $0) }),
    ]
    public static var names: [String] { constructors.map(\.name) }
    /// The objective `name` with `configuration`'s hyperparameters (defaults when omitted).
    public static func make(_ name: String, configuration: TrainingConfiguration = TrainingConfiguration()) -> (
        any PolicyObjective
    )? {
        constructors.first { $0.name == name }?.make(configuration)
    }
}
