import Foundation
import Learning

/// The finished runs of an experiment grouped as the papers' tables group them: one row per
/// task × algorithm × network, across seeds. Runs not yet finished are listed as missing.
public struct ExperimentResults: Sendable {
    /// One row: the summaries of the finished seeds of one setting.
    public struct Group: Sendable {
        public var task: String
        public var algorithm: String
        public var network: String
        /// A representative run's settings (all seeds of a group share them but for the seed).
        public var training: TrainingConfiguration
        public var summaries: [RunSummary]
        /// Directories of the finished runs (for their CSV files).
        public var directories: [URL]
        public var expectedSeeds: Int
    }

    public var configuration: ExperimentConfiguration
    public var groups: [Group]
    /// Runs without a summary yet, or whose summary is unreadable.
    public var missing: [RunSpecification]
    /// Why summaries that exist could not be used (each names the file).
    public var unreadable: [String]

    /// Reads every run's summary under `root`.
    public init(configuration: ExperimentConfiguration, root: URL) {
        self.configuration = configuration
        var groups: [Group] = [], missing: [RunSpecification] = [], unreadable: [String] = []
        for run in configuration.runs {
            let files = RunFiles(root: root, run: run)
            let index =
                groups.firstIndex { $0.task == run.task && $0.algorithm == run.algorithm && $0.network == run.network }
                ?? {
                    groups.append(
                        Group(
                            task: run.task, algorithm: run.algorithm, network: run.network, training: run.training,
                            summaries: [], directories: [], expectedSeeds: 0))
                    return groups.count - 1
                }()
            groups[index].expectedSeeds += 1
            do {
                if let summary = try files.readSummary() {
                    groups[index].summaries.append(summary)
                    groups[index].directories.append(files.directory)
                } else {
                    missing.append(run)
                }
            } catch {
                missing.append(run)
                unreadable.append("\(error)")
            }
        }
        self.groups = groups
        self.missing = missing
        self.unreadable = unreadable
    }

    /// A note naming the runs still missing (empty when none is).
    public var missingNote: String {
        guard !missing.isEmpty else { return "" }
        return "\(missing.count) of \(configuration.runs.count) runs are not finished and left out:\n"
            + missing.map { "  \($0.id)" }.joined(separator: "\n") + "\n"
            + unreadable.map { "  unreadable summary: \($0)\n" }.joined()
    }
}

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
