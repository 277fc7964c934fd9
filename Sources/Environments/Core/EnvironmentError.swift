/// Errors of environment construction and use. Each names the value that was wrong.
public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
    case unknownTask(id: String, valid: [String])
    case actionLength(task: String, expected: Int, found: Int)
    case nonFiniteAction(task: String, index: Int, value: Double)
    case badVectorAction(environment: Int, EnvironmentErrorBox)
    case stepBeforeReset(task: String)
    case modelNotFound(file: String, searched: [String])
    case invalidOption(task: String, option: String, value: String, reason: String)
    case stateMismatch(task: String, field: String, expected: Int, found: Int)

    public var description: String {
        switch self {
        case let .unknownTask(id, valid):
            return "unknown task '\(id)'; valid tasks: \(valid.joined(separator: ", "))"
        case let .actionLength(task, expected, found):
            return "\(task): action has \(found) values, expected \(expected)"
        case let .nonFiniteAction(task, index, value):
            return "\(task): action[\(index)] is \(value); actions must be finite"
        case let .badVectorAction(environment, error):
            return "environment \(environment) of the vector: \(error.error)"
        case let .stepBeforeReset(task):
            return "\(task): step called before the first reset"
        case let .modelNotFound(file, searched):
            return
                "model file '\(file)' not found; looked in: \(searched.joined(separator: ", ")) "
                + "(set SPO_MODELS_DIR to the models/ folder)"
        case let .invalidOption(task, option, value, reason):
            return "\(task): option \(option) = \(value) is invalid: \(reason)"
        case let .stateMismatch(task, field, expected, found):
            return "\(task): state field '\(field)' has \(found) values, expected \(expected)"
        }
    }
}

/// An ``EnvironmentError`` nested in another (for errors of one environment of a vector).
public final class EnvironmentErrorBox: Equatable, Sendable {
    public let error: EnvironmentError
    public init(_ error: EnvironmentError) { self.error = error }
    public static func == (lhs: EnvironmentErrorBox, rhs: EnvironmentErrorBox) -> Bool { lhs.error == rhs.error }
}
