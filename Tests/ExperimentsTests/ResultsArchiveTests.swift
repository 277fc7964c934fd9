import Foundation
import FoundationXML
import Learning
import Testing

@testable import Experiments

/// Every file under `directory`, by path relative to it.
private func snapshot(_ directory: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = try #require(
        FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]))
    for case let url as URL in enumerator {
        guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
        files[String(url.path.dropFirst(directory.path.count + 1))] = try Data(contentsOf: url)
    }
    return files
}

@Suite("Results archive")
struct ResultsArchiveTests {
    /// Hopper, spo and ppo, 2 seeds of 8,000 steps in 250 updates of 32 steps: more update and
    /// episode rows than the archive's 200 windows.
    static let configurationText = """
        name: tiny
        tasks: [Hopper-v4]
        algorithms: [spo, ppo]
        seeds: [1, 2]
        totalSteps: 8000
        hyperparameters: {environments: 4, horizon: 8, epochs: 1, minibatches: 1, workers: 1}
        evaluation: {episodes: 1}
        checkpointEvery: 100
        """

    @Test(
        """
        a real results tree archived: small CSVs at window centres, the same tables, figures, \
        unfinished runs skipped, idempotent
        """
    )
    func archiveRealRuns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let live = directory.appendingPathComponent("results"), out = directory.appendingPathComponent("archive")
        let configFile = directory.appendingPathComponent("tiny.yaml")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.configurationText.write(to: configFile, atomically: true, encoding: .utf8)
        let configuration = try ExperimentConfiguration.load(path: configFile.path)
        var partial = configuration
        partial.runs.removeLast()
        #expect(runExperiment(partial, root: live).finished == 3)

        // Three of four runs finished: those three are archived, the fourth is not.
        let first = try ResultsArchive.write(configuration, from: live, to: out)
        #expect(first.map(\.id) == partial.runs.map(\.id))
        #expect(!FileManager.default.fileExists(atPath: RunFiles(root: out, run: configuration.runs[3]).directory.path))

