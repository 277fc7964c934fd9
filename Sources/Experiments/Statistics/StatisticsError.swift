import Foundation

/// Why an aggregate statistic cannot be computed, saying exactly what is missing.
public enum StatisticsError: Error, CustomStringConvertible, Equatable {
    /// No algorithm, or an algorithm without any task with runs.
    case noScores(algorithm: String?)
    /// A statistic needs at least `required` runs on every task; `found` lists each task that
    /// has fewer, with its number of runs.
    case tooFewRuns(algorithm: String, statistic: String, required: Int, found: [String: Int])
    /// Tasks with scores but without normalisation bounds.
    case missingNormalization(tasks: [String])
    /// Bounds that cannot normalise: `high` must be finite and greater than the finite `low`.
    case invalidNormalization(task: String, low: Double, high: Double)
    /// A score that is NaN or infinite.
    case nonFiniteScore(algorithm: String, task: String, value: Double)
    /// An option out of its range (number of resamples, confidence level, thresholds).
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .noScores(algorithm?): return "\(algorithm): no runs with scores on any task"
        case .noScores(nil): return "no algorithms with scores to aggregate"
        case let .tooFewRuns(algorithm, statistic, required, found):
            let tasks = found.sorted { $0.key < $1.key }.map { "\($0.key) has \($0.value)" }.joined(separator: ", ")
            return "\(algorithm): \(statistic) needs at least \(required) runs per task; \(tasks)"
        case let .missingNormalization(tasks):
            return "no normalisation bounds (low, high) for \(tasks.joined(separator: ", "))"
        case let .invalidNormalization(task, low, high):
            return "\(task): normalisation needs finite low < high, got low \(low), high \(high)"
        case let .nonFiniteScore(algorithm, task, value):
            return "\(algorithm): \(task) has a non-finite score (\(value))"
        case let .invalidOption(message): return message
        }
    }
}
