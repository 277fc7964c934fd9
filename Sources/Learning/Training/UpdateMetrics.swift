import Foundation

/// The metrics of one update (docs/algorithms.md#per-update-metrics), one CSV row each.
public struct UpdateMetrics: Sendable {
    public var update = 0
    public var globalStep = 0
    /// Mean raw return and length of the episodes that finished during this rollout (NaN if none).
    public var episodicReturn = Double.nan
    public var episodeLength = Double.nan
    public var episodesFinished = 0
    /// Means over the minibatches run of: mean |r − 1|, mean KL; and the maxima over all samples.
    public var ratioDeviation = 0.0
    public var maxRatioDeviation = 0.0
    public var meanKL = 0.0
    public var maxKL = 0.0
    public var entropy = 0.0
    public var policyLoss = 0.0
    public var valueLoss = 0.0
    public var explainedVariance = 0.0
    public var clipFraction = 0.0
    /// Fraction of samples whose objective's trigger held (clip, rollback or trust-region case).
    public var triggerFraction = 0.0
    public var learningRate = 0.0
    public var beta = Double.nan
    /// Epochs started (fewer than configured when PPO-EarlyStop stopped the update).
    public var epochsRun = 0
    public var minibatchesRun = 0
    /// TRPO's line search: backtracks of the accepted step (0 for the full step), or −1 when every
    /// try was rejected and the policy kept its parameters; NaN for the other algorithms.
    public var lineSearch = Double.nan
    /// trpo and npg: the L2 norm of the policy-parameter step taken (actor and log-std; 0 when
    /// rejected); NaN for the other algorithms.
    public var stepSize = Double.nan
    /// trpo and npg: the conjugate gradient's relative residual ‖g − F·x‖ / ‖g‖; NaN otherwise.
    public var conjugateGradientResidual = Double.nan
    /// Mean KL(π_old ‖ π_new) over the whole batch between the policy before and after the
    /// update, for every algorithm (measured outside the update's timing).
    public var finalKL = Double.nan
    /// Timing (excluded from determinism): steps per second, rollout and update seconds.
    public var stepsPerSecond = 0.0
    public var rolloutSeconds = 0.0
    public var updateSeconds = 0.0
    /// Seconds inside MuJoCo during the rollout, summed over the environments (and so over the
    /// workers). Not a column of updates.csv: `spo estimate` reads it to report the physics' share.
    public var physicsSeconds = 0.0

    /// How a column is printed: integers, full-precision reals, or fixed decimals (timing).
    public enum ColumnFormat: Sendable { case integer, real, fixed(Int) }

    /// Every metric with its CSV column name, in column order (the single list that the CSV
    /// header, the CSV rows and the TensorBoard scalars are all made from).
    public var columns: [(name: String, value: Double, format: ColumnFormat)] {
        [
            ("update", Double(update), .integer), ("global_step", Double(globalStep), .integer),
            ("episodic_return", episodicReturn, .real), ("episode_length", episodeLength, .real),
            ("episodes", Double(episodesFinished), .integer),
            ("ratio_deviation", ratioDeviation, .real), ("ratio_deviation_max", maxRatioDeviation, .real),
            ("kl", meanKL, .real), ("kl_max", maxKL, .real), ("entropy", entropy, .real),
            ("policy_loss", policyLoss, .real),
            ("value_loss", valueLoss, .real), ("explained_variance", explainedVariance, .real),
            ("clip_fraction", clipFraction, .real),
            ("trigger_fraction", triggerFraction, .real), ("learning_rate", learningRate, .real), ("beta", beta, .real),
            ("epochs_run", Double(epochsRun), .integer), ("minibatches_run", Double(minibatchesRun), .integer),
            ("line_search", lineSearch, .real), ("step_size", stepSize, .real),
            ("cg_residual", conjugateGradientResidual, .real),
            ("kl_final", finalKL, .real),
            ("sps", stepsPerSecond, .fixed(1)), ("rollout_seconds", rolloutSeconds, .fixed(4)),
            ("update_seconds", updateSeconds, .fixed(4)),
        ]
    }

    /// The timing columns, which differ between otherwise identical runs.
    public static let timingColumns: Set<String> = ["sps", "rollout_seconds", "update_seconds"]

    public static var csvHeader: String { UpdateMetrics().columns.map(\.name).joined(separator: ",") }

    public var csvRow: String {
        columns.map { column in
            switch column.format {
            case .integer: return "\(Int(column.value))"
            case .real: return "\(column.value)"
            case let .fixed(digits): return String(format: "%.\(digits)f", column.value)
            }
        }.joined(separator: ",")
    }
}

extension UpdateMetrics {
    /// Adds one minibatch step's metrics (sums, maxima) to this update's.
    mutating func add(minibatch result: MinibatchLoss<some NetworkScalar>) {
        minibatchesRun += 1
        ratioDeviation += result.ratioDeviation
        maxRatioDeviation = max(maxRatioDeviation, result.maxRatioDeviation)
        meanKL += result.meanKL
        maxKL = max(maxKL, result.maxKL)
        entropy += result.entropy
        policyLoss += result.policyLoss
        valueLoss += result.valueLoss
        clipFraction += result.clipFraction
        triggerFraction += result.triggerFraction
    }

    /// Turns the sums of ``add(minibatch:)`` into means over the minibatches run.
    mutating func averageMinibatches() {
        guard minibatchesRun > 0 else { return }
        let count = Double(minibatchesRun)
        ratioDeviation /= count
        meanKL /= count
        entropy /= count
        policyLoss /= count
        valueLoss /= count
        clipFraction /= count
        triggerFraction /= count
    }
}

extension UpdateMetrics {
    /// Records the ratio and KL statistics, surrogate (as the policy loss −surrogate) and entropy
    /// of the policy after a single-step method's step.
    mutating func record(afterStep evaluation: SurrogateEvaluation, logStd: [Double]) {
        ratioDeviation = evaluation.ratioDeviation
        maxRatioDeviation = evaluation.maxRatioDeviation
        meanKL = evaluation.meanKL
        maxKL = evaluation.maxKL
        policyLoss = -evaluation.surrogate
        finalKL = evaluation.meanKL
        entropy = DiagonalGaussian.entropy(logStd: logStd)
    }
}
