/// Mean and population standard deviation (numpy's default), NaN for no values.
public func populationMeanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    return (mean, (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot())
}

/// 1 − Var(targets − predicted) / Var(targets) (NaN when the targets have no variance).
func explainedVariance(predicted: [Double], targets: [Double]) -> Double {
    func variance(_ x: [Double]) -> Double {
        let mean = x.reduce(0, +) / Double(x.count)
        return x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
    }
    let targetVariance = variance(targets)
    return targetVariance == 0 ? .nan : 1 - variance(zip(targets, predicted).map { $0 - $1 }) / targetVariance
}
