import Environments
import Foundation

/// The policy after `epoch` epochs on the frozen batch, compared over all the batch's samples
/// with the batch's policy π_old.
public struct OveroptimizationPoint: Sendable, Equatable {
    /// Epochs run on the frozen batch (from 1).
    public var epoch: Int
    /// Mean over the batch of KL(π_old(·|s) ‖ π(·|s)) in nats (summed over action dimensions).
    public var meanKL = 0.0
    /// Mean and maximum over the batch of |r − 1|, r = π(a|s)/π_old(a|s).
    public var ratioDeviation = 0.0
    public var maxRatioDeviation = 0.0
    /// The surrogate objective: the mean over the batch of r·Â, Â the batch's GAE advantages
    /// normalised over the whole batch (mean 0, sample standard deviation 1).
    public var surrogate = 0.0
    /// Fraction of the batch's samples whose objective's trigger holds (for spo and ppo
    /// |r − 1| > ε; see `PolicyObjective.isTriggered`), with the same normalised advantages.
    public var triggerFraction = 0.0
}