        // The last run finishes; the random-policy baselines get measured (by --aggregate) on the live tree.
        #expect(runExperiment(configuration, root: live).finished == 4)
        let liveResults = ExperimentResults(configuration: configuration, root: live)
        let liveAggregate = try AggregateReport(
            results: liveResults, root: live, options: BootstrapOptions(resamples: 200))
        let before = try snapshot(out)
        let second = try ResultsArchive.write(configuration, from: live, to: out)
        #expect(second.map(\.id) == configuration.runs.map(\.id))
        let after = try snapshot(out)
        for (path, data) in before { #expect(after[path] == data, "\(path) changed when archived again") }
        #expect(Set(after.keys).subtracting(before.keys).count == 5, "the new run's 4 files and random-baselines.json")
        #expect(try ResultsArchive.write(configuration, from: live, to: out).count == 4)
        #expect(try snapshot(out) == after, "archiving an unchanged tree again changes nothing")

        // Per run: run.json and summary.json as they are; CSVs reduced to window means at window centres.
        let width = Double(configuration.totalSteps) / Double(ResultsArchive.windows)
        for run in configuration.runs {
            let source = RunFiles(root: live, run: run), archived = RunFiles(root: out, run: run)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: archived.directory.path).sorted()
                    == ["episodes.csv", "run.json", "summary.json", "updates.csv"])
            #expect(try Data(contentsOf: archived.specification) == Data(contentsOf: source.specification))
            #expect(try Data(contentsOf: archived.summary) == Data(contentsOf: source.summary))
            let csvFiles = [
                (source.updates, archived.updates, "episodic_return"), (source.episodes, archived.episodes, "return"),
            ]
            for (liveCSV, archivedCSV, column) in csvFiles {
                let full = try #require(CSVTable(contentsOf: liveCSV)),
                    reduced = try #require(CSVTable(contentsOf: archivedCSV))
                #expect(full.rows.count > ResultsArchive.windows && reduced.rows.count <= ResultsArchive.windows)
                #expect(try Data(contentsOf: archivedCSV).count < Data(contentsOf: liveCSV).count)
                #expect(reduced.header == full.header.filter { !UpdateMetrics.timingColumns.contains($0) })
                // One row per window holding live rows, at the window's centre
                // (window w: steps in ((w − 1)·width, w·width]).
                let steps = reduced.column("global_step"), windows = steps.map { Int(($0 / width + 0.5).rounded()) }
                #expect(zip(steps, windows).allSatisfy { abs($0 - (Double($1) - 0.5) * width) < 1e-9 })
                let fullSteps = full.column("global_step")
                #expect(windows == Array(Set(fullSteps.map { Int(($0 / width).rounded(.up)) })).sorted())
                // Each row is the mean of the live rows' finite values in its window (NaN when none).
                let fullValues = full.column(column), reducedValues = reduced.column(column)
                for (index, window) in windows.enumerated() {
                    let values = fullSteps.indices.filter { Int((fullSteps[$0] / width).rounded(.up)) == window }
                        .map { fullValues[$0] }.filter(\.isFinite)
                    let mean = values.reduce(0, +) / Double(values.count)
                    let matches =
                        values.isEmpty
                        ? reducedValues[index].isNaN
                        : abs(reducedValues[index] - mean) <= 1e-6 * max(1, abs(mean))
                    #expect(matches, "\(archivedCSV.lastPathComponent) window \(window)")
                }
            }
        }

        // The archive reads as the live tree: the same table and aggregate bytes, the random baselines copied.
        let archivedResults = ExperimentResults(configuration: configuration, root: out)
        #expect(archivedResults.missing.isEmpty)
        #expect(ResultsTable(archivedResults).markdown == ResultsTable(liveResults).markdown)
        #expect(ResultsTable(archivedResults).csv == ResultsTable(liveResults).csv)
        let baselines = AggregateReport.baselineCacheName
        #expect(
            try Data(contentsOf: out.appendingPathComponent(baselines))
                == Data(contentsOf: live.appendingPathComponent(baselines)))
        let archivedAggregate = try AggregateReport(
            results: archivedResults, root: out, options: BootstrapOptions(resamples: 200)
        )
        #expect(archivedAggregate.markdown() == liveAggregate.markdown())

        // Figures are drawn from the reduced curves.
        let figures = try LearningCurveFigures.write(archivedResults, to: out.appendingPathComponent("tiny/plots"))
        #expect(figures.map(\.lastPathComponent) == ["return.svg", "ratio-deviation.svg", "kl.svg", "entropy.svg"])
        for figure in figures {
            let data = try Data(contentsOf: figure)
            #expect(XMLParser(data: data).parse(), "\(figure.lastPathComponent) is not well-formed XML")
            let text = String(decoding: data, as: UTF8.self)
            #expect(
                text.contains("Hopper-v4") && text.contains("spo") && text.contains("ppo") && text.contains("<polyline")
            )
        }

        // The live results root itself, or through a symbolic link, is refused, naming the path; nothing is written.
        let link = directory.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: live)
        let liveFiles = try snapshot(live)
        for target in [live, link] {
            let reason = "is the live results root (--results \(live.path)); archive to another directory"
            #expect(throws: ExperimentError.io(path: target.path, reason: reason)) {
                try ResultsArchive.write(configuration, from: live, to: target)
            }
        }
        #expect(try snapshot(live) == liveFiles)
        let refused = try SPOProcess.run(
            ["archive", configFile.path, "--results", live.path, "--out", live.path], in: directory)
        #expect(refused.status == 1 && refused.log.contains("\(live.path): is the live results root"), "\(refused.log)")
    }

    @Test("reduction: window centres, means of finite values, NaN for none, timing columns dropped")
    func reduceColumns() throws {
        let table = CSVTable(
            """
            update,global_step,value,sps
            1,1,2,100
            2,2,nan,100
            3,3,nan,100
            4,8,1.23456789,100
            5,9,5,100

            """)
        // 400 steps in 200 windows of 2: steps 1 and 2 in window 1, 3 in window 2, 8 in window 4, 9 in window 5.
        let reduced = try #require(ResultsArchive.reduce(table, totalSteps: 400))
        #expect(reduced.rows == 4)
        #expect(reduced.text == "update,global_step,value\n1.5,1,2\n3,3,nan\n4,7,1.234568\n5,9,5\n")
        #expect(ResultsArchive.reduce(CSVTable("update,value\n1,2\n"), totalSteps: 400) == nil)
    }

    /// Found by the `csv` fuzz target: a step beyond Int's range trapped converting to a window.
    @Test("steps far outside the run, huge or negative, fall in the first or last window instead of trapping")
    func reduceHostileSteps() throws {
        let table = CSVTable("global_step,return\n4.3e300,1\n-1e300,2\n-5,3\n")
        let reduced = try #require(ResultsArchive.reduce(table, totalSteps: 400))
        #expect(reduced.text == "global_step,return\n1,2.5\n399,1\n")
        let curve = CurveSeries.acrossSeeds(label: "x", runs: [[(x: -1e300, y: 1), (x: 400, y: 3)]], bins: 4, end: 400)
        #expect(curve.mean[0] == 1 && curve.mean[1].isNaN && curve.mean[2].isNaN && curve.mean[3] == 3)
    }

    /// The benchmark report's evidence: its committed runs must stay matched to their configuration
    /// (ids are hashes of the settings) and its table must be what the code on main makes of them.
    @Test("the committed ICML-1m archive holds every run of its configuration and gives the committed table")
    func committedBenchmarkArchive() throws {
        let configuration = try ExperimentConfiguration.load(
            path: projectRoot.appendingPathComponent("experiments/icml-1m.json").path)
        let archive = projectRoot.appendingPathComponent("results/archive")
        let directories = try FileManager.default.contentsOfDirectory(
            atPath: archive.appendingPathComponent(configuration.name).path)
        #expect(Set(directories) == Set(configuration.runs.map(\.id)))
        let results = ExperimentResults(configuration: configuration, root: archive)
        #expect(results.missing.isEmpty && results.unreadable.isEmpty, "\(results.missingNote)")
        let reference = try ReferenceResults.load(
            path: projectRoot.appendingPathComponent("experiments/reference/authors-1m.json").path)
        let table = ResultsTable(results, reference: reference)
        let report = projectRoot.appendingPathComponent("docs/benchmarks/icml-1m")
        #expect(table.markdown == (try String(contentsOf: report.appendingPathComponent("table.md"), encoding: .utf8)))
        #expect(table.csv == (try String(contentsOf: report.appendingPathComponent("table.csv"), encoding: .utf8)))
    }
}

