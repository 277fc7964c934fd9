/// Backtracking line search along a proposed step: tries the fractions 1, s, s², … (`tries` of
/// them, s = `shrink`) and accepts the first whose surrogate improves on the old one and whose
/// mean KL(π_old ‖ π) is at most `maxKL`; when none does, the step is rejected.
public struct BacktrackingLineSearch: Sendable {
    /// δ, the bound on the mean KL (nats).
    public var maxKL: Double
    public var shrink: Double
    public var tries: Int

    public init(maxKL: Double, shrink: Double = 0.5, tries: Int = 10) {
        self.maxKL = maxKL
        self.shrink = shrink
        self.tries = tries
    }

    /// The outcome: `backtracks` j of the accepted fraction sʲ (−1 when rejected), the fraction
    /// (0 when rejected), and the surrogate and mean KL of the last fraction tried.
    public struct Outcome: Sendable, Equatable {
        public var backtracks: Int
        public var fraction: Double
        public var surrogate: Double
        public var meanKL: Double
        public var accepted: Bool { backtracks >= 0 }
    }

    /// Searches from a surrogate `baseline` at the old parameters; `evaluate(fraction)` gives the
    /// surrogate and mean KL at the old parameters plus `fraction` times the step.
    public func search(baseline: Double, evaluate: (Double) -> (surrogate: Double, meanKL: Double)) -> Outcome {
        var fraction = 1.0
        var last = (surrogate: baseline, meanKL: 0.0)
        for j in 0..<tries {
            last = evaluate(fraction)
            if last.surrogate > baseline && last.meanKL <= maxKL {
                return Outcome(backtracks: j, fraction: fraction, surrogate: last.surrogate, meanKL: last.meanKL)
            }
            fraction *= shrink
        }
        return Outcome(backtracks: -1, fraction: 0, surrogate: last.surrogate, meanKL: last.meanKL)
    }
}
