/// Errors of setting up a training run.
public enum TrainingError: Error, CustomStringConvertible {
    case invalidConfiguration([String])
    /// A checkpoint that does not fit its own configuration (says why).
    case invalidCheckpoint(String)
    public var description: String {
        switch self {
        case let .invalidConfiguration(problems):
            return "invalid training settings: " + problems.joined(separator: "; ")
        case let .invalidCheckpoint(reason): return "invalid checkpoint: " + reason
        }
    }
}
