import Foundation

/// One algorithm of the grid: its label in results and tables, the algorithm name, and the
/// training settings it overrides (e.g. `spo-kl` with `klLimit` 0.01).
public struct AlgorithmVariant: Codable, Sendable, Equatable {
    public var label: String
    public var algorithm: String
    public var overrides: [String: JSONValue]
}
