import Environments
import Foundation

// Aggregate statistics across tasks, following Agarwal et al. 2021 ("Deep RL at the edge of the
// statistical precipice", the rliable library): normalised scores, median, interquartile mean,
// mean and optimality gap with stratified bootstrap confidence intervals, and performance
// profiles. Protocol: docs/algorithms.md#aggregate-statistics.

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

/// The bounds that map a task's raw return to a normalised score `(score − low) / (high − low)`:
/// `low` scores 0 (by default a random policy's mean return), `high` scores 1 (by default the
/// best return in the papers' tables). Both in raw episodic return.
public struct NormalizationBounds: Codable, Equatable, Sendable {
    /// The raw return that normalises to 0.
    public var low: Double
    /// The raw return that normalises to 1.
    public var high: Double

    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    /// `(score − low) / (high − low)`.
    public func normalize(_ score: Double) -> Double { (score - low) / (high - low) }
}

/// One algorithm's (or algorithm-and-network's) scores: per task id, one score per seed.
/// Raw returns before normalisation, normalised scores after.
public struct AlgorithmScores: Equatable, Sendable {
    /// The label shown in tables and figures, e.g. "spo 7-layer".
    public var label: String
    /// Per task id ("Hopper-v4"), the per-seed scores.
    public var scores: [String: [Double]]

    public init(label: String, scores: [String: [Double]]) {
        self.label = label
        self.scores = scores
    }
}

/// Options of the stratified bootstrap: how many resamples, the seed of the project's
/// xoshiro256** generator (the same seed gives the same intervals), and the interval's coverage.
public struct BootstrapOptions: Codable, Equatable, Sendable {
    /// Number of bootstrap resamples (rliable uses 50,000 for intervals, 2,000 for profiles).
    public var resamples: Int
    /// Seed of the resampling generator; each algorithm's resampling starts from it.
    public var seed: UInt64
    /// Coverage of the percentile interval, in (0, 1); 0.95 gives the 2.5th and 97.5th percentiles.
    public var confidence: Double

    public init(resamples: Int = 10_000, seed: UInt64 = 0, confidence: Double = 0.95) {
        self.resamples = resamples
        self.seed = seed
        self.confidence = confidence
    }

    func validate() throws {
        guard resamples >= 1 else {
            throw StatisticsError.invalidOption(
                "the number of bootstrap resamples must be at least 1, got \(resamples)")
        }
        guard confidence > 0, confidence < 1 else {
            throw StatisticsError.invalidOption("the confidence level must be in (0, 1), got \(confidence)")
        }
    }
}

/// A point estimate with its confidence interval, in normalised-score units.
public struct IntervalEstimate: Codable, Equatable, Sendable {
    /// The statistic on the observed runs.
    public var point: Double
    /// Lower end of the percentile bootstrap interval.
    public var lower: Double
    /// Upper end of the percentile bootstrap interval.
    public var upper: Double

    public init(point: Double, lower: Double, upper: Double) {
        self.point = point
        self.lower = lower
        self.upper = upper
    }
}

/// The four aggregate statistics of normalised scores, as rliable defines them. With `scores`
/// the runs of each task:
/// - `median`: the median over tasks of each task's mean score;
/// - `iqm`: the interquartile mean of all runs pooled over tasks and seeds (SciPy's
///   `trim_mean(…, 0.25)`: drops `⌊n/4⌋` runs from each end of the n sorted runs, so for n not
///   a multiple of 4 slightly more than half the runs remain; for n < 4 it is the plain mean);
/// - `mean`: the mean over tasks of each task's mean score;
/// - `optimalityGap`: `mean(max(0, 1 − score))` over all runs pooled (γ = 1; lower is better).
public enum AggregateMetric: String, CaseIterable, Codable, Sendable {
    case median, iqm, mean, optimalityGap

    /// The name used in tables and figures.
    public var title: String {
        switch self {
        case .median: return "Median"
        case .iqm: return "IQM"
        case .mean: return "Mean"
        case .optimalityGap: return "Optimality Gap"
        }
    }

    /// The statistic of per-task normalised scores (each inner array one task's runs, none empty).
    public func evaluate(_ tasks: [[Double]]) -> Double {
        switch self {
        case .median: return AggregateStatistics.median(tasks.map(AggregateStatistics.mean))
        case .mean: return AggregateStatistics.mean(tasks.map(AggregateStatistics.mean))
        case .iqm: return AggregateStatistics.interquartileMean(tasks.flatMap { $0 })
        case .optimalityGap: return AggregateStatistics.mean(tasks.flatMap { $0 }.map { max(0, 1 - $0) })
        }
    }
}

