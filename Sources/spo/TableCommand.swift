import ArgumentParser
import Experiments
import Foundation

/// `--aggregate` and its settings, shared by `spo table` and `spo plot`.
struct AggregateOptions: ParsableArguments {
    @Flag(
        name: .long,
        help: """
            Also aggregate across tasks: normalised scores, median, IQM, mean and optimality gap \
            with stratified bootstrap intervals, and performance profiles.
            """
    )
    var aggregate = false
    @Option(name: .long, help: "Bootstrap resamples.") var resamples = 10_000
    @Option(name: .long, help: "Seed of the bootstrap (the same seed gives the same intervals).") var bootstrapSeed:
        UInt64 = 0
    @Option(
        name: .long,
        help: ArgumentHelp(
            "JSON file of per-task normalisation bounds overriding the defaults, "
                + "e.g. {\"Hopper-v4\": {\"low\": 0, \"high\": 3000}} (either may be left out).",
            discussion:
                "Defaults: low = a uniformly random policy's mean return (measured once, cached in "
                + "<results>/random-baselines.json), high = the best return in the papers' tables.",
            valueName: "file"
        )) var normalization: String?
    @Option(name: .long, help: "Episodes of the random-policy baseline.") var baselineEpisodes = RandomPolicyBaseline
        .defaultEpisodes
    @Option(name: .long, help: "Seed of the random-policy baseline.") var baselineSeed: UInt64 = 0

    func validate() throws {
        guard resamples >= 1 else { throw ValidationError("--resamples must be at least 1, got \(resamples)") }
        guard baselineEpisodes >= 1 else {
            throw ValidationError("--baseline-episodes must be at least 1, got \(baselineEpisodes)")
        }
    }

    /// The aggregate report of `results`; a statistic that needs more runs than exist, or an
    /// unreadable normalisation file, prints the reason and exits 1.
    func report(_ results: ExperimentResults, root: URL) throws -> AggregateReport {
        do {
            let overrides =
                try normalization.map { try NormalizationOverride.load(from: URL(fileURLWithPath: $0)) } ?? [:]
            return try AggregateReport(
                results: results, root: root, overrides: overrides, baselineEpisodes: baselineEpisodes,
                baselineSeed: baselineSeed, options: BootstrapOptions(resamples: resamples, seed: bootstrapSeed)
            )
        } catch {
            printError("error: cannot aggregate \(results.configuration.name): \(error)")
            throw ExitCode(1)
        }
    }
}

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

extension ExperimentOptions {
    /// The experiment's results, naming the runs still missing; exits 1 when none has finished.
    func finishedResults() throws -> ExperimentResults {
        let configuration = try load()
        let results = ExperimentResults(configuration: configuration, root: root)
        printError(results.missingNote, terminator: "")
        guard results.groups.contains(where: { !$0.summaries.isEmpty }) else {
            printError(
                "error: no run of \(configuration.name) has finished under \(root.path); run `spo run \(config)` first")
            throw ExitCode(1)
        }
        return results
    }
}
