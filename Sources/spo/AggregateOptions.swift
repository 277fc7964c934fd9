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
