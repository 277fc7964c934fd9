import Foundation

/// How a panel's y axis places values: in proportion to the value, or to its base-10 logarithm.
public enum AxisScale: Sendable, Equatable {
    case linear
    /// Ticks at powers of ten; values ≤ 0 have no place and leave gaps.
    case logarithmic

    /// Whether `value` can be drawn on this axis: finite, and positive on a logarithmic one.
    func shows(_ value: Double) -> Bool { value.isFinite && (self == .linear || value > 0) }

    /// Ticks covering [low, high]: nice values (``AxisTicks/nice(low:high:count:)``) or powers of ten.
    func ticks(low: Double, high: Double) -> [Double] {
        self == .linear ? AxisTicks.nice(low: low, high: high) : AxisTicks.decades(low: low, high: high)
    }
}
