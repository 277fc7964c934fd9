/// The returns of a deterministic evaluation.
public struct EvaluationResult: Sendable {
    public var returns: [Double]
    public var lengths: [Int]
    public init(returns: [Double], lengths: [Int]) {
        self.returns = returns
        self.lengths = lengths
    }
    public var mean: Double { populationMeanAndDeviation(returns).mean }
    /// Population standard deviation of the returns.
    public var standardDeviation: Double { populationMeanAndDeviation(returns).deviation }
}
