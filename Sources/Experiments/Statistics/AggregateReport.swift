import Foundation

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

extension AggregateReport {
    /// The report as Markdown: a table of the four statistics per algorithm, each
    /// "value [lower, upper]" with `digits` decimals, the number of runs, a table of per-task
    /// mean normalised scores, the normalisation bounds, and the notes on missing runs.
    public func markdown(digits: Int = 3) -> String {
        func cell(_ value: Double) -> String { value.isFinite ? String(format: "%.\(digits)f", value) : "–" }
        func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        let percent = String(format: "%g", options.confidence * 100)
        var lines = [
            "Normalised scores `(return − low) / (high − low)`; \(percent)% stratified bootstrap intervals "
                + "(\(options.resamples) resamples, seed \(options.seed)). Optimality gap: lower is better.",
            "",
            "| algorithm | runs | " + AggregateMetric.allCases.map(\.title).joined(separator: " | ") + " |",
            "|---|---:|" + String(repeating: "---|", count: AggregateMetric.allCases.count),
        ]
        for algorithm in algorithms {
            let cells = AggregateMetric.allCases.map { metric -> String in
                let e = algorithm.estimate(metric)
                return "\(cell(e.point)) [\(cell(e.lower)), \(cell(e.upper))]"
            }
            lines.append(
                "| \(escape(algorithm.label)) | \(algorithm.runsPerTask.values.reduce(0, +)) | "
                    + cells.joined(separator: " | ") + " |")
        }
        lines += ["", "Mean normalised score per task (runs):", ""]
        lines.append("| algorithm | " + tasks.map(escape).joined(separator: " | ") + " |")
        lines.append("|---|" + String(repeating: "---:|", count: tasks.count))
        for algorithm in algorithms {
            let cells = tasks.map { task in
                algorithm.taskMeans[task].map { "\(cell($0)) (\(algorithm.runsPerTask[task] ?? 0))" } ?? "missing"
            }
            lines.append("| \(escape(algorithm.label)) | " + cells.joined(separator: " | ") + " |")
        }
        lines += ["", "| task | low (score 0) | high (score 1) |", "|---|---:|---:|"]
        for task in tasks {
            let bound = bounds[task]!
            lines.append(
                "| \(escape(task)) | \(String(format: "%.1f", bound.low)) | \(String(format: "%.1f", bound.high)) |")
        }
        if !notes.isEmpty {
            lines += ["", "Missing runs:", ""] + notes.map { "- \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as CSV, one row per algorithm: `algorithm,runs`, then for each statistic its
    /// point estimate and interval ends (`median,median_low,median_high,iqm,…`), full precision.
    public func csv() -> String {
        let names = ["median", "iqm", "mean", "optimality_gap"]
        var header = ["algorithm", "runs"]
        for name in names { header += [name, name + "_low", name + "_high"] }
        var lines = [header.joined(separator: ",")]
        for algorithm in algorithms {
            var row = [quote(algorithm.label), String(algorithm.runsPerTask.values.reduce(0, +))]
            for metric in AggregateMetric.allCases {
                let e = algorithm.estimate(metric)
                row += [e.point, e.lower, e.upper].map { "\($0)" }
            }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension AggregateReport {
    /// Writes `aggregate.md` (titled `title`) and `aggregate.csv` into `directory` (created when
    /// missing), each replaced atomically; returns the two files.
    @discardableResult
    public func writeTables(to directory: URL, title: String) throws -> [URL] {
        try Self.write([("aggregate.md", "# \(title)\n\n" + markdown()), ("aggregate.csv", csv())], to: directory)
    }

    /// Writes `aggregate-intervals.svg` and `aggregate-profiles.svg` (titled with `title`) into
    /// `directory` (created when missing), each replaced atomically; returns the two files.
    @discardableResult
    public func writeFigures(to directory: URL, title: String) throws -> [URL] {
        try Self.write(
            [
                ("aggregate-intervals.svg", SVGFigure.intervalEstimates(self, title: "\(title): aggregate metrics")),
                (
                    "aggregate-profiles.svg",
                    SVGFigure.performanceProfiles(self, title: "\(title): performance profiles")
                ),
            ], to: directory)
    }

    private static func write(_ files: [(name: String, content: String)], to directory: URL) throws -> [URL] {
        try files.map { file in
            let url = directory.appendingPathComponent(file.name)
            try AtomicFile.write(file.content, to: url)
            return url
        }
    }
}

extension AggregateReport {
    /// The file under the results root that caches random-policy baselines for every experiment.
    public static let baselineCacheName = "random-baselines.json"

    /// The aggregate report of an experiment's finished runs: their final returns normalised per
    /// task by `overrides` or the defaults (low: a uniformly random policy's mean return over
    /// `baselineEpisodes` episodes from `baselineSeed`, cached in `<root>/random-baselines.json`;
    /// high: the papers' best return), with `options`' bootstrap. The notes start with the
    /// unfinished runs. Throws ``StatisticsError`` when no run has a score or an algorithm has
    /// fewer than 2 scored runs on a task.
    public init(
        results: ExperimentResults, root: URL, overrides: [String: NormalizationOverride] = [:],
        baselineEpisodes: Int = RandomPolicyBaseline.defaultEpisodes, baselineSeed: UInt64 = 0,
        options: BootstrapOptions = BootstrapOptions()
    ) throws {
        let scores = results.aggregateScores
        let tasks = results.configuration.tasks.filter { task in
            scores.contains { $0.scores[task]?.contains(where: \.isFinite) ?? false }
        }
        guard !tasks.isEmpty else { throw StatisticsError.noScores(algorithm: nil) }
        let bounds = try RandomPolicyBaseline.defaultBounds(
            tasks: tasks, overrides: overrides, cacheFile: root.appendingPathComponent(Self.baselineCacheName),
            episodes: baselineEpisodes, seed: baselineSeed
        )
        self = try AggregateReport.compute(scores: scores, bounds: bounds, options: options)
        notes = results.missingRunNotes + notes
    }
}
