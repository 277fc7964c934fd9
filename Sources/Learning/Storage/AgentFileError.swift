/// Errors of agent files.
public enum AgentFileError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read agent '\(path)': \(reason)"
        }
    }
}
