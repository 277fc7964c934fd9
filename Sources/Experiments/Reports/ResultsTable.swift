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

/// The papers' per-task table: mean ± std across seeds (population std, as numpy's default) of
/// the mean episodic return over the last 10% of training steps and of the ratio deviation,
/// with the published numbers beside ours where the setting matches the papers' (10M steps,
/// the papers' algorithms and networks) and, given a ``ReferenceResults`` file, that
/// implementation's numbers where its task, algorithm, network and steps match a row's.
public struct ResultsTable: Sendable {
    public struct Row: Sendable {
        public var task: String
        public var algorithm: String
        public var network: String
        public var seeds: Int
        public var expectedSeeds: Int
        /// How many of the finished seeds diverged (their values count up to the divergence).
        public var diverged: Int
        public var finalReturns: [Double]
        public var ratioDeviations: [Double]
        public var meanKLs: [Double]
        public var evaluationReturns: [Double]
        public var publishedICML: PublishedResults.ICMLEntry?
        public var publishedArXiv: PublishedResults.ArXivEntry?
        /// The reference file's entry for this setting, if it has one.
        public var reference: ReferenceResults.Entry?
    }

    public var rows: [Row]
    public var title: String
    /// The reference results shown beside ours (nil: no reference columns).
    public var reference: ReferenceResults?

    public init(_ results: ExperimentResults, reference: ReferenceResults? = nil) {
        title = results.configuration.name
        self.reference = reference
        rows = results.groups.map { group in
            let layers =
                [3, 7].first { TrainingConfiguration.actorHidden(layers: $0) == group.training.actorHidden } ?? 0
            let matchesPapers = group.training.totalSteps == 10_000_000 && layers != 0
            let algorithm = group.training.algorithm
            return Row(
                task: group.task, algorithm: group.algorithm, network: group.network,
                seeds: group.summaries.count, expectedSeeds: group.expectedSeeds,
                diverged: group.summaries.filter { $0.divergence != nil }.count,
                finalReturns: group.summaries.map(\.finalReturn),
                ratioDeviations: group.summaries.map(\.ratioDeviation),
                meanKLs: group.summaries.map(\.meanKL), evaluationReturns: group.summaries.map(\.evaluation.mean),
                publishedICML: matchesPapers && group.training.epsilon == 0.2
                    ? PublishedResults.icml(task: group.task, algorithm: algorithm, actorLayers: layers) : nil,
                publishedArXiv: matchesPapers
                    ? PublishedResults.arxiv(
                        task: group.task, algorithm: algorithm,
                        klLimit: algorithm == "spo-kl" ? group.training.klLimit : nil, actorLayers: layers) : nil,
                reference: reference?.entry(
                    task: group.task, algorithm: group.algorithm, network: group.network,
                    totalSteps: group.training.totalSteps)
            )
        }
    }

