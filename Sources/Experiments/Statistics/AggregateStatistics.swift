import Environments
import Foundation

// Aggregate statistics across tasks, following Agarwal et al. 2021 ("Deep RL at the edge of the
// statistical precipice", the rliable library): normalised scores, median, interquartile mean,
// mean and optimality gap with stratified bootstrap confidence intervals, and performance
// profiles. Protocol: docs/algorithms.md#aggregate-statistics.

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
