import Foundation
import Testing

@testable import Experiments

@Suite("spo overoptimize", .serialized)
struct OveroptimizationCommandTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("overoptimize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A small real run: 2 warm-up updates of 2 × 64 Hopper steps, then 3 epochs of 2 minibatches
    /// for spo and ppo at two ε each.
    let arguments = [
        "overoptimize", "--env", "Hopper-v4", "--algorithms", "spo,ppo", "--epsilons", "0.1,0.3",
        "--warmup-updates", "2", "--epochs", "3", "--envs", "2", "--horizon", "64", "--minibatches", "2", "--seed", "3",
    ]

    @Test(
        """
        a small run writes one row per algorithm, ε and epoch, the same bytes twice, \
        with a positive KL after epoch 1
        """
    )
    func deterministicRows() throws {
        var outputs: [[String: Data]] = []
        for attempt in 0..<2 {
            let out = directory.appendingPathComponent("run\(attempt)")
            let result = try SPOProcess.run(arguments + ["--out", out.path], in: directory)
            #expect(result.status == 0, "\(result.log)")
            #expect(result.log.contains("spo ε=0.1 epoch 3/3"), "progress lines on stderr: \(result.log)")
            var files: [String: Data] = [:]
            for name in [
                OveroptimizationReport.csvFile, OveroptimizationReport.klFigureFile,
                OveroptimizationReport.surrogateFigureFile,
            ] {
                files[name] = try Data(contentsOf: out.appendingPathComponent(name))
            }
            outputs.append(files)
        }
        #expect(outputs[0] == outputs[1])

        let csv = String(decoding: outputs[0][OveroptimizationReport.csvFile]!, as: UTF8.self)
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "algorithm,epsilon,epoch,kl,ratio_deviation,ratio_deviation_max,surrogate,trigger_fraction")
        let rows = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(
            rows.map { "\($0[0]) \($0[1]) \($0[2])" } == [
                "spo 0.1 1", "spo 0.1 2", "spo 0.1 3", "spo 0.3 1", "spo 0.3 2", "spo 0.3 3",
                "ppo 0.1 1", "ppo 0.1 2", "ppo 0.1 3", "ppo 0.3 1", "ppo 0.3 2", "ppo 0.3 3",
            ])
        for row in rows {
            let values = row[3...].map { Double($0)! }
            #expect(values.allSatisfy { $0.isFinite }, "\(row)")
            let (kl, deviation, maxDeviation, trigger) = (values[0], values[1], values[2], values[4])
            #expect(kl > 0 && deviation > 0 && maxDeviation >= deviation, "\(row)")
            #expect((0...1).contains(trigger), "\(row)")
        }

        let kl = try SVGContents.parse(
            String(decoding: outputs[0][OveroptimizationReport.klFigureFile]!, as: UTF8.self))
        #expect(kl.count("polyline") == 4)
        #expect(kl.texts.contains("spo ε=0.3") && kl.texts.contains("ppo ε=0.1"))
        #expect(kl.texts.contains { $0.hasPrefix("10⁻") }, "a logarithmic KL axis: \(kl.texts)")
        let surrogate = try SVGContents.parse(
            String(decoding: outputs[0][OveroptimizationReport.surrogateFigureFile]!, as: UTF8.self))
        #expect(surrogate.count("polyline") == 4)
    }

    @Test(
        "bad input is refused with exit status 2, naming the problem, before anything is written",
        arguments: [
            (
                ["--algorithms", "spo,trpo"],
                "'trpo' is not a first-order objective; "
                    + "valid algorithms (the first-order objectives): spo, ppo, ppo-penalty"
            ),
            (["--algorithms", "sop"], "unknown algorithm 'sop'; valid algorithms"),
            (["--epsilons", "0.2,0"], "epsilon must be positive, got 0.0"),
            (["--epsilons", "-0.1"], "epsilon must be positive, got -0.1"),
            (["--epsilons", "0.2,x"], "--epsilons: 'x' is not a number"),
            (["--epochs", "0"], "epochs must be at least 1, got 0"),
            (["--env", "Hoper-v4"], "unknown task 'Hoper-v4'; valid tasks:"),
        ])
    func validation(options: [String], message: String) throws {
        let out = directory.appendingPathComponent("refused")
        let result = try SPOProcess.run(["overoptimize"] + options + ["--out", out.path], in: directory)
        #expect(result.status == 2)
        #expect(result.log.contains("error: " + message), "\(result.log)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}

@Suite struct LogarithmicAxisTests {
    @Test func decadesAndTheirLabels() {
        let ticks = AxisTicks.decades(low: 0.0004, high: 2)
        #expect(AxisTicks.powerLabels(ticks) == ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹"])
        // 21 decades: every third power, so at most nine ticks.
        #expect(
            AxisTicks.powerLabels(AxisTicks.decades(low: 1e-9, high: 1e12)) == [
                "10⁻⁹", "10⁻⁶", "10⁻³", "10⁰", "10³", "10⁶", "10⁹", "10¹²",
            ])
        #expect(AxisTicks.decades(low: 10, high: 10) == [10, 100])
        #expect(AxisTicks.decades(low: 0, high: 1) == [1, 10])
    }

    @Test func nonPositiveValuesLeaveGapsOnALogarithmicAxis() throws {
        let series = CurveSeries(
            label: "kl", x: [1, 2, 3, 4, 5], mean: [1e-3, 1e-2, 0, 1, 10],
            lower: [Double](repeating: .nan, count: 5), upper: [Double](repeating: .nan, count: 5))
        let panel = CurvePanel(title: "KL", xLabel: "epoch", yLabel: "KL", series: [series], yScale: .logarithmic)
        let contents = try SVGContents.parse(SVGFigure.learningCurves(panels: [panel], columns: 1, title: "log"))
        #expect(contents.count("polyline") == 2)  // 0 has no place: the line breaks there
        #expect(contents.count("polygon") == 0)  // no band
        for label in ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹"] { #expect(contents.texts.contains(label)) }
        let linear = CurvePanel(title: "KL", xLabel: "epoch", yLabel: "KL", series: [series])
        #expect(
            try SVGContents.parse(SVGFigure.learningCurves(panels: [linear], columns: 1, title: "linear")).count(
                "polyline") == 1)
    }
}
