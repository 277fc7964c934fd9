/// Errors of reading conformance input.
public enum ConformanceError: Error, CustomStringConvertible {
    case unsupportedSchema(path: String, version: Int)
    case unreadable(path: String, reason: String)
    case badActionType(episode: String, dtype: String)

    public var description: String {
        switch self {
        case let .unsupportedSchema(path, version):
            return "\(path): schema_version \(version) is not supported (expected 1)"
        case let .unreadable(path, reason):
            return "\(path): \(reason)"
        case let .badActionType(episode, dtype):
            return "episode \(episode): action_dtype '\(dtype)' is neither float32 nor float64"
        }
    }
}
