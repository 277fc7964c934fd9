import Environments
import Foundation

/// One algorithm and ε of the experiment: its measurement after each epoch. Fewer than the
/// configured epochs when the objective stopped the optimisation (PPO-EarlyStop).
public struct OveroptimizationRun: Sendable, Equatable {
    /// The objective's name in ``PolicyObjectives``.
    public var algorithm: String
    /// The configuration's ratio ε (unused by objectives without one).
    public var epsilon: Double
    /// The measurements after epochs 1, 2, … in order.
    public var points: [OveroptimizationPoint]
}
