import Foundation

/// Axis ticks at "nice" values (1, 2 or 5 times a power of ten) and their labels.
public enum AxisTicks {
    /// About `count` ticks covering [low, high], at multiples of a nice step; the first tick is
    /// ≤ low and the last ≥ high. A degenerate range is widened around its value.
    public static func nice(low: Double, high: Double, count: Int = 5) -> [Double] {
        var low = low, high = high
        if !(high > low) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = niceNumber((high - low) / Double(max(count - 1, 1)), round: true)
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        return stride(from: first, through: last + 0.5, by: 1).map { $0 * step }
    }

    /// The nice number near `value`: 1, 2, 5 or 10 times a power of ten (rounded to the nearest
    /// with `round`, else the smallest not below `value`).
    static func niceNumber(_ value: Double, round: Bool) -> Double {
        let exponent = Foundation.floor(Foundation.log10(value))
        let fraction = value / Foundation.pow(10, exponent)
        let nice: Double
        if round {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return nice * Foundation.pow(10, exponent)
    }

    /// Labels for evenly spaced `ticks`: with just the decimals the step needs ("0.25" → "0.2",
    /// "0.4"…), and in thousands or millions ("500k", "2M", "1.5M") once the largest tick reaches
    /// 10,000, so environment steps read 0, 2M, 4M.
    public static func labels(_ ticks: [Double]) -> [String] {
        guard ticks.count > 1 else { return ticks.map { format($0, step: 1, scale: 1, suffix: "") } }
        let step = abs(ticks[1] - ticks[0])
        let largest = ticks.map(abs).max() ?? 0
        let (scale, suffix): (Double, String) = largest >= 1e6 ? (1e6, "M") : largest >= 1e4 ? (1e3, "k") : (1, "")
        return ticks.map { format($0, step: step, scale: scale, suffix: suffix) }
    }

    static func format(_ value: Double, step: Double, scale: Double, suffix: String) -> String {
        let scaledStep = step / scale
        let decimals = max(0, Int(-Foundation.floor(Foundation.log10(scaledStep) + 1e-9)))
        let text = String(format: "%.\(decimals)f", value / scale)
        return Double(text) == 0 ? "0" : text + suffix  // "0", never "-0" or "0.0M"
    }
}

extension AxisTicks {
    /// Powers of ten covering [low, high] (both positive; otherwise 1 and 10): from
    /// 10^⌊log₁₀ low⌋ to 10^⌈log₁₀ high⌉ (at least one decade), every n-th power so that there
    /// are at most nine.
    public static func decades(low: Double, high: Double) -> [Double] {
        guard low > 0, high >= low, high.isFinite else { return [1, 10] }
        var first = Foundation.floor(Foundation.log10(low)), last = Foundation.ceil(Foundation.log10(high))
        if last <= first { last = first + 1 }
        let step = Foundation.ceil((last - first) / 8)
        first = Foundation.floor(first / step) * step
        last = Foundation.ceil(last / step) * step
        return stride(from: first, through: last, by: step).map { Foundation.pow(10, $0) }
    }

    /// Labels of powers of ten as 10 with a superscript exponent: "10⁻³", "10⁰", "10²".
    public static func powerLabels(_ ticks: [Double]) -> [String] {
        let superscripts: [Character: Character] = [
            "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵",
            "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
        ]
        return ticks.map { "10" + String(String(Int(Foundation.log10($0).rounded())).map { superscripts[$0]! }) }
    }
}
