import Foundation
import FoundationXML
import Learning
import Testing

@testable import Experiments

/// Runs an experiment in this process into a scratch results root.
func runExperiment(_ configuration: ExperimentConfiguration, root: URL) -> ExperimentRunner.Tally {
    ExperimentRunner(configuration: configuration, root: root).run { _ in }
}

@Suite("Tables and figures")
struct ReportTests {
    @Test(
        """
        the smoke experiment end to end: table rows with numbers from the runs, partial results named, \
        SVG curves with labels
        """
    )
    func smokeTableAndPlots() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let full = try ExperimentConfiguration.load(
            path: projectRoot.appendingPathComponent("experiments/smoke.json").path)
        // Leave one run out, to check partial results.
        var partial = full
        partial.runs.removeLast()
        let tally = runExperiment(partial, root: root)
        #expect(tally.finished == full.runs.count - 1 && tally.failed == 0)

        let results = ExperimentResults(configuration: full, root: root)
        #expect(results.missing.map(\.id) == [full.runs.last!.id])
        #expect(results.missingNote.contains(full.runs.last!.id))
        let table = ResultsTable(results)
        #expect(table.rows.count == 4)
        let hopperSPO = try #require(table.rows.first { $0.task == "Hopper-v4" && $0.algorithm == "spo" })
        #expect(hopperSPO.seeds == 2 && hopperSPO.expectedSeeds == 2)
        let walkerPPO = try #require(table.rows.first { $0.task == "Walker2d-v4" && $0.algorithm == "ppo" })
        #expect(walkerPPO.seeds == 1 && walkerPPO.expectedSeeds == 2)
        // The row's numbers are the summaries' numbers.
        let summaries = results.groups.first { $0.task == "Hopper-v4" && $0.algorithm == "spo" }!.summaries
        #expect(hopperSPO.finalReturns == summaries.map(\.finalReturn) && hopperSPO.finalReturns.allSatisfy(\.isFinite))
        let (mean, deviation) = ResultsTable.meanAndDeviation(hopperSPO.finalReturns)
        #expect(
            table.markdown.contains(
                "| Hopper-v4 | spo | 3-layer | 2/2 | \(ResultsTable.format(mean, digits: 1)) ± "
                    + "\(ResultsTable.format(deviation, digits: 1)) |"
            ))
        #expect(table.markdown.contains("| Walker2d-v4 | ppo | 3-layer | 1/2 |"))
        // 1024-step runs do not match the papers' 10M-step setting: no published numbers beside them.
        #expect(hopperSPO.publishedICML == nil)
        let csv = table.csv.split(separator: "\n")
        #expect(csv.count == 5 && csv[0].hasPrefix("task,algorithm,network,seeds"))

        let figures = try LearningCurveFigures.write(results, to: root.appendingPathComponent("plots"), bins: 8)
        #expect(figures.map(\.lastPathComponent) == ["return.svg", "ratio-deviation.svg", "kl.svg", "entropy.svg"])
        for figure in figures {
            let data = try Data(contentsOf: figure)
            let parser = XMLParser(data: data)
            #expect(parser.parse(), "\(figure.lastPathComponent) is not well-formed XML")
            let text = String(decoding: data, as: UTF8.self)
            for label in ["Hopper-v4", "Walker2d-v4", "spo", "ppo", "environment steps"] {
                #expect(text.contains(label), "\(figure.lastPathComponent) lacks '\(label)'")
            }
        }
    }

    @Test("published numbers are shown beside runs whose setting matches the papers'")
    func publishedMatch() throws {
        let configuration = try ExperimentConfiguration.load(
            path: projectRoot.appendingPathComponent("experiments/icml-table.json").path)
        let results = ExperimentResults(configuration: configuration, root: URL(fileURLWithPath: "/nonexistent"))
        #expect(results.missing.count == configuration.runs.count)
        let table = ResultsTable(results)
        let deepPPO = try #require(
            table.rows.first { $0.task == "Ant-v4" && $0.algorithm == "ppo" && $0.network == "7-layer" })
        #expect(deepPPO.publishedICML?.averageReturn == 1002.8 && deepPPO.publishedICML?.ratioDeviation == 548.060)
        #expect(deepPPO.publishedArXiv?.averageReturn == 527.4)
        #expect(
            table.markdown.contains(
                "| Ant-v4 | ppo | 7-layer | 0/5 | n/a | n/a | n/a | n/a | 1002.8 (ICML), 527.4 (arXiv) | 548.060 |"))
        let arxiv = try ExperimentConfiguration.load(
            path: projectRoot.appendingPathComponent("experiments/arxiv-table.json").path)
        let rows = ResultsTable(ExperimentResults(configuration: arxiv, root: URL(fileURLWithPath: "/nonexistent")))
            .rows
        let kl03 = try #require(
            rows.first { $0.task == "Hopper-v4" && $0.algorithm == "spo-kl-0.03" && $0.network == "3-layer" })
        #expect(kl03.publishedArXiv?.averageReturn == 1632.6)
    }
}
