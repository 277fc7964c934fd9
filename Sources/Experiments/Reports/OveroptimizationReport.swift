import Foundation
import Learning

/// The files of the over-optimisation experiment (docs/overoptimization.md): its measurements as
/// CSV, and figures of the mean KL (log scale) and of the surrogate against the epoch, a line per
/// algorithm and ε.
public enum OveroptimizationReport {
    /// The file names written into the output directory.
    public static let csvFile = "overoptimization.csv"
    public static let klFigureFile = "kl.svg"
    public static let surrogateFigureFile = "surrogate.svg"

    /// The CSV header: one row per run and epoch.
    public static let csvHeader =
        "algorithm,epsilon,epoch,kl,ratio_deviation,ratio_deviation_max,surrogate,trigger_fraction"

    /// The measurements of `runs`, in order, reals printed exactly (shortest round-trip form).
    public static func csv(_ runs: [OveroptimizationRun]) -> String {
        var text = csvHeader + "\n"
        for run in runs {
            for point in run.points {
                text +=
                    "\(run.algorithm),\(run.epsilon),\(point.epoch),\(point.meanKL),\(point.ratioDeviation),"
                    + "\(point.maxRatioDeviation),\(point.surrogate),\(point.triggerFraction)\n"
            }
        }
        return text
    }

    /// The mean KL(π_old ‖ π) against the epoch on a logarithmic axis, titled `subject` (task,
    /// network, seed; short, since the figure is one panel wide).
    public static func klFigure(_ runs: [OveroptimizationRun], subject: String) -> String {
        figure(
            runs, subject: subject, measure: "mean KL(π_old ‖ π) over one batch", yLabel: "mean KL (nats)",
            yScale: .logarithmic, value: \.meanKL)
    }

    /// The surrogate mean r·Â (normalised advantages) against the epoch, titled `subject`.
    public static func surrogateFigure(_ runs: [OveroptimizationRun], subject: String) -> String {
        figure(
            runs, subject: subject, measure: "surrogate mean r·Â over one batch", yLabel: "mean r·Â",
            yScale: .linear, value: \.surrogate)
    }

    /// Writes the CSV and both figures into `directory` (created if missing), each file atomically.
    public static func write(_ runs: [OveroptimizationRun], subject: String, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(csv(runs), to: directory.appendingPathComponent(csvFile))
        try AtomicFile.write(klFigure(runs, subject: subject), to: directory.appendingPathComponent(klFigureFile))
        try AtomicFile.write(
            surrogateFigure(runs, subject: subject), to: directory.appendingPathComponent(surrogateFigureFile))
    }

    /// One panel titled `measure`, a line (no band) per run labelled "algorithm ε=…".
    private static func figure(
        _ runs: [OveroptimizationRun], subject: String, measure: String, yLabel: String, yScale: AxisScale,
        value: KeyPath<OveroptimizationPoint, Double>
    ) -> String {
        let series = runs.map { run in
            let none = [Double](repeating: .nan, count: run.points.count)
            return CurveSeries(
                label: "\(run.algorithm) ε=\(run.epsilon)", x: run.points.map { Double($0.epoch) },
                mean: run.points.map { $0[keyPath: value] }, lower: none, upper: none)
        }
        let panel = CurvePanel(
            title: measure, xLabel: "epochs on the frozen batch", yLabel: yLabel, series: series, yScale: yScale)
        return SVGFigure.learningCurves(panels: [panel], columns: 1, title: subject)
    }
}
