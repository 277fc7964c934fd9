import Foundation

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
