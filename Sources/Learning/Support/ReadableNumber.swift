import Foundation

/// Numbers for progress lines: fixed decimals while that stays short, otherwise scientific
/// notation (`1.2e+261`, never 260 digits).
public enum ReadableNumber {
    /// `value` with `decimals` decimals when its magnitude is below 10⁶ (and, for nonzero values,
    /// at least 10^−`decimals`), else as `1.2e+261`; `nan`, `inf`, `-inf` as such.
    public static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        let magnitude = abs(value)
        if magnitude < 1e6, magnitude == 0 || magnitude >= pow10(-decimals) {
            return String(format: "%.\(decimals)f", value)
        }
        return String(format: "%.1e", value)
    }

    /// ``format(_:decimals:)`` with the shortest exact form for moderate values (for messages).
    public static func format(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e6, abs(value) >= 1e-4 || value == 0 else {
            return format(value, decimals: 0)
        }
        return "\(value)"
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
