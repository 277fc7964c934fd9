/// Errors raised by the Swift MuJoCo layer. Each names what was wrong and where.
public enum MuJoCoError: Error, Equatable, CustomStringConvertible {
    /// `mj_loadXML` rejected the file; `message` is MuJoCo's own error text.
    case loadFailed(path: String, message: String)
    /// A physics state was recorded for a model of different sizes (field name, expected and found lengths).
    case stateMismatch(field: String, expected: Int, found: Int)
    /// A name that the model does not define (object kind such as "body", and the name).
    case unknownName(kind: String, name: String)

    public var description: String {
        switch self {
        case let .loadFailed(path, message):
            return "cannot load MuJoCo model '\(path)': \(message)"
        case let .stateMismatch(field, expected, found):
            return
                "physics state does not fit this model: field '\(field)' has \(found) values, "
                + "the model needs \(expected)"
        case let .unknownName(kind, name):
            return "the model has no \(kind) named '\(name)'"
        }
    }
}
