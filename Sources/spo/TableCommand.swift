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
            and left out. With --aggregate, also per algorithm (and network) across tasks: returns normalised \
            per task, (return − low) / (high − low), then the median and mean of the per-task means, the \
            interquartile mean and the optimality gap of all runs, each with a 95% stratified bootstrap interval \
            (seeds resampled within each task), printed and written to aggregate.md and aggregate.csv; it needs \
            at least 2 finished runs per algorithm and task. With --reference FILE, also another \
            implementation's mean ± std across its seeds of the same three metrics, and its number of seeds, \
            beside each row whose task, algorithm, network and total steps match an entry of FILE.
            """
    )
    @OptionGroup var experiment: ExperimentOptions
    @OptionGroup var aggregate: AggregateOptions
    @Option(name: .long, help: "Directory for table.md and table.csv (default: <results>/<experiment>).") var out:
        String?
    @Option(
        name: .long,
        help: ArgumentHelp(
            "JSON file of another implementation's per-seed results to show beside ours, "
                + "e.g. experiments/reference/authors-1m.json.",
            discussion: """
                Fields: source (named under the table) and runs, each with task, algorithm, network, totalSteps, \
                seeds and one value per seed in returnLast10, ratioDeviation and kl.
                """,
            valueName: "file"
        )) var reference: String?

    func run() throws {
        let reference: ReferenceResults?
        do { reference = try self.reference.map(ReferenceResults.load(path:)) } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        let results = try experiment.finishedResults()
        let configuration = results.configuration
        let table = ResultsTable(results, reference: reference)
        let directory =
            out.map { URL(fileURLWithPath: $0) } ?? experiment.root.appendingPathComponent(configuration.name)
        try AtomicFile.write(table.markdown, to: directory.appendingPathComponent("table.md"))
        try AtomicFile.write(table.csv, to: directory.appendingPathComponent("table.csv"))
        print(table.markdown, terminator: "")
        printError("[table] wrote \(directory.appendingPathComponent("table.md").path) and table.csv")
        if aggregate.aggregate {
            let report = try aggregate.report(results, root: experiment.root)
            let files = try report.writeTables(to: directory, title: "\(configuration.name): aggregate across tasks")
            print("\n" + report.markdown(), terminator: "")
            printError("[table] wrote \(files.map(\.path).joined(separator: " and "))")
        }
    }
}
