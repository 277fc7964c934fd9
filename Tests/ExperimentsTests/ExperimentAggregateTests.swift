import Foundation
import FoundationXML
import Testing

@testable import Experiments

@Suite("Aggregate statistics of an experiment")
struct ExperimentAggregateTests {
    @Test(
        """
        the smoke experiment end to end: aggregate table and figures with the expected algorithms and numbers; \
        partial results refused with the missing run named
        """
    )
    func smokeAggregate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aggregate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let configuration = try ExperimentConfiguration.load(
            path: projectRoot.appendingPathComponent("experiments/smoke.json").path)
        let tally = runExperiment(configuration, root: root)
        #expect(tally.finished == configuration.runs.count && tally.failed == 0)

        let results = ExperimentResults(configuration: configuration, root: root)
        #expect(results.aggregateScores.map(\.label) == ["spo", "ppo"])
        #expect(results.missingRunNotes.isEmpty)
        let options = BootstrapOptions(resamples: 500, seed: 4)
        let report = try AggregateReport(results: results, root: root, baselineEpisodes: 3, options: options)
        #expect(report.tasks == ["Hopper-v4", "Walker2d-v4"] && report.algorithms.map(\.label) == ["spo", "ppo"])
        #expect(report.notes.isEmpty)

        // Bounds: the cached random-policy return and the papers' best.
        let cache = root.appendingPathComponent(AggregateReport.baselineCacheName)
        #expect(FileManager.default.fileExists(atPath: cache.path))
        for task in report.tasks {
            let random = try RandomPolicyBaseline.cached(task: task, episodes: 3, seed: 0, cacheFile: cache) {
                _, _, _ in
                Issue.record("\(task) measured again instead of read from the cache")
                throw StatisticsError.invalidOption("not cached")
            }
            #expect(
                report.bounds[task]
                    == NormalizationBounds(low: random.meanReturn, high: PublishedResults.bestReturn(task: task)!))
        }

        // The numbers: spo's IQM from the runs' summaries by hand.
        let normalized = results.groups.filter { $0.algorithm == "spo" }.flatMap { group in
            group.summaries.map { report.bounds[group.task]!.normalize($0.finalReturn) }
        }.sorted()
        #expect(normalized.count == 4)
        let spo = report.algorithms[0]
        #expect(abs(spo.estimate(.iqm).point - (normalized[1] + normalized[2]) / 2) < 1e-12)
        #expect(spo.runsPerTask == ["Hopper-v4": 2, "Walker2d-v4": 2])

        let directory = root.appendingPathComponent("smoke")
        let tables = try report.writeTables(to: directory, title: "smoke")
        let markdown = try String(contentsOf: tables[0], encoding: .utf8)
        let iqm = spo.estimate(.iqm)
        #expect(markdown.contains("| spo | 4 | ") && markdown.contains("| ppo | 4 | "))
        #expect(markdown.contains(String(format: "%.3f [%.3f, %.3f]", iqm.point, iqm.lower, iqm.upper)))
        #expect(try String(contentsOf: tables[1], encoding: .utf8).split(separator: "\n").count == 3)
        for figure in try report.writeFigures(to: directory.appendingPathComponent("plots"), title: "smoke") {
            let data = try Data(contentsOf: figure)
            #expect(XMLParser(data: data).parse(), "\(figure.lastPathComponent) is not well-formed XML")
            let text = String(decoding: data, as: UTF8.self)
            for label in [">spo<", ">ppo<", "smoke: "] {
                #expect(text.contains(label), "\(figure.lastPathComponent) lacks \(label)")
            }
        }

        // Overridden bounds replace the defaults.
        let overridden = try AggregateReport(
            results: results, root: root, overrides: ["Hopper-v4": NormalizationOverride(low: 0, high: 100)],
            baselineEpisodes: 3, options: options
        )
        #expect(overridden.bounds["Hopper-v4"] == NormalizationBounds(low: 0, high: 100))

        // One run unfinished: named, and the bootstrap refused for the task left with one seed.
        let last = configuration.runs.last!
        try FileManager.default.removeItem(at: RunFiles(root: root, run: last).summary)
        let partial = ExperimentResults(configuration: configuration, root: root)
        #expect(partial.missingRunNotes == ["ppo: Walker2d-v4 has 1 of 2 runs finished (seed 2 missing)"])
        #expect(
            throws: StatisticsError.tooFewRuns(
                algorithm: "ppo", statistic: "a 95% stratified bootstrap interval", required: 2,
                found: ["Walker2d-v4": 1]
            )
        ) { try AggregateReport(results: partial, root: root, baselineEpisodes: 3, options: options) }

        // Both Walker2d ppo runs unfinished: ppo aggregates over Hopper alone, and the report says so.
        let walkerPPO = configuration.runs.filter { $0.task == "Walker2d-v4" && $0.algorithm == "ppo" }
        try FileManager.default.removeItem(at: RunFiles(root: root, run: walkerPPO[0]).summary)
        let withoutTask = try AggregateReport(
            results: ExperimentResults(configuration: configuration, root: root), root: root, baselineEpisodes: 3,
            options: options
        )
        #expect(
            withoutTask.notes == [
                "ppo: Walker2d-v4 has 0 of 2 runs finished (seeds 1, 2 missing)",
                "ppo: no runs on Walker2d-v4; its statistics cover 1 of 2 tasks",
            ])
        #expect(withoutTask.algorithms[1].runsPerTask == ["Hopper-v4": 2])
        #expect(withoutTask.markdown().contains("- ppo: Walker2d-v4 has 0 of 2 runs finished (seeds 1, 2 missing)"))
    }
}
