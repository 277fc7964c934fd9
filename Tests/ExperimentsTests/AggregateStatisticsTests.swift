import Foundation
import Testing

@testable import Experiments

@Suite struct AggregateStatisticsTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance }

    @Test func interquartileMeanTrimsAQuarterFromEachEndRoundingDown() {
        // n = 8: drop 2 from each end, mean of 3, 4, 5, 6.
        #expect(close(AggregateStatistics.interquartileMean([8, 1, 7, 2, 6, 3, 5, 4]), 4.5))
        // n = 5: ⌊5/4⌋ = 1 from each end of 1, 2, 3, 10, 50 → mean of 2, 3, 10 (SciPy's trim_mean).
        #expect(close(AggregateStatistics.interquartileMean([10, 1, 3, 2, 50]), 5))
        // n = 6: one from each end of 0, 1, 2, 3, 4, 100 → mean of 1, 2, 3, 4.
        #expect(close(AggregateStatistics.interquartileMean([100, 0, 4, 1, 3, 2]), 2.5))
        // n = 3: nothing trimmed.
        #expect(close(AggregateStatistics.interquartileMean([1, 2, 9]), 4))
    }

    @Test func medianAndMeanAreOverPerTaskMeansAndIQMAndGapOverPooledRuns() throws {
        let scores = AlgorithmScores(label: "a", scores: ["A": [0.2, 0.4], "B": [1.0], "C": [0.5, 0.7, 0.9]])
        // Task means 0.3, 1.0, 0.7.
        #expect(close(try AggregateStatistics.pointEstimate(.median, normalized: scores), 0.7))
        #expect(close(try AggregateStatistics.pointEstimate(.mean, normalized: scores), 2.0 / 3))
        // Pooled 0.2, 0.4, 0.5, 0.7, 0.9, 1.0: trim one each end → mean of 0.4, 0.5, 0.7, 0.9.
        #expect(close(try AggregateStatistics.pointEstimate(.iqm, normalized: scores), 0.625))
        // Gaps 0.8, 0.6, 0, 0.5, 0.3, 0.1 → 2.3 / 6.
        #expect(close(try AggregateStatistics.pointEstimate(.optimalityGap, normalized: scores), 2.3 / 6))
        // An even number of tasks: the median averages the two middle task means.
        let even = AlgorithmScores(label: "b", scores: ["A": [0], "B": [1], "C": [3], "D": [10]])
        #expect(close(try AggregateStatistics.pointEstimate(.median, normalized: even), 2))
    }

    @Test func optimalityGapCountsOnlyTheShortfallBelowOne() throws {
        let scores = AlgorithmScores(label: "a", scores: ["A": [1.5, 0.5], "B": [1.0, -0.5]])
        // max(0, 1 − s): 0, 0.5, 0, 1.5.
        #expect(close(try AggregateStatistics.pointEstimate(.optimalityGap, normalized: scores), 0.5))
    }

    @Test func normalisationMapsLowToZeroAndHighToOne() throws {
        let raw = AlgorithmScores(label: "spo", scores: ["Hopper-v4": [100, 300, 200, 400, 0]])
        let normalized = try AggregateStatistics.normalize(
            raw, bounds: ["Hopper-v4": NormalizationBounds(low: 100, high: 300)])
        #expect(normalized.scores["Hopper-v4"] == [0, 1, 0.5, 1.5, -0.5])
        #expect(normalized.label == "spo")
    }

    @Test func percentileInterpolatesLinearlyLikeNumPy() {
        let sorted: [Double] = [1, 2, 3, 4, 5]
        #expect(close(AggregateStatistics.percentile(sorted: sorted, 0.5), 3))
        #expect(close(AggregateStatistics.percentile(sorted: sorted, 0.025), 1.1))
        #expect(close(AggregateStatistics.percentile(sorted: sorted, 0.975), 4.9))
        #expect(close(AggregateStatistics.percentile(sorted: sorted, 1), 5))
    }

    static let fiveSeeds: [String: [Double]] = [
        "A": [0.2, 0.5, 0.8, 0.4, 0.6],
        "B": [0.9, 1.1, 1.0, 0.7, 1.3],
        "C": [0.1, 0.3, 0.2, 0.4, 0.0],
    ]

    @Test func bootstrapIntervalContainsThePointEstimateAndShrinksWithMoreSeeds() throws {
        let options = BootstrapOptions(resamples: 2000, seed: 7)
        let few = AlgorithmScores(label: "a", scores: Self.fiveSeeds)
        // Fifty seeds per task with the same distribution: each value ten times.
        let many = AlgorithmScores(
            label: "a", scores: Self.fiveSeeds.mapValues { values in (0..<10).flatMap { _ in values } })
        let small = try AggregateStatistics.bootstrap(normalized: few, thresholds: [0, 0.5], options: options).estimates
        let large = try AggregateStatistics.bootstrap(normalized: many, thresholds: [0, 0.5], options: options)
            .estimates
        for metric in AggregateMetric.allCases {
            let a = small[metric]!, b = large[metric]!
            #expect(a.lower <= a.point && a.point <= a.upper, "\(metric)")
            #expect(b.lower <= b.point && b.point <= b.upper, "\(metric)")
            if metric != .iqm {  // the IQM's trimmed count depends on n, the others only on the distribution
                #expect(close(a.point, b.point), "\(metric): same distribution, same point estimate")
            }
            #expect(b.upper - b.lower < 0.6 * (a.upper - a.lower), "\(metric): \(a) vs \(b)")
            #expect(a.upper > a.lower, "\(metric)")
        }
    }

    @Test func theSameSeedGivesTheSameIntervalsAndAnotherSeedOthers() throws {
        let scores = AlgorithmScores(label: "a", scores: Self.fiveSeeds)
        let run = { (seed: UInt64) in
            try AggregateStatistics.bootstrap(
                normalized: scores, thresholds: [0, 0.5, 1], options: BootstrapOptions(resamples: 500, seed: seed))
        }
        let first = try run(1), again = try run(1), other = try run(2)
        #expect(first.estimates == again.estimates)
        #expect(first.profile == again.profile)
        #expect(first.estimates != other.estimates)
    }

    @Test func performanceProfileIsTheFractionOfPooledRunsStrictlyAboveTau() throws {
        let scores = AlgorithmScores(label: "a", scores: ["A": [-0.5, 0.5], "B": [1.0, 1.5]])
        #expect(
            try AggregateStatistics.profile(normalized: scores, thresholds: [-1, 0, 0.5, 1, 2]) == [
                1, 0.75, 0.5, 0.25, 0,
            ])
        // Unequal runs per task: pooled over the 3 runs.
        let uneven = AlgorithmScores(label: "b", scores: ["A": [0.2, 0.4], "B": [1.0]])
        #expect(try AggregateStatistics.profile(normalized: uneven, thresholds: [0.3]) == [2.0 / 3])
        let bootstrapped = try AggregateStatistics.bootstrap(
            normalized: scores, thresholds: [-1, 0, 1, 2], options: BootstrapOptions(resamples: 300))
        #expect(bootstrapped.profile.fractions == [1, 0.75, 0.25, 0])
        #expect(bootstrapped.profile.lower.first == 1 && bootstrapped.profile.upper.last == 0)
        for i in 0..<4 {
            #expect(bootstrapped.profile.lower[i] <= bootstrapped.profile.fractions[i])
            #expect(bootstrapped.profile.fractions[i] <= bootstrapped.profile.upper[i])
        }
    }

    @Test func defaultThresholdsCoverZeroToOneAndEveryScore() {
        let grid = AggregateStatistics.defaultThresholds(normalized: [
            AlgorithmScores(label: "a", scores: ["A": [0.3, 0.9]])
        ])
        #expect(grid.count == 101 && grid.first == 0 && close(grid.last!, 1))
        let wide = AggregateStatistics.defaultThresholds(normalized: [
            AlgorithmScores(label: "a", scores: ["A": [-0.23, 1.2]])
        ])
        #expect(close(wide.first!, -0.3) && close(wide.last!, 1.3))
    }

    @Test func refusesStatisticsThatNeedMoreRunsThanExist() throws {
        let options = BootstrapOptions(resamples: 10)
        let oneSeed = AlgorithmScores(
            label: "spo 3-layer", scores: ["Hopper-v4": [0.5], "Ant-v4": [0.2, 0.3], "Walker2d-v4": [0.4]])
        #expect(
            throws: StatisticsError.tooFewRuns(
                algorithm: "spo 3-layer", statistic: "a 95% stratified bootstrap interval", required: 2,
                found: ["Hopper-v4": 1, "Walker2d-v4": 1]
            )
        ) { try AggregateStatistics.bootstrap(normalized: oneSeed, thresholds: [0], options: options) }
        let message = StatisticsError.tooFewRuns(
            algorithm: "spo 3-layer", statistic: "a 95% stratified bootstrap interval", required: 2,
            found: ["Hopper-v4": 1, "Walker2d-v4": 1]
        ).description
        #expect(
            message
                == "spo 3-layer: a 95% stratified bootstrap interval needs at least 2 runs per task; "
                + "Hopper-v4 has 1, Walker2d-v4 has 1"
        )

        #expect(throws: StatisticsError.noScores(algorithm: "ppo")) {
            try AggregateStatistics.pointEstimate(.iqm, normalized: AlgorithmScores(label: "ppo", scores: [:]))
        }
        #expect(
            throws: StatisticsError.tooFewRuns(
                algorithm: "ppo", statistic: "the IQM", required: 1, found: ["Ant-v4": 0])
        ) {
            try AggregateStatistics.pointEstimate(
                .iqm, normalized: AlgorithmScores(label: "ppo", scores: ["Ant-v4": []]))
        }
        #expect(throws: StatisticsError.noScores(algorithm: nil)) {
            try AggregateReport.compute(scores: [], bounds: [:])
        }
        // Every task of the only algorithm empty: nothing to aggregate.
        #expect(throws: StatisticsError.noScores(algorithm: nil)) {
            try AggregateReport.compute(
                scores: [AlgorithmScores(label: "ppo", scores: ["Ant-v4": []])], bounds: [:], options: options)
        }
        #expect(throws: StatisticsError.invalidOption("the number of bootstrap resamples must be at least 1, got 0")) {
            try AggregateStatistics.bootstrap(
                normalized: AlgorithmScores(label: "a", scores: Self.fiveSeeds), thresholds: [0],
                options: BootstrapOptions(resamples: 0))
        }
    }

    @Test func refusesMissingOrInvalidNormalisationAndNonFiniteScores() {
        let raw = AlgorithmScores(label: "spo", scores: ["Hopper-v4": [1, 2], "Ant-v4": [3, 4]])
        #expect(throws: StatisticsError.missingNormalization(tasks: ["Ant-v4"])) {
            try AggregateStatistics.normalize(raw, bounds: ["Hopper-v4": NormalizationBounds(low: 0, high: 1)])
        }
        #expect(throws: StatisticsError.invalidNormalization(task: "Hopper-v4", low: 5, high: 5)) {
            try AggregateStatistics.normalize(
                AlgorithmScores(label: "spo", scores: ["Hopper-v4": [1]]),
                bounds: ["Hopper-v4": NormalizationBounds(low: 5, high: 5)])
        }
        #expect(throws: StatisticsError.self) {
            try AggregateStatistics.normalize(
                AlgorithmScores(label: "spo", scores: ["Hopper-v4": [.nan]]),
                bounds: ["Hopper-v4": NormalizationBounds(low: 0, high: 1)])
        }
    }

    @Test func reportNotesMissingRunsAndRendersMarkdownAndCSV() throws {
        let bounds = [
            "Ant-v4": NormalizationBounds(low: 0, high: 100), "Hopper-v4": NormalizationBounds(low: 0, high: 1000),
        ]
        let scores = [
            AlgorithmScores(label: "spo 3-layer", scores: ["Ant-v4": [50, 60, 70], "Hopper-v4": [500, 900, 1100]]),
            AlgorithmScores(label: "ppo, 7-layer", scores: ["Ant-v4": [10, 20, .nan], "Hopper-v4": []]),
            AlgorithmScores(label: "spo 7-layer", scores: ["Ant-v4": [.nan]]),
        ]
        let report = try AggregateReport.compute(
            scores: scores, bounds: bounds, options: BootstrapOptions(resamples: 200, seed: 3))
        #expect(report.tasks == ["Ant-v4", "Hopper-v4"])
        #expect(report.algorithms.map(\.label) == ["spo 3-layer", "ppo, 7-layer"])
        #expect(
            report.notes == [
                "ppo, 7-layer: Ant-v4 has 1 run without a finite score, left out",
                "spo 7-layer: Ant-v4 has 1 run without a finite score, left out",
                "spo 7-layer: no runs with a score on any task, left out",
                "ppo, 7-layer: no runs on Hopper-v4; its statistics cover 1 of 2 tasks",
            ])
        let spo = report.algorithms[0]
        #expect(spo.runsPerTask == ["Ant-v4": 3, "Hopper-v4": 3])
        #expect(close(spo.taskMeans["Ant-v4"]!, 0.6) && close(spo.taskMeans["Hopper-v4"]!, 2.5 / 3))
        // Pooled 0.5, 0.5, 0.6, 0.7, 0.9, 1.1 → trim one each end → 0.675.
        #expect(close(spo.estimate(.iqm).point, 0.675))
        #expect(close(report.algorithms[1].estimate(.mean).point, 0.15))

        let markdown = report.markdown()
        #expect(markdown.contains("| algorithm | runs | Median | IQM | Mean | Optimality Gap |"))
        let e = spo.estimate(.iqm)
        #expect(markdown.contains(String(format: "%.3f [%.3f, %.3f]", e.point, e.lower, e.upper)))
        #expect(markdown.contains("| spo 3-layer | 6 | "))
        #expect(markdown.contains("| ppo, 7-layer | 0.150 (2) | missing |"))
        #expect(markdown.contains("| Hopper-v4 | 0.0 | 1000.0 |"))
        #expect(markdown.contains("- ppo, 7-layer: no runs on Hopper-v4"))

        let rows = report.csv().split(separator: "\n").map(String.init)
        #expect(
            rows[0]
                == "algorithm,runs,median,median_low,median_high,iqm,iqm_low,iqm_high,mean,mean_low,mean_high,"
                + "optimality_gap,optimality_gap_low,optimality_gap_high"
        )
        #expect(rows.count == 3)
        let spoRow = rows[1].split(separator: ",").map(String.init)
        #expect(spoRow[0] == "spo 3-layer" && spoRow[1] == "6" && spoRow.count == 14)
        #expect(Double(spoRow[5]) == e.point && Double(spoRow[6]) == e.lower && Double(spoRow[7]) == e.upper)
        #expect(rows[2].hasPrefix("\"ppo, 7-layer\",2,"))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aggregate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files =
            try report.writeTables(to: directory.appendingPathComponent("out"), title: "smoke")
            + report.writeFigures(to: directory.appendingPathComponent("out"), title: "smoke")
        #expect(
            files.map(\.lastPathComponent) == [
                "aggregate.md", "aggregate.csv", "aggregate-intervals.svg", "aggregate-profiles.svg",
            ])
        #expect(try String(contentsOf: files[0], encoding: .utf8) == "# smoke\n\n" + markdown)
        #expect(try String(contentsOf: files[1], encoding: .utf8) == report.csv())
        #expect(try String(contentsOf: files[2], encoding: .utf8).contains("smoke: aggregate metrics"))
        #expect(try String(contentsOf: files[3], encoding: .utf8).contains("smoke: performance profiles"))
    }
}