/// A performance profile: at each threshold τ, the fraction of all runs (pooled over tasks and
/// seeds) whose normalised score exceeds τ, with its pointwise percentile bootstrap band.
public struct PerformanceProfile: Codable, Equatable, Sendable {
    /// The thresholds τ, ascending, in normalised-score units.
    public var thresholds: [Double]
    /// The fraction of runs with score > τ, in [0, 1], one per threshold.
    public var fractions: [Double]
    /// Lower end of the bootstrap band, one per threshold.
    public var lower: [Double]
    /// Upper end of the bootstrap band, one per threshold.
    public var upper: [Double]
}

/// The statistics' building blocks and the stratified bootstrap.
public enum AggregateStatistics {
    /// The arithmetic mean (NaN for no values).
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    /// The median (the mean of the two middle values for an even count; NaN for no values).
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The interquartile mean as SciPy's `trim_mean(values, 0.25)`: the mean of the sorted values
    /// after dropping `⌊n/4⌋` from each end (NaN for no values).
    public static func interquartileMean(_ values: [Double]) -> Double {
        trimmedMeanOfSorted(values.sorted())
    }

    static func trimmedMeanOfSorted(_ sorted: [Double]) -> Double {
        let cut = sorted.count / 4
        return mean(Array(sorted[cut..<(sorted.count - cut)]))
    }

    /// The `q`-th quantile (q in [0, 1]) of ascending `sorted` values with NumPy's default
    /// linear interpolation between order statistics.
    public static func percentile(sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        let fraction = position - Double(below)
        return sorted[below] + (sorted[above] - sorted[below]) * fraction
    }

    /// Normalises every score of `scores` with its task's bounds. Throws when a task has no
    /// bounds, the bounds are not finite with low < high, or a score is not finite.
    public static func normalize(_ scores: AlgorithmScores, bounds: [String: NormalizationBounds]) throws
        -> AlgorithmScores
    {
        let missing = scores.scores.keys.filter { bounds[$0] == nil }.sorted()
        guard missing.isEmpty else { throw StatisticsError.missingNormalization(tasks: missing) }
        var normalized = AlgorithmScores(label: scores.label, scores: [:])
        for (task, values) in scores.scores.sorted(by: { $0.key < $1.key }) {
            let bound = bounds[task]!
            guard bound.low.isFinite, bound.high.isFinite, bound.high > bound.low else {
                throw StatisticsError.invalidNormalization(task: task, low: bound.low, high: bound.high)
            }
            if let bad = values.first(where: { !$0.isFinite }) {
                throw StatisticsError.nonFiniteScore(algorithm: scores.label, task: task, value: bad)
            }
            normalized.scores[task] = values.map(bound.normalize)
        }
        return normalized
    }

    /// The runs of each task in task-id order, after checking that there is at least one task,
    /// every score is finite and every task has at least `minimumRuns` runs (else the error
    /// names `statistic` and each task short of runs).
    static func stratified(_ scores: AlgorithmScores, minimumRuns: Int, statistic: String) throws -> [[Double]] {
        guard !scores.scores.isEmpty else { throw StatisticsError.noScores(algorithm: scores.label) }
        let short = scores.scores.filter { $0.value.count < minimumRuns }.mapValues(\.count)
        guard short.isEmpty else {
            throw StatisticsError.tooFewRuns(
                algorithm: scores.label, statistic: statistic, required: minimumRuns, found: short)
        }
        for (task, values) in scores.scores.sorted(by: { $0.key < $1.key }) {
            if let bad = values.first(where: { !$0.isFinite }) {
                throw StatisticsError.nonFiniteScore(algorithm: scores.label, task: task, value: bad)
            }
        }
        return scores.scores.sorted { $0.key < $1.key }.map(\.value)
    }

    /// `metric` on normalised scores, without an interval. Needs at least one run per task.
    public static func pointEstimate(_ metric: AggregateMetric, normalized: AlgorithmScores) throws -> Double {
        metric.evaluate(try stratified(normalized, minimumRuns: 1, statistic: "the \(metric.title)"))
    }

    /// The fraction of all runs (pooled over tasks) with score > τ, for each τ of `thresholds`.
    /// Needs at least one run per task.
    public static func profile(normalized: AlgorithmScores, thresholds: [Double]) throws -> [Double] {
        profileFractions(
            pooledSorted: try stratified(normalized, minimumRuns: 1, statistic: "a performance profile").flatMap { $0 }
                .sorted(), thresholds: thresholds)
    }

