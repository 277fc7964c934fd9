import Foundation
import Learning

/// A per-task replacement of the default normalisation bounds; either end may be left out to
/// keep its default. Read from JSON such as `{"Hopper-v4": {"low": 0, "high": 3000}}`.
public struct NormalizationOverride: Codable, Equatable, Sendable {
    /// The raw return that normalises to 0, or nil for the random policy's mean return.
    public var low: Double?
    /// The raw return that normalises to 1, or nil for the papers' best return.
    public var high: Double?

    public init(low: Double? = nil, high: Double? = nil) {
        self.low = low
        self.high = high
    }

    /// Reads a JSON object mapping task ids to overrides from `url` (at most ``Limits/smallFileBytes``).
    public static func load(from url: URL) throws -> [String: NormalizationOverride] {
        let data: Data
        do { data = try SavedFile.contents(of: url, limit: Limits.smallFileBytes) } catch let error as SavedFileError {
            throw ExperimentError.io(path: url.path, reason: "cannot read the normalisation file: \(error.reason)")
        }
        return try decode(data, path: url.path)
    }

    /// The overrides in a normalisation file's bytes; `path` names it in errors. Every bound
    /// must be finite and, where both are given, `high` above `low`.
    public static func decode(_ data: Data, path: String) throws -> [String: NormalizationOverride] {
        let overrides: [String: NormalizationOverride]
        do { overrides = try JSONDecoder().decode([String: NormalizationOverride].self, from: data) } catch {
            throw ExperimentError.invalidConfiguration(
                path: path,
                problems: [
                    " expected a JSON object of task id → {\"low\": number, \"high\": number} "
                        + "(either optional): \(SavedFile.describe(error))"
                ]
            )
        }
        for (task, bounds) in overrides.sorted(by: { $0.key < $1.key }) {
            for (name, value) in [("low", bounds.low), ("high", bounds.high)] {
                if let value, !value.isFinite {
                    throw ExperimentError.invalidConfiguration(
                        path: path, problems: [" \(task).\(name): must be finite, got \(value)"])
                }
            }
            if let low = bounds.low, let high = bounds.high, !(high > low) {
                throw ExperimentError.invalidConfiguration(
                    path: path, problems: [" \(task).high: must be above low (\(low)), got \(high)"])
            }
        }
        return overrides
    }
}
