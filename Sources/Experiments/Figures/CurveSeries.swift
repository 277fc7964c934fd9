import Foundation
import Learning

/// One line of a learning-curve panel: a label and, per x, the mean with a band (typically
/// mean ± one standard deviation across seeds). Non-finite values leave gaps.
public struct CurveSeries: Equatable, Sendable {
    /// The legend entry, e.g. "spo 7-layer"; the same label has the same colour in every panel.
    public var label: String
    /// The x values, ascending (e.g. environment steps).
    public var x: [Double]
    /// The mean at each x.
    public var mean: [Double]
    /// The band's lower edge at each x.
    public var lower: [Double]
    /// The band's upper edge at each x.
    public var upper: [Double]

    public init(label: String, x: [Double], mean: [Double], lower: [Double], upper: [Double]) {
        self.label = label
        self.x = x
        self.mean = mean
        self.lower = lower
        self.upper = upper
    }
}

extension CurveSeries {
    /// A learning curve across seeds: each seed's samples (x = environment steps, y = the metric,
    /// e.g. episodic return at the step the episode ended) are averaged within `bins` equal-width
    /// bins of (0, `end`] (`end` defaults to the largest x of any seed); the series' x is each
    /// bin's right edge, `mean` the mean over the seeds that have samples in the bin, and the
    /// band mean ± the population standard deviation over those seeds (0 for a single seed).
    /// A bin no seed has a sample in is NaN, a gap in the figure. Non-finite samples are ignored;
    /// a sample at x ≤ 0 falls in the first bin.
    public static func acrossSeeds(label: String, runs: [[(x: Double, y: Double)]], bins: Int = 100, end: Double? = nil)
        -> CurveSeries
    {
        let samples = runs.map { $0.filter { $0.x.isFinite && $0.y.isFinite } }
        let end = end ?? samples.flatMap { $0.map(\.x) }.max() ?? 0
        guard bins >= 1, end > 0 else { return CurveSeries(label: label, x: [], mean: [], lower: [], upper: []) }
        let width = end / Double(bins)
        // Per seed, per bin: sum and count of the samples.
        let perSeed = samples.map { run -> [Double] in
            var sums = [Double](repeating: 0, count: bins), counts = [Double](repeating: 0, count: bins)
            for sample in run where sample.x <= end {
                let bin = equalWidthBin(sample.x, width: width, count: bins)
                sums[bin] += sample.y
                counts[bin] += 1
            }
            return zip(sums, counts).map { $1 > 0 ? $0 / $1 : .nan }
        }
        var series = CurveSeries(label: label, x: (1...bins).map { Double($0) * width }, mean: [], lower: [], upper: [])
        for bin in 0..<bins {
            let values = perSeed.map { $0[bin] }.filter(\.isFinite)
            let (mean, deviation) = populationMeanAndDeviation(values)
            series.mean.append(mean)
            series.lower.append(mean - deviation)
            series.upper.append(mean + deviation)
        }
        return series
    }
}

/// The bin of `x` among `count` bins of `width` covering (0, count·width]: bin b holds
/// (b·width, (b+1)·width]; x ≤ 0 falls in the first bin and x beyond the last in the last. Any
/// finite x, however large (a hostile CSV's), gives a valid index.
func equalWidthBin(_ x: Double, width: Double, count: Int) -> Int {
    let edge = min(max((x / width).rounded(.up), 0), Double(count))
    return max(0, Int(edge) - 1)
}
