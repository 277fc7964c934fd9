import Foundation
import Testing

@testable import Experiments

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses an SVG document and collects its element names and the text of its `text` elements.
final class SVGContents: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var texts: [String] = []
    private var current: String?

    static func parse(_ svg: String) throws -> SVGContents {
        let contents = SVGContents()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = contents
        guard parser.parse() else {
            throw ExperimentError.io(
                path: "svg", reason: "not well-formed XML: \(String(describing: parser.parserError))")
        }
        return contents
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(elementName)
        if elementName == "text" { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current? += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if elementName == "text", let text = current {
            texts.append(text)
            current = nil
        }
    }

    func count(_ element: String) -> Int { elements.filter { $0 == element }.count }
}

@Suite struct SVGFigureTests {
    @Test func niceTicksAndLabels() {
        let steps = AxisTicks.nice(low: 0, high: 10_000_000)
        #expect(AxisTicks.labels(steps) == ["0", "2M", "4M", "6M", "8M", "10M"])
        #expect(AxisTicks.labels(AxisTicks.nice(low: 0, high: 1)) == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(AxisTicks.labels(AxisTicks.nice(low: 130, high: 1480)) == ["0", "500", "1000", "1500"])
        #expect(AxisTicks.labels([0, 25_000, 50_000]) == ["0", "25k", "50k"])
        #expect(AxisTicks.labels([-0.5, 0, 0.5]) == ["-0.5", "0", "0.5"])
        #expect(AxisTicks.labels([0, 500_000, 1_000_000, 1_500_000]) == ["0", "0.5M", "1.0M", "1.5M"])
        let flat = AxisTicks.nice(low: 3, high: 3)
        #expect(flat.first! <= 3 && flat.last! >= 3 && flat.count >= 2)
    }

    @Test func curvesAcrossSeedsAverageWithinBinsThenAcrossSeeds() {
        let seedA: [(x: Double, y: Double)] = [(500, 10), (1000, 20), (1500, 30), (3000, 50), (2000, .nan)]
        let seedB: [(x: Double, y: Double)] = [(800, 0), (2900, 70)]
        let series = CurveSeries.acrossSeeds(label: "spo", runs: [seedA, seedB], bins: 3)
        #expect(series.label == "spo" && series.x == [1000, 2000, 3000])
        // Bin 1: seed A 15, seed B 0; bin 2: only seed A's 30; bin 3: 50 and 70.
        #expect(series.mean == [7.5, 30, 60])
        #expect(series.lower == [0, 30, 50] && series.upper == [15, 30, 70])
        let longer = CurveSeries.acrossSeeds(label: "spo", runs: [seedA, seedB], bins: 4, end: 4000)
        #expect(longer.x == [1000, 2000, 3000, 4000] && longer.mean[3].isNaN && longer.mean[2] == 60)
        #expect(CurveSeries.acrossSeeds(label: "none", runs: []).x.isEmpty)
    }

    @Test func learningCurvesParseAndShowPanelsLegendAndTicks() throws {
        let x = (0...10).map { Double($0) * 1_000_000 }
        var mean = x.map { $0 / 10_000 }
        mean[5] = .nan  // a gap splits the line
        let spo = CurveSeries(
            label: "spo <3-layer> & co", x: x, mean: mean, lower: mean.map { $0 - 50 }, upper: mean.map { $0 + 50 })
        let ppo = CurveSeries(
            label: "ppo 7-layer", x: x, mean: x.map { $0 / 20_000 }, lower: x.map { $0 / 25_000 },
            upper: x.map { $0 / 15_000 })
        let panels = [
            CurvePanel(title: "Hopper-v4", xLabel: "environment steps", yLabel: "episodic return", series: [spo, ppo]),
            CurvePanel(title: "Walker2d-v4", xLabel: "environment steps", yLabel: "episodic return", series: [ppo]),
            CurvePanel(title: "Empty-v0", xLabel: "environment steps", yLabel: "episodic return", series: []),
        ]
        let svg = SVGFigure.learningCurves(panels: panels, columns: 2, title: "Returns \"smoke\"")
        #expect(!svg.lowercased().contains("nan") && !svg.contains("inf"))
        let contents = try SVGContents.parse(svg)
        #expect(contents.texts.contains("Returns \"smoke\""))
        for title in ["Hopper-v4", "Walker2d-v4", "Empty-v0"] { #expect(contents.texts.contains(title)) }
        // One legend entry per label, though ppo is in two panels.
        #expect(contents.texts.filter { $0 == "spo <3-layer> & co" }.count == 1)
        #expect(contents.texts.filter { $0 == "ppo 7-layer" }.count == 1)
        for tick in ["0", "2M", "4M", "10M", "1000"] { #expect(contents.texts.contains(tick), "\(tick)") }
        #expect(contents.texts.contains("environment steps") && contents.texts.contains("episodic return"))
        // spo: two line pieces around the gap; ppo: one per panel.
        #expect(contents.count("polyline") == 4)
        #expect(contents.count("polygon") == 4)
        #expect(svg.contains(FigurePalette.colors[0]) && svg.contains(FigurePalette.colors[1]))
    }

    func report() throws -> AggregateReport {
        let bounds = [
            "Ant-v4": NormalizationBounds(low: 0, high: 100), "Hopper-v4": NormalizationBounds(low: 0, high: 1000),
        ]
        return try AggregateReport.compute(
            scores: [
                AlgorithmScores(
                    label: "spo 3-layer", scores: ["Ant-v4": [50, 60, 70], "Hopper-v4": [500, 900, 1100]]),
                AlgorithmScores(
                    label: "ppo 3-layer", scores: ["Ant-v4": [10, 20, 90], "Hopper-v4": [100, 300, 200]]),
            ],
            bounds: bounds, options: BootstrapOptions(resamples: 200, seed: 1)
        )
    }

    @Test func intervalPlotsShowEveryStatisticAndAlgorithm() throws {
        let report = try report()
        let contents = try SVGContents.parse(SVGFigure.intervalEstimates(report, title: "Aggregate metrics"))
        for title in ["Aggregate metrics", "Median", "IQM", "Mean", "Optimality Gap", "spo 3-layer", "ppo 3-layer"] {
            #expect(contents.texts.contains(title), "\(title)")
        }
        #expect(contents.texts.filter { $0 == "Normalized Score" }.count == 4)
        // One interval bar and one point tick per algorithm and statistic (plus the frames).
        #expect(contents.count("rect") >= 1 + 4 + 8)
        #expect(contents.texts.contains { $0.contains("95% stratified bootstrap") })
    }

    @Test func performanceProfilesShowOneLineAndBandPerAlgorithm() throws {
        let report = try report()
        let contents = try SVGContents.parse(SVGFigure.performanceProfiles(report, title: "Performance profiles"))
        #expect(contents.texts.contains("Performance profiles"))
        #expect(contents.texts.contains("spo 3-layer") && contents.texts.contains("ppo 3-layer"))
        #expect(contents.texts.contains("Fraction of runs with score > τ"))
        #expect(contents.count("polyline") == 2 && contents.count("polygon") == 2)
        for tick in ["0", "0.5", "1.0"] { #expect(contents.texts.contains(tick), "\(tick)") }
    }
}
