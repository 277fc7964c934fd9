import Foundation
import Learning

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