@Suite("Reference results")
struct ReferenceResultsTests {
    /// Hopper and Humanoid × ppo × both networks × 3 seeds × 1M steps; no run finished.
    func table(reference: ReferenceResults?) throws -> ResultsTable {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("grid.yaml")
        try """
        name: grid
        tasks: [Hopper-v4, Humanoid-v4]
        algorithms: [ppo]
        networks: [3-layer, 7-layer]
        seeds: [1, 2, 3]
        totalSteps: 1000000
        """.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try ExperimentConfiguration.load(path: file.path)
        let results = ExperimentResults(configuration: configuration, root: directory.appendingPathComponent("none"))
        return ResultsTable(results, reference: reference)
    }

    @Test(
        """
        the shipped authors' file: matching rows show its mean ± std and seeds, others dashes, \
        its source under the table
        """
    )
    func matching() throws {
        let path = projectRoot.appendingPathComponent("experiments/reference/authors-1m.json").path
        let reference = try ReferenceResults.load(path: path)
        #expect(reference.source.hasPrefix("SPO authors' code"))
        let hopper = try #require(
            reference.entry(task: "Hopper-v4", algorithm: "ppo", network: "3-layer", totalSteps: 1_000_000))
        #expect(hopper.seeds == [1, 2, 3] && hopper.finalReturns == [1022.2, 1359.5, 986.5])
        #expect(reference.entry(task: "Humanoid-v4", algorithm: "ppo", network: "7-layer", totalSteps: 204_800) != nil)

