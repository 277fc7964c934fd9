import Foundation

extension ExperimentResults {
    /// The label of a group's algorithm in tables and figures: the algorithm's label, followed by
    /// the network's in parentheses when the experiment has several networks.
    public func label(of group: Group) -> String {
        configuration.networks.count > 1 ? "\(group.algorithm) (\(group.network))" : group.algorithm
    }

    /// The finished runs' scores (mean raw episodic return over the last 10% of training, a
    /// run's `finalReturn`) per algorithm label and task, labels in the configuration's order.
    public var aggregateScores: [AlgorithmScores] {
        var scores: [AlgorithmScores] = []
        for group in groups {
            let label = label(of: group)
            let index =
                scores.firstIndex { $0.label == label }
                ?? {
                    scores.append(AlgorithmScores(label: label, scores: [:]))
                    return scores.count - 1
                }()
            scores[index].scores[group.task, default: []] += group.summaries.map(\.finalReturn)
        }
        return scores
    }

    /// One line per setting with unfinished runs: its label, task and the seeds still missing.
    public var missingRunNotes: [String] {
        groups.compactMap { group -> String? in
            let missing = self.missing.filter {
                $0.task == group.task && $0.algorithm == group.algorithm && $0.network == group.network
            }
            guard !missing.isEmpty else { return nil }
            let seeds = missing.map { String($0.seed) }.joined(separator: ", ")
            return
                "\(label(of: group)): \(group.task) has \(group.summaries.count) of \(group.expectedSeeds) runs "
                + "finished (seed\(missing.count == 1 ? "" : "s") \(seeds) missing)"
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
