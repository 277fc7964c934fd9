import Environments
import Foundation
import Learning

/// A uniformly random policy's episodic return on a task: the default `low` of the score
/// normalisation. Measured on the raw environment (no wrappers) from the registry, with actions
/// drawn uniformly in the action space's box, episodes truncated at the task's 1000 steps as in
/// Gymnasium, and cached in a JSON file so that each (task, episodes, seed) is measured once.
public enum RandomPolicyBaseline {
    /// One measurement: the task, how it was measured, and the returns it gave.
    public struct Measurement: Codable, Equatable, Sendable {
        /// Gymnasium task id, e.g. "Hopper-v4".
        public var task: String
        /// Number of episodes measured.
        public var episodes: Int
        /// Seed of the action generator and of the first reset.
        public var seed: UInt64
        /// Mean episodic return (raw reward) over the episodes.
        public var meanReturn: Double
        /// Standard deviation (population) of the episodic returns.
        public var standardDeviation: Double
        /// Mean episode length, in environment steps.
        public var meanLength: Double
        /// Every episode's return, in order.
        public var returns: [Double]
    }

    /// The cache file's content: format tag, version and the measurements, sorted by task,
    /// episodes and seed.
    struct CacheFile: Codable {
        var format = "spo-random-baselines"
        var version = 1
        var measurements: [Measurement]
    }

    /// The default number of episodes per measurement.
    public static let defaultEpisodes = 10

    /// Measures `episodes` episodes of the uniformly random policy on `task`. The environment is
    /// reset with `seed` before the first episode and continues its stream after; actions come
    /// from `RandomGenerator(seed: seed)`, each component uniform in [low, high) of its bound.
    public static func measure(task: String, episodes: Int = defaultEpisodes, seed: UInt64 = 0) throws -> Measurement {
        guard episodes >= 1 else {
            throw StatisticsError.invalidOption("a random-policy baseline needs at least 1 episode, got \(episodes)")
        }
        let environment = try EnvironmentRegistry.make(task)
        var random = RandomGenerator(seed: seed)
        var returns: [Double] = []
        var lengths: [Double] = []
        for episode in 0..<episodes {
            environment.reset(seed: episode == 0 ? seed : nil)
            var total = 0.0
            var length = 0
            while true {
                let action = uniformActions(environment.spec, count: 1, random: &random)
                let step = try environment.step(action)
                total += step.reward
                length += 1
                if step.terminated || step.truncated { break }
            }
            returns.append(total)
            lengths.append(Double(length))
        }
        let (mean, deviation) = populationMeanAndDeviation(returns)
        return Measurement(
            task: task, episodes: episodes, seed: seed, meanReturn: mean,
            standardDeviation: deviation, meanLength: AggregateStatistics.mean(lengths), returns: returns
        )
    }

    /// The measurement for (`task`, `episodes`, `seed`) from the JSON cache at `cacheFile` when
    /// present; otherwise measured with `measure` and added to the cache (written atomically,
    /// other entries kept). A missing cache file is created; an unreadable one is an error.
    public static func cached(
        task: String, episodes: Int = defaultEpisodes, seed: UInt64 = 0, cacheFile: URL,
        measure: (String, Int, UInt64) throws -> Measurement = {
            try RandomPolicyBaseline.measure(task: $0, episodes: $1, seed: $2)
        }
    ) throws -> Measurement {
        var cache = CacheFile(measurements: [])
        if FileManager.default.fileExists(atPath: cacheFile.path) {
            do {
                cache = CacheFile(
                    measurements: try decodeCache(
                        SavedFile.contents(of: cacheFile, limit: Limits.smallFileBytes), path: cacheFile.path))
            } catch let error as SavedFileError {
                throw ExperimentError.io(path: cacheFile.path, reason: error.reason)
            }
            if let hit = cache.measurements.first(where: {
                $0.task == task && $0.episodes == episodes && $0.seed == seed
            }) {
                return hit
            }
        }
        let measurement = try measure(task, episodes, seed)
        cache.measurements.append(measurement)
        cache.measurements.sort { ($0.task, $0.episodes, $0.seed) < ($1.task, $1.episodes, $1.seed) }
        try AtomicFile.write(try JSONEncoder.pretty.encode(cache), to: cacheFile)
        return measurement
    }

    /// The measurements of a cache file's bytes; `path` names it in errors, which name the field.
    public static func decodeCache(_ data: Data, path: String) throws -> [Measurement] {
        let cache: CacheFile
        do { cache = try JSONDecoder().decode(CacheFile.self, from: data) } catch {
            throw ExperimentError.io(path: path, reason: "not a random-baseline cache: \(SavedFile.describe(error))")
        }
        guard cache.format == "spo-random-baselines", cache.version == 1 else {
            throw ExperimentError.io(
                path: path,
                reason: "format \(cache.format) version \(cache.version) is not spo-random-baselines version 1")
        }
        for (index, measurement) in cache.measurements.enumerated()
        where !measurement.meanReturn.isFinite || measurement.episodes < 1 {
            throw ExperimentError.io(
                path: path,
                reason:
                    "measurements[\(index)]: needs a finite meanReturn and at least 1 episode, "
                    + "got \(measurement.meanReturn) over \(measurement.episodes)"
            )
        }
        return cache.measurements
    }

    /// Normalisation bounds for `tasks`: `low` is the cached random-policy mean return and
    /// `high` the papers' best return (``PublishedResults/bestReturn(task:)``), unless
    /// `overrides` gives either for the task. Measures only the `low`s not overridden. Throws
    /// when a task has no override for `high` and the papers do not cover it.
    public static func defaultBounds(
        tasks: [String], overrides: [String: NormalizationOverride] = [:], cacheFile: URL,
        episodes: Int = defaultEpisodes, seed: UInt64 = 0
    ) throws -> [String: NormalizationBounds] {
        var bounds: [String: NormalizationBounds] = [:]
        for task in tasks {
            guard let high = overrides[task]?.high ?? PublishedResults.bestReturn(task: task) else {
                throw StatisticsError.missingNormalization(tasks: [task])
            }
            let low =
                try overrides[task]?.low
                ?? cached(task: task, episodes: episodes, seed: seed, cacheFile: cacheFile).meanReturn
            bounds[task] = NormalizationBounds(low: low, high: high)
        }
        return bounds
    }
}
