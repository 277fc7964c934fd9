import Environments

/// Simple policies for inspecting a task before training.
public enum InspectionPolicy: String, Sendable, CaseIterable {
    /// Actions drawn uniformly inside the action bounds.
    case random
    /// The zero action.
    case zero

    /// The action function for `spec`, seeded with `seed` (random only).
    public func actionFunction(spec: EnvironmentSpec, seed: UInt64) -> ActionFunction {
        switch self {
        case .zero:
            let zero = [Float](repeating: 0, count: spec.actionSize)
            return { _ in zero }
        case .random:
            var random = RandomGenerator(seed: seed)
            return { _ in uniformActions(spec, count: 1, random: &random) }
        }
    }
}