    static func profileFractions(pooledSorted: [Double], thresholds: [Double]) -> [Double] {
        let count = Double(pooledSorted.count)
        return thresholds.map { tau in
            // Index of the first value > τ by binary search.
            var low = 0, high = pooledSorted.count
            while low < high {
                let middle = (low + high) / 2
                if pooledSorted[middle] > tau { high = middle } else { low = middle + 1 }
            }
            return Double(pooledSorted.count - low) / count
        }
    }

    /// The four statistics with stratified bootstrap percentile intervals, and the performance
    /// profile at `thresholds` with its bootstrap band, from the same resamples.
    ///
    /// Each resample draws, independently for every task, as many runs as the task has, with
    /// replacement from that task's runs (tasks are never resampled); the interval is the
    /// percentile interval of the resampled statistics (NumPy's linear interpolation). The
    /// resampling generator is `RandomGenerator(seed: options.seed)`, tasks in id order, so the
    /// same scores and options give the same intervals. Needs at least 2 runs on every task.
    public static func bootstrap(
        normalized: AlgorithmScores, thresholds: [Double], options: BootstrapOptions
    ) throws -> (estimates: [AggregateMetric: IntervalEstimate], profile: PerformanceProfile) {
        try options.validate()
        guard zip(thresholds, thresholds.dropFirst()).allSatisfy({ $0 < $1 }), thresholds.allSatisfy(\.isFinite) else {
            throw StatisticsError.invalidOption(
                "the performance profile's thresholds must be finite and strictly increasing")
        }
        let percent = String(format: "%g", options.confidence * 100)
        let tasks = try stratified(normalized, minimumRuns: 2, statistic: "a \(percent)% stratified bootstrap interval")
        let metrics = AggregateMetric.allCases
        var samples = metrics.map { _ in [Double](repeating: 0, count: options.resamples) }
        var profileSamples = thresholds.map { _ in [Double](repeating: 0, count: options.resamples) }
        var random = RandomGenerator(seed: options.seed)
        var resample = tasks
        for r in 0..<options.resamples {
            for (t, runs) in tasks.enumerated() {
                for i in runs.indices {
                    // Lemire's multiply-high: a uniform index in 0..<runs.count (bias below 2⁻⁵⁹).
                    resample[t][i] = runs[Int(random.next().multipliedFullWidth(by: UInt64(runs.count)).high)]
                }
            }
            for (m, metric) in metrics.enumerated() { samples[m][r] = metric.evaluate(resample) }
            let fractions = profileFractions(pooledSorted: resample.flatMap { $0 }.sorted(), thresholds: thresholds)
            for (k, fraction) in fractions.enumerated() { profileSamples[k][r] = fraction }
        }
        let tail = (1 - options.confidence) / 2
        func interval(_ values: [Double]) -> (Double, Double) {
            let sorted = values.sorted()
            return (percentile(sorted: sorted, tail), percentile(sorted: sorted, 1 - tail))
        }
        var estimates: [AggregateMetric: IntervalEstimate] = [:]
        for (m, metric) in metrics.enumerated() {
            let (lower, upper) = interval(samples[m])
            estimates[metric] = IntervalEstimate(point: metric.evaluate(tasks), lower: lower, upper: upper)
        }
        let bands = profileSamples.map(interval)
        let profile = PerformanceProfile(
            thresholds: thresholds,
            fractions: profileFractions(pooledSorted: tasks.flatMap { $0 }.sorted(), thresholds: thresholds),
            lower: bands.map(\.0), upper: bands.map(\.1)
        )
        return (estimates, profile)
    }

    /// The default τ grid of performance profiles: 101 evenly spaced thresholds from
    /// min(0, lowest score) to max(1, highest score), both rounded outwards to a multiple of
    /// 0.1, so every profile starts at or near 1 and ends at 0.
    public static func defaultThresholds(normalized: [AlgorithmScores]) -> [Double] {
        let all = normalized.flatMap { $0.scores.values.flatMap { $0 } }.filter(\.isFinite)
        let low = min(0, ((all.min() ?? 0) * 10 + 1e-9).rounded(.down) / 10)
        var high = max(1, ((all.max() ?? 1) * 10 - 1e-9).rounded(.up) / 10)
        if all.contains(where: { $0 >= high }) { high += 0.1 }  // so the last fraction (score > τ) is 0
        return (0...100).map { low + (high - low) * Double($0) / 100 }
    }
}

/// One algorithm's aggregate results: which runs they cover, per-task mean normalised scores,
/// the four statistics with intervals and the performance profile.
public struct AlgorithmAggregate: Equatable, Sendable {
    /// The algorithm's label, e.g. "spo 7-layer".
    public var label: String
    /// Per task id, the number of runs (seeds) that entered the statistics.
    public var runsPerTask: [String: Int]
    /// Per task id, the mean normalised score over its runs.
    public var taskMeans: [String: Double]
    /// The four statistics with their bootstrap intervals, in normalised-score units.
    public var estimates: [AggregateMetric: IntervalEstimate]
    /// The performance profile with its bootstrap band.
    public var profile: PerformanceProfile

