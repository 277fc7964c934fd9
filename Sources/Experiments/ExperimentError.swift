import Foundation

/// Errors of the experiment layer, each naming the file and what is wrong.
public enum ExperimentError: Error, CustomStringConvertible, Equatable {
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// A configuration file is invalid: every problem, each with its location.
    case invalidConfiguration(path: String, problems: [String])

    public var description: String {
        switch self {
        case let .io(path, reason): return "\(path): \(reason)"
        case let .invalidConfiguration(path, problems):
            return problems.map { "\(path):\($0)" }.joined(separator: "\n")
        }
    }
}
