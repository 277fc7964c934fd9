import Foundation

/// A run whose numbers ran away: at update `update` a loss, the KL, the entropy or a parameter
/// became NaN or infinite. The trainer discards that update's parameters (the agent keeps the
/// last finite ones) and throws this; callers record it as the run's outcome, not as a failure.
public struct Divergence: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// The update whose results were not finite (its parameters were never used).
    public var update: Int
    /// What became non-finite: a column of `updates.csv` (`policy_loss`, `kl`, …) or `parameters`.
    public var quantity: String
    /// Its value at `update`: `nan`, `inf` or `-inf`, or for `parameters` how many were not finite.
    public var value: String
    /// The quantity's values at the last updates before `update`, oldest first (at most
    /// ``lastFiniteCount``; empty for `parameters` or when `update` is the first).
    public var lastFiniteValues: [Double]

    /// How many of the quantity's last finite values are kept.
    public static let lastFiniteCount = 3

    public init(update: Int, quantity: String, value: String, lastFiniteValues: [Double] = []) {
        self.update = update
        self.quantity = quantity
        self.value = value
        self.lastFiniteValues = lastFiniteValues
    }

    /// This divergence with the last finite values of its quantity taken from `column`, the
    /// quantity's values at the updates before (oldest first; e.g. its `updates.csv` column).
    public func withHistory(_ column: [Double]) -> Divergence {
        var copy = self
        copy.lastFiniteValues = Array(column.filter(\.isFinite).suffix(Self.lastFiniteCount))
        return copy
    }

    /// The exit status of `spo train` for a diverged run (0 finished, 1 failed, 2 bad input).
    public static let exitStatus: Int32 = 3

    public var description: String {
        let history =
            lastFiniteValues.isEmpty
            ? ""
            : "; last finite values \(lastFiniteValues.map(ReadableNumber.format).joined(separator: ", "))"
        return "diverged at update \(update): \(quantity) is \(value)\(history)"
    }

    /// The metrics checked after every update, by column name: the losses, the KL (mean, largest
    /// and between the policies before and after the update), the entropy and the ratio deviation.
    /// The columns that are NaN by design (β, the line search, returns without episodes) are not.
    static let checkedColumns: Set<String> = [
        "policy_loss", "value_loss", "kl", "kl_max", "kl_final", "entropy", "ratio_deviation", "ratio_deviation_max",
    ]

    /// The first non-finite checked metric of `metrics`, else the count of non-finite
    /// `parameters`; nil when everything is finite. Only reads the values.
    static func check(_ metrics: UpdateMetrics, parameters: [Float]) -> Divergence? {
        for column in metrics.columns where checkedColumns.contains(column.name) && !column.value.isFinite {
            return Divergence(update: metrics.update, quantity: column.name, value: "\(column.value)")
        }
        let bad = parameters.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
        guard bad > 0 else { return nil }
        return Divergence(
            update: metrics.update, quantity: "parameters", value: "\(bad) of \(parameters.count) not finite")
    }
}