        let table = try table(reference: reference)
        let row = try #require(table.rows.first { $0.task == "Hopper-v4" && $0.network == "3-layer" })
        #expect(row.reference == hopper)
        // Humanoid has a 7-layer entry at 204,800 steps only: no match for the 1M-step row.
        #expect(table.rows.filter { $0.reference != nil }.count == 1)
        let cells = [hopper.finalReturns, hopper.ratioDeviations, hopper.meanKLs].enumerated().map { index, values in
            ResultsTable.formatPair(values, digits: [1, 4, 5][index])
        }
        let lines = table.markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasSuffix("| reference return | reference ratio dev. | reference KL | reference seeds |"))
        #expect(lines[0].split(separator: "|").count == lines[1].split(separator: "|").count)
        let referenceCells = " | \(cells.joined(separator: " | ")) | 3 |"
        #expect(lines.contains { $0.hasPrefix("| Hopper-v4 | ppo | 3-layer | 0/3 |") && $0.hasSuffix(referenceCells) })
        #expect(
            lines.contains {
                $0.hasPrefix("| Humanoid-v4 | ppo | 7-layer | 0/3 |") && $0.hasSuffix(" | — | — | — | — |")
            })
        #expect(table.markdown.contains("Reference: \(reference.source)"))
        let csv = table.csv.split(separator: "\n")
        #expect(csv[0].hasSuffix(",reference_kl_mean,reference_kl_std,reference_seeds"))
        let (mean, deviation) = ResultsTable.meanAndDeviation(hopper.finalReturns)
        #expect(
            csv.contains {
                $0.hasPrefix("Hopper-v4,ppo,3-layer,") && $0.contains(",\(mean),\(deviation),") && $0.hasSuffix(",3")
            })
        #expect(csv.contains { $0.hasPrefix("Humanoid-v4,ppo,7-layer,") && $0.hasSuffix(",,,,,,,") })

        // Without a reference the table has no reference columns.
        let plain = try self.table(reference: nil)
        #expect(!plain.markdown.contains("reference") && !plain.csv.contains("reference"))
    }

    @Test("an invalid reference file is refused naming the file and the field; spo table exits 2 and writes nothing")
    func invalid() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let shipped = try Data(contentsOf: projectRoot.appendingPathComponent("experiments/reference/authors-1m.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: shipped) as? [String: Any])
        var runs = try #require(object["runs"] as? [[String: Any]])
        runs[2]["kl"] = "0.004"
        runs[0]["task"] = nil
        runs[1]["seeds"] = [1, 2]
        object["runs"] = runs
        let file = directory.appendingPathComponent("authors-1m.json")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        let problems = [
            " runs[0].task: missing, expected a string",
            " runs[1].returnLast10: expected 2 numbers (one per seed), got 3",
            " runs[1].ratioDeviation: expected 2 numbers (one per seed), got 3",
            " runs[1].kl: expected 2 numbers (one per seed), got 3",
            " runs[2].kl: expected an array of numbers, got a string",
        ]
        #expect(throws: ExperimentError.invalidConfiguration(path: file.path, problems: problems)) {
            try ReferenceResults.load(path: file.path)
        }
        let broken = directory.appendingPathComponent("broken.json")
        try Data("{\"runs\": [".utf8).write(to: broken)
        #expect(throws: ExperimentError.invalidConfiguration(path: broken.path, problems: [" not valid JSON"])) {
            try ReferenceResults.load(path: broken.path)
        }
        let missing = directory.appendingPathComponent("missing.json").path
        #expect(
            throws: ExperimentError.io(
                path: missing, reason: "cannot read the reference file: No such file or directory")
        ) {
            try ReferenceResults.load(path: missing)
        }

        // spo table: exit status 2, the field named, no table written.
        let out = directory.appendingPathComponent("tables")
        let smoke = projectRoot.appendingPathComponent("experiments/smoke.json").path
        let arguments = ["table", smoke, "--results", directory.path, "--reference", file.path, "--out", out.path]
        let result = try SPOProcess.run(arguments, in: directory)
        #expect(result.status == 2, "\(result.log)")
        #expect(result.log.contains("authors-1m.json: runs[2].kl: expected an array of numbers"), "\(result.log)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
