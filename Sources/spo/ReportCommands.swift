import ArgumentParser
import Experiments
import Foundation

/// `spo table`: the papers' per-task table from an experiment's results.
struct Table: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the papers' table (Markdown) of an experiment's finished runs and write it as CSV.",
        discussion: """
            Per task, algorithm and network: mean ± std across seeds of the mean episodic return over the \
            last 10% of training steps, of the ratio deviation and of the mean KL, the final agents' \
            evaluation return, and the published numbers where the setting matches the papers' (10M steps). \
            Writes table.md and table.csv to <results>/<experiment>/ (or --out). Unfinished runs are listed \
            and left out.
            """
    )
    @OptionGroup var experiment: ExperimentOptions
    @Option(name: .long, help: "Directory for table.md and table.csv (default: <results>/<experiment>).") var out: String?

    func run() throws {
        let results = try experiment.finishedResults()
        let configuration = results.configuration
        let table = ResultsTable(results)
        let directory = out.map { URL(fileURLWithPath: $0) } ?? experiment.root.appendingPathComponent(configuration.name)
        try AtomicFile.write(table.markdown, to: directory.appendingPathComponent("table.md"))
        try AtomicFile.write(table.csv, to: directory.appendingPathComponent("table.csv"))
        print(table.markdown, terminator: "")
        printError("[table] wrote \(directory.appendingPathComponent("table.md").path) and table.csv")
    }
}

/// `spo plot`: learning-curve figures (SVG) from an experiment's results.
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write SVG learning curves (return, ratio deviation, KL, entropy) of an experiment's finished runs.",
        discussion: """
            One figure per metric, one panel per task, a line per algorithm and network: the mean across \
            seeds with a ±std band, against environment steps (binned). Writes to \
            <results>/<experiment>/plots/ (or --out). Unfinished runs are listed and left out.
            """
    )
    @OptionGroup var experiment: ExperimentOptions
    @Option(name: .long, help: "Directory for the figures (default: <results>/<experiment>/plots).") var out: String?
    @Option(name: .long, help: "Bins along the step axis.") var bins = 100

    func validate() throws {
        guard bins >= 1 else { throw ValidationError("--bins must be at least 1, got \(bins)") }
    }

    func run() throws {
        let results = try experiment.finishedResults()
        let configuration = results.configuration
        let directory = out.map { URL(fileURLWithPath: $0) } ?? experiment.root.appendingPathComponent(configuration.name).appendingPathComponent("plots")
        for url in try LearningCurveFigures.write(results, to: directory, bins: bins) { print(url.path) }
    }
}

extension ExperimentOptions {
    /// The experiment's results, naming the runs still missing; exits 1 when none has finished.
    func finishedResults() throws -> ExperimentResults {
        let configuration = try load()
        let results = ExperimentResults(configuration: configuration, root: root)
        printError(results.missingNote, terminator: "")
        guard results.groups.contains(where: { !$0.summaries.isEmpty }) else {
            printError("error: no run of \(configuration.name) has finished under \(root.path); run `spo run \(config)` first")
            throw ExitCode(1)
        }
        return results
    }
}