    /// Mean and population standard deviation of the finite values (NaN, NaN when none).
    static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        populationMeanAndDeviation(values.filter(\.isFinite))
    }

    static func format(_ value: Double, digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "n/a"
    }

    static func formatPair(_ values: [Double], digits: Int) -> String {
        let (mean, deviation) = meanAndDeviation(values)
        return mean.isFinite ? "\(format(mean, digits: digits)) ± \(format(deviation, digits: digits))" : "n/a"
    }

    /// The table in Markdown; with a reference, four more columns and its source under the table.
    public var markdown: String {
        var header =
            "| task | algorithm | network | seeds | return (last 10%) | ratio deviation | mean KL "
            + "| evaluation return | published return | published ratio dev. |"
        var columns = 10
        if reference != nil {
            header += " reference return | reference ratio dev. | reference KL | reference seeds |"
            columns += 4
        }
        var lines = [header, "|" + String(repeating: "---|", count: columns)]
        for row in rows {
            var published: [String] = []
            if let icml = row.publishedICML { published.append("\(Self.format(icml.averageReturn, digits: 1)) (ICML)") }
            if let arxiv = row.publishedArXiv {
                published.append("\(Self.format(arxiv.averageReturn, digits: 1)) (arXiv)")
            }
            var cells = [
                row.task, row.algorithm, row.network,
                "\(row.seeds)/\(row.expectedSeeds)" + (row.diverged > 0 ? ", \(row.diverged) diverged" : ""),
                Self.formatPair(row.finalReturns, digits: 1), Self.formatPair(row.ratioDeviations, digits: 4),
                Self.formatPair(row.meanKLs, digits: 5), Self.formatPair(row.evaluationReturns, digits: 1),
                published.isEmpty ? "—" : published.joined(separator: ", "),
                row.publishedICML.map { Self.format($0.ratioDeviation, digits: 3) } ?? "—",
            ]
            if reference != nil {
                cells +=
                    row.reference.map { entry in
                        [
                            Self.formatPair(entry.finalReturns, digits: 1),
                            Self.formatPair(entry.ratioDeviations, digits: 4),
                            Self.formatPair(entry.meanKLs, digits: 5), "\(entry.seeds.count)",
                        ]
                    } ?? ["—", "—", "—", "—"]
            }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        if let reference {
            lines += ["", "Reference: \(reference.source); mean ± std across its seeds, computed as ours."]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table as CSV, one row per setting; per-seed values joined with ';'. With a reference,
    /// its means, standard deviations and number of seeds (empty where it has no entry).
    public var csv: String {
        var header =
            "task,algorithm,network,seeds,expected_seeds,diverged,return_mean,return_std,returns,"
            + "ratio_deviation_mean,ratio_deviation_std,kl_mean,kl_std,evaluation_return_mean,evaluation_return_std,"
            + "published_return_icml,published_return_arxiv,published_ratio_deviation_icml"
        if reference != nil {
            header +=
                ",reference_return_mean,reference_return_std"
                + ",reference_ratio_deviation_mean,reference_ratio_deviation_std"
                + ",reference_kl_mean,reference_kl_std,reference_seeds"
        }
        var lines = [header]
        for row in rows {
            let returns = Self.meanAndDeviation(row.finalReturns), ratios = Self.meanAndDeviation(row.ratioDeviations)
            let kls = Self.meanAndDeviation(row.meanKLs), evaluations = Self.meanAndDeviation(row.evaluationReturns)
            var fields: [String] = [
                quote(row.task), quote(row.algorithm), quote(row.network), "\(row.seeds)", "\(row.expectedSeeds)",
                "\(row.diverged)", "\(returns.mean)", "\(returns.deviation)",
                row.finalReturns.map { "\($0)" }.joined(separator: ";"), "\(ratios.mean)", "\(ratios.deviation)",
                "\(kls.mean)", "\(kls.deviation)",
                "\(evaluations.mean)", "\(evaluations.deviation)",
                row.publishedICML.map { "\($0.averageReturn)" } ?? "",
                row.publishedArXiv.map { "\($0.averageReturn)" } ?? "",
                row.publishedICML.map { "\($0.ratioDeviation)" } ?? "",
            ]
            if reference != nil {
                fields +=
                    row.reference.map { entry in
                        [entry.finalReturns, entry.ratioDeviations, entry.meanKLs].flatMap { values in
                            let (mean, deviation) = Self.meanAndDeviation(values)
                            return ["\(mean)", "\(deviation)"]
                        } + ["\(entry.seeds.count)"]
                    } ?? Array(repeating: "", count: 7)
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The learning-curve figures of an experiment: one SVG per metric (episodic return, ratio
/// deviation, KL, entropy) with a panel per task and, per algorithm and network, the mean
/// across seeds with a ±std band, against environment steps.
public enum LearningCurveFigures {
    /// The metrics drawn: file name, y-axis label, source (`nil` column: episodes.csv returns).
    public static let metrics: [(file: String, label: String, column: String?)] = [
        ("return", "episodic return", nil), ("ratio-deviation", "ratio deviation (mean |r − 1|)", "ratio_deviation"),
        ("kl", "mean KL(π_old ‖ π)", "kl"), ("entropy", "policy entropy", "entropy"),
    ]

    /// Writes the figures into `directory`; returns their paths.
    public static func write(_ results: ExperimentResults, to directory: URL, bins: Int = 100) throws -> [URL] {
        let tasks = results.configuration.tasks
        let end = Double(results.configuration.totalSteps)
        // Per metric and task, one series per group; each run's two CSV files are read once.
        var series = metrics.map { _ in [String: [CurveSeries]]() }
        for group in results.groups where !group.directories.isEmpty {
            let tables = group.directories.map { directory in
                (
                    updates: CSVTable(contentsOf: directory.appendingPathComponent("updates.csv")),
                    episodes: CSVTable(contentsOf: directory.appendingPathComponent("episodes.csv"))
                )
            }
            for (index, metric) in metrics.enumerated() {
                let runs = tables.map { table -> [(x: Double, y: Double)] in
                    guard let table = metric.column == nil ? table.episodes : table.updates else { return [] }
                    return zip(table.column("global_step"), table.column(metric.column ?? "return")).map {
                        (x: $0.0, y: $0.1)
                    }
                }
                let diverged = group.summaries.filter { $0.divergence != nil }.count
                let label =
                    results.label(of: group)
                    + (diverged > 0 ? " (\(diverged) of \(group.summaries.count) diverged)" : "")
                series[index][group.task, default: []].append(
                    CurveSeries.acrossSeeds(label: label, runs: runs, bins: bins, end: end))
            }
        }
        var written: [URL] = []
        for (index, metric) in metrics.enumerated() {
            let panels = tasks.map {
                CurvePanel(
                    title: $0, xLabel: "environment steps", yLabel: metric.label, series: series[index][$0] ?? [])
            }
            let svg = SVGFigure.learningCurves(
                panels: panels, columns: min(3, max(1, tasks.count)),
                title: "\(results.configuration.name): \(metric.label), mean ± std across seeds")
            let url = directory.appendingPathComponent("\(metric.file).svg")
            try AtomicFile.write(svg, to: url)
            written.append(url)
        }
        return written
    }
}
