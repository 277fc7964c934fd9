import Environments

/// Closed forms of the diagonal Gaussian policy, summed over action dimensions (nats).
public enum DiagonalGaussian {
    public static let halfLogTwoPi = 0.5 * PortableMath.log(2 * Double.pi)

    /// log π(a | μ, σ) with σ = exp(logStd).
    public static func logProbability(action: [Double], mean: [Double], logStd: [Double]) -> Double {
        var total = 0.0
        for j in action.indices {
            total += logDensity(
                deviation: action[j] - mean[j], variance: PortableMath.exp(2 * logStd[j]), logStd: logStd[j])
        }
        return total
    }

    /// One dimension's log density at `deviation = a − μ`; the rollout and the update both use
    /// it, so that the ratio is exactly 1 where the parameters have not moved.
    @inline(__always)
    public static func logDensity(deviation: Double, variance: Double, logStd: Double) -> Double {
        -0.5 * deviation * deviation / variance - logStd - halfLogTwoPi
    }

    /// Entropy Σ (0.5 + 0.5·log 2π + log σ).
    public static func entropy(logStd: [Double]) -> Double {
        logStd.reduce(0) { $0 + 0.5 + halfLogTwoPi + $1 }
    }

    /// KL(N(μ₁, σ₁) ‖ N(μ₂, σ₂)) =
    /// Σ log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²) / (2σ₂²) − 1/2.
    public static func kl(mean1: [Double], logStd1: [Double], mean2: [Double], logStd2: [Double]) -> Double {
        var total = 0.0
        for j in mean1.indices {
            let variance1 = PortableMath.exp(2 * logStd1[j]), variance2 = PortableMath.exp(2 * logStd2[j])
            total += klTerm(
                logStd: logStd2[j], oldLogStd: logStd1[j], variance: variance2, oldVariance: variance1,
                meanDifference: mean1[j] - mean2[j])
        }
        return total
    }

    /// One dimension's KL(N(μ_old, σ_old) ‖ N(μ, σ)) from the log-stds, variances and μ_old − μ.
    @inline(__always)
    public static func klTerm(
        logStd: Double, oldLogStd: Double, variance: Double, oldVariance: Double, meanDifference d: Double
    ) -> Double {
        (logStd - oldLogStd) + (oldVariance + d * d) / (2 * variance) - 0.5
    }
}
