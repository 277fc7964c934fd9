import ArgumentParser
import Experiments
import Foundation

/// `spo plot`: learning-curve figures (SVG) from an experiment's results.
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write SVG learning curves (return, ratio deviation, KL, entropy) of an experiment's finished runs.",
        discussion: """
            One figure per metric, one panel per task, a line per algorithm and network: the mean across \
            seeds with a ±std band, against environment steps (binned). Writes to \
            <results>/<experiment>/plots/ (or --out). Unfinished runs are listed and left out. With \
            --aggregate (see `spo table --help`), also aggregate-intervals.svg (median, IQM, mean and \
            optimality gap with their bootstrap intervals) and aggregate-profiles.svg (performance profiles \
            with bootstrap bands).
            """
    )
    @OptionGroup var experiment: ExperimentOptions
    @OptionGroup var aggregate: AggregateOptions
    @Option(name: .long, help: "Directory for the figures (default: <results>/<experiment>/plots).") var out: String?
    @Option(name: .long, help: "Bins along the step axis.") var bins = 100

    func validate() throws {
        guard bins >= 1 else { throw ValidationError("--bins must be at least 1, got \(bins)") }
    }

    func run() throws {
        let results = try experiment.finishedResults()
        let configuration = results.configuration
        let directory =
            out.map { URL(fileURLWithPath: $0) }
            ?? experiment.root.appendingPathComponent(configuration.name).appendingPathComponent("plots")
        for url in try LearningCurveFigures.write(results, to: directory, bins: bins) { print(url.path) }
        if aggregate.aggregate {
            let report = try aggregate.report(results, root: experiment.root)
            for url in try report.writeFigures(to: directory, title: configuration.name) { print(url.path) }
        }
    }
}