    /// The estimate of `metric` (every metric is present).
    public func estimate(_ metric: AggregateMetric) -> IntervalEstimate { estimates[metric]! }
}

/// The aggregate comparison of several algorithms across tasks: the bounds used, the options,
/// each algorithm's results, and notes about runs that are missing.
public struct AggregateReport: Equatable, Sendable {
    /// Every task that has runs for some algorithm, in id order.
    public var tasks: [String]
    /// The normalisation bounds of each task in `tasks`.
    public var bounds: [String: NormalizationBounds]
    /// The bootstrap options used.
    public var options: BootstrapOptions
    /// The performance profiles' thresholds τ.
    public var thresholds: [Double]
    /// Per algorithm, in the order given.
    public var algorithms: [AlgorithmAggregate]
    /// Human-readable notes on missing runs: runs without a finite score, algorithms without
    /// runs on some task, tasks with fewer runs than the algorithm's other tasks. Empty when
    /// every algorithm has the same number of scored runs on every task.
    public var notes: [String]

    /// Normalises `scores` with `bounds` (per task id) and computes every algorithm's statistics,
    /// intervals and profile. Non-finite scores (a run without a measured return) are left out
    /// and noted; tasks left without scores count as missing, and algorithms left without any
    /// score are left out (both noted);
    /// `thresholds` defaults to ``AggregateStatistics/defaultThresholds(normalized:)`` over all
    /// algorithms. Throws ``StatisticsError`` when there is nothing to aggregate, a task lacks
    /// bounds, or an algorithm has fewer than 2 runs on one of its tasks.
    public static func compute(
        scores: [AlgorithmScores], bounds: [String: NormalizationBounds],
        options: BootstrapOptions = BootstrapOptions(), thresholds: [Double]? = nil
    ) throws -> AggregateReport {
        guard !scores.isEmpty else { throw StatisticsError.noScores(algorithm: nil) }
        var notes: [String] = []
        let present = scores.map { algorithm -> AlgorithmScores in
            var kept = AlgorithmScores(label: algorithm.label, scores: [:])
            for (task, values) in algorithm.scores.sorted(by: { $0.key < $1.key }) {
                let finite = values.filter(\.isFinite)
                if finite.count < values.count {
                    let dropped = values.count - finite.count
                    notes.append(
                        "\(algorithm.label): \(task) has \(dropped) run\(dropped == 1 ? "" : "s") "
                            + "without a finite score, left out"
                    )
                }
                if !finite.isEmpty { kept.scores[task] = finite }
            }
            return kept
        }
        for algorithm in present where algorithm.scores.isEmpty {
            notes.append("\(algorithm.label): no runs with a score on any task, left out")
        }
        let scored = present.filter { !$0.scores.isEmpty }
        guard !scored.isEmpty else { throw StatisticsError.noScores(algorithm: nil) }
        let tasks = Set(scored.flatMap(\.scores.keys)).sorted()
        let normalized = try scored.map { try AggregateStatistics.normalize($0, bounds: bounds) }
        let grid = thresholds ?? AggregateStatistics.defaultThresholds(normalized: normalized)
        let algorithms = try normalized.map { algorithm -> AlgorithmAggregate in
            let missing = tasks.filter { algorithm.scores[$0] == nil }
            if !missing.isEmpty {
                notes.append(
                    "\(algorithm.label): no runs on \(missing.joined(separator: ", ")); "
                        + "its statistics cover \(tasks.count - missing.count) of \(tasks.count) tasks"
                )
            }
            let most = algorithm.scores.values.map(\.count).max() ?? 0
            for (task, runs) in algorithm.scores.sorted(by: { $0.key < $1.key }) where runs.count < most {
                notes.append("\(algorithm.label): \(task) has \(runs.count) runs, its other tasks up to \(most)")
            }
            let (estimates, profile) = try AggregateStatistics.bootstrap(
                normalized: algorithm, thresholds: grid, options: options)
            return AlgorithmAggregate(
                label: algorithm.label, runsPerTask: algorithm.scores.mapValues(\.count),
                taskMeans: algorithm.scores.mapValues(AggregateStatistics.mean), estimates: estimates, profile: profile
            )
        }
        return AggregateReport(
            tasks: tasks, bounds: bounds.filter { tasks.contains($0.key) }, options: options,
            thresholds: grid, algorithms: algorithms, notes: notes
        )
    }
}
